"""Calendar arithmetic: timestamps are int seconds since 1970-01-01 UTC, dates int days.

The demo's window: first engagement from 2024-01-01, nothing stamped after the as-of date
in data/demo/vars.json (open deals' CloseDates may be later)."""

from __future__ import annotations

import json
import random
from datetime import date
from functools import cache
from pathlib import Path

DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_of(d: date) -> int:
    return d.toordinal() - _EPOCH_ORDINAL


def to_date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


START_DAY = day_of(date(2024, 1, 1))
# the demo's as_of_date, kept once in data/demo/vars.json (run.py and the tests read it too)
DEMO_VARS_FILE = Path(__file__).resolve().parents[2] / "data" / "demo" / "vars.json"
END_DAY = day_of(date.fromisoformat(json.loads(DEMO_VARS_FILE.read_text())["as_of_date"]))
END_TS = (END_DAY + 1) * DAY - 1  # the as-of date's last second: nothing is stamped later


@cache
def date_str(day: int) -> str:
    return to_date(day).isoformat()


@cache
def quarter_start(day: int) -> int:
    d = to_date(day)
    return day_of(date(d.year, 3 * ((d.month - 1) // 3) + 1, 1))


@cache
def quarter_end(day: int) -> int:
    d = to_date(day)
    month = 3 * ((d.month - 1) // 3) + 4
    year = d.year + (month > 12)
    return day_of(date(year, (month - 1) % 12 + 1, 1)) - 1


@cache
def month_end(day: int) -> int:
    d = to_date(day)
    year, month = d.year + (d.month == 12), d.month % 12 + 1
    return day_of(date(year, month, 1)) - 1


def quarter_starts(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        out.append(d)
        d = date(d.year + (d.month == 10), (d.month + 2) % 12 + 1, 1)
    return out


def work_time(rng: random.Random, day: int, start_hour: int) -> int:
    """A timestamp during the working day (10 hours from start_hour UTC)."""
    return day * DAY + start_hour * 3600 + rng.randrange(36_000)


def snap_to_work_hours(ts: int, start_hour: int) -> int:
    day, seconds = divmod(ts, DAY)
    return day * DAY + start_hour * 3600 + seconds % 36_000
