#!/usr/bin/env python3
"""Deterministic generator of Salesforce-style CRM exports (the demo data and benchmarks).

Writes one file per object (``<object>.csv`` or ``<object>.parquet``) following the raw-export
contract: opportunity, opportunity_history, lead, opportunity_contact_role, account, user and
dated_conversion_rate, with Salesforce API column names.

Determinism: accounts come in blocks of 600 (scale 1 = one block); each block draws from its
own ``random.Random(f"{seed}/block/{n}")`` stream in a fixed order and owns its own id range, and
the blocks are concatenated in order, so the same ``--seed`` and ``--scale`` give byte-identical
files whatever ``--jobs`` is; nothing depends on today's date, hash order or the machine. The
demo's as-of date is 2026-11-30: nothing is stamped later (open deals' CloseDates may be later).

Streaming: accounts are simulated one at a time (acquisition attempts, then renewals, upsells and
cross-sells once the account is a customer) and their rows are written immediately, so memory
stays flat at any scale; blocks can run in parallel worker processes. Parquet output is produced
by streaming the CSV through DuckDB (every column VARCHAR, as in the CSV; empty fields -> null).

A fixed handful of deliberately bad rows is planted in block 0 at every scale (an orphan history
row, an exact duplicate history row, an unparseable history Amount, an opportunity duplicated
with an older LastModifiedDate, a lead with an unparseable CreatedDate); ``generate()`` returns
their ids.

Usage::

    python scripts/generate_demo_data.py --out data/demo
    python scripts/generate_demo_data.py --out /tmp/bench --scale 100 --format parquet
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import shutil
import sys
import tempfile
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import IO, Any

import duckdb

# --------------------------------------------------------------------------------------------
# The raw-export contract
# --------------------------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "account": ("Id", "Name", "Type", "Industry", "BillingCountry", "NumberOfEmployees"),
    "user": ("Id", "Name", "UserRoleId", "ManagerId"),
    "opportunity": (
        "Id",
        "AccountId",
        "Name",
        "Type",
        "StageName",
        "Amount",
        "CurrencyIsoCode",
        "CloseDate",
        "CreatedDate",
        "LastModifiedDate",
        "IsClosed",
        "IsWon",
        "IsDeleted",
        "OwnerId",
        "LeadSource",
        "Probability",
        "ForecastCategoryName",
    ),
    "opportunity_history": (
        "Id",
        "OpportunityId",
        "CreatedDate",
        "StageName",
        "Amount",
        "CloseDate",
        "Probability",
        "ForecastCategory",
        "IsDeleted",
    ),
    "opportunity_contact_role": (
        "Id",
        "OpportunityId",
        "ContactId",
        "Role",
        "IsPrimary",
        "CreatedDate",
        "IsDeleted",
    ),
    "lead": (
        "Id",
        "CreatedDate",
        "Status",
        "LeadSource",
        "IsConverted",
        "ConvertedDate",
        "ConvertedOpportunityId",
        "ConvertedContactId",
        "ConvertedAccountId",
        "Email",
        "Company",
        "OwnerId",
        "IsDeleted",
        "MQL_Date__c",
        "SAL_Date__c",
    ),
    "dated_conversion_rate": ("IsoCode", "ConversionRate", "StartDate", "NextStartDate"),
}

ID_PREFIX = {
    "opportunity": "006",
    "opportunity_history": "008",
    "lead": "00Q",
    "opportunity_contact_role": "00K",
    "account": "001",
    "user": "005",
    "contact": "003",
    "role": "00E",
}

# --------------------------------------------------------------------------------------------
# Calendar: timestamps are int seconds since 1970-01-01 UTC, dates are int days since then.
# --------------------------------------------------------------------------------------------

DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def day_of(d: date) -> int:
    return d.toordinal() - _EPOCH_ORDINAL


def to_date(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


START_DAY = day_of(date(2024, 1, 1))
# the demo's as_of_date, kept once in data/demo/vars.json (run.py and the tests read it too)
DEMO_VARS_FILE = Path(__file__).resolve().parents[1] / "data" / "demo" / "vars.json"
END_DAY = day_of(date.fromisoformat(json.loads(DEMO_VARS_FILE.read_text())["as_of_date"]))
END_TS = (END_DAY + 1) * DAY - 1  # the as-of date's last second: nothing is stamped later
RATE_FIRST_QUARTER = date(2023, 10, 1)
RATE_LAST_QUARTER = date(2026, 10, 1)


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


# --------------------------------------------------------------------------------------------
# Picklists and reference values
# --------------------------------------------------------------------------------------------

PRE_PIPELINE = ("Targeted", "Engaged", "Prioritized")
ON_HOLD = "On Hold - Legal"
WON, LOST = "Closed Won", "Closed Lost"

# stage -> (default probability, forecast category)
STAGE_DEFAULTS: dict[str, tuple[int, str]] = {
    "Targeted": (0, "Omitted"),
    "Engaged": (5, "Omitted"),
    "Prioritized": (5, "Omitted"),
    "Prospecting": (10, "Pipeline"),
    "Qualification": (20, "Pipeline"),
    "Needs Analysis": (25, "Pipeline"),
    "Value Proposition": (50, "Pipeline"),
    "Id. Decision Makers": (60, "Best Case"),
    "Perception Analysis": (70, "Best Case"),
    "Proposal/Price Quote": (75, "Best Case"),
    "Negotiation/Review": (90, "Commit"),
    ON_HOLD: (40, "Pipeline"),
    WON: (100, "Closed"),
    LOST: (0, "Omitted"),
}
FORECAST_ORDER = ("Omitted", "Pipeline", "Best Case", "Commit")

# family -> stage ladder (open stages, in order)
LADDERS: dict[str, tuple[str, ...]] = {
    "acquisition": (
        *PRE_PIPELINE,
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    "retention": ("Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"),
    "upsell": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
    "cross_sell": (
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Proposal/Price Quote",
        "Negotiation/Review",
    ),
}
# family -> (start indexes into its ladder, weights)
START_STAGES: dict[str, tuple[tuple[int, ...], tuple[float, ...]]] = {
    "acquisition": ((0, 1, 2, 3, 4), (0.18, 0.12, 0.08, 0.34, 0.28)),
    "retention": ((0, 2, 3), (0.55, 0.38, 0.07)),
    "upsell": ((0, 1, 2), (0.30, 0.50, 0.20)),
    "cross_sell": ((0, 1, 2), (0.45, 0.40, 0.15)),
}
# family -> (P(won), P(stalled: left open and forgotten)); the rest is lost
OUTCOMES: dict[str, tuple[float, float]] = {
    "acquisition": (0.36, 0.05),
    "retention": (0.78, 0.02),
    "upsell": (0.50, 0.04),
    "cross_sell": (0.42, 0.05),
}
UPSELLS_PER_YEAR = 2.4
CROSS_SELLS_PER_YEAR = 1.5
# family -> median sales-cycle length in days
CYCLE_DAYS = {"acquisition": 85.0, "retention": 35.0, "upsell": 50.0, "cross_sell": 65.0}
# family -> weighted Type picklist values
TYPE_VALUES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "acquisition": (("New Business", "New Customer"), (0.8, 0.2)),
    "retention": (
        ("Renewal", "Existing Customer - Replacement", "Existing Customer - Downgrade"),
        (0.75, 0.10, 0.15),
    ),
    "upsell": (("Existing Customer - Upgrade", "Upsell", "Expansion"), (0.40, 0.35, 0.25)),
    "cross_sell": (("Cross-sell", "Cross Sell"), (0.7, 0.3)),
}
ODD_TYPES = ("Partner Referral", "Pilot")

LEAD_SOURCES = (
    "Web",
    "Paid Search",
    "Webinar",
    "Trade Show",
    "Content Syndication",
    "Email",
    "Partner Referral",
    "Outbound Prospecting",
    "Employee Referral",
    "Customer Referral",
)
LEAD_SOURCE_WEIGHTS = (0.22, 0.16, 0.11, 0.07, 0.09, 0.08, 0.07, 0.12, 0.04, 0.04)
LEAD_OPEN, LEAD_WORKING = "Open - Not Contacted", "Working - Contacted"
LEAD_CONVERTED, LEAD_NOT_CONVERTED = "Closed - Converted", "Closed - Not Converted"

CONTACT_ROLES = (
    "Decision Maker",
    "Economic Buyer",
    "Economic Decision Maker",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Executive Sponsor",
    "Business User",
    "Other",
)
CONTACT_ROLE_WEIGHTS = (0.18, 0.12, 0.05, 0.14, 0.16, 0.12, 0.08, 0.10, 0.05)

INDUSTRIES = (
    "Technology",
    "Financial Services",
    "Healthcare",
    "Manufacturing",
    "Retail",
    "Education",
    "Media",
    "Energy",
    "Professional Services",
    "Transportation",
)
INDUSTRY_WEIGHTS = (0.22, 0.14, 0.12, 0.12, 0.09, 0.06, 0.06, 0.05, 0.10, 0.04)

CURRENCIES = ("USD", "EUR", "GBP")
CURRENCY_WEIGHTS = (0.70, 0.18, 0.12)
# currency -> (countries, weights, legal-form suffixes, UTC hour the working day starts)
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[str, ...], int]] = {
    "USD": (
        ("United States", "Canada", "Australia", "Singapore"),
        (0.85, 0.08, 0.04, 0.03),
        ("Inc.", "LLC", "Corp.", "Co.", "Group"),
        13,
    ),
    "EUR": (
        ("Germany", "France", "Netherlands", "Spain", "Ireland", "Italy"),
        (0.32, 0.22, 0.16, 0.12, 0.10, 0.08),
        ("GmbH", "SAS", "B.V.", "S.L.", "Ltd", "S.p.A.", "AG"),
        7,
    ),
    "GBP": (("United Kingdom",), (1.0,), ("Ltd", "plc", "Group"), 8),
}
# (start rate, lower bound, upper bound) in units of the currency per 1 USD
RATE_WALK = {"EUR": (0.915, 0.88, 0.95), "GBP": (0.790, 0.75, 0.82)}

NAME_HEADS = (
    "Acme", "Northwind", "Blue Harbor", "Summit", "Pinecrest", "Redwood", "Ironclad", "Lumen",
    "Vertex", "Cobalt", "Silverline", "Brightpath", "Granite", "Harbor Point", "Evergreen",
    "Quantum", "Nimbus", "Atlas", "Keystone", "Orion", "Sterling", "Bluebird", "Crescent",
    "Falcon", "Meridian", "Oakridge", "Polaris", "Riverbend", "Sapphire", "Trident", "Helix",
    "Juniper", "Kestrel", "Larkspur", "Monarch", "Nova", "Pioneer", "Solstice", "Tundra",
    "Vanguard", "Westbrook", "Zenith", "Müller & Söhne", "Société Générale de Données",
    "Øresund", "Café Lumière", "Zürich Analytik", "Nordström", "Ångström", "Łódź Logistics",
)  # fmt: skip
NAME_TAILS = (
    "Analytics", "Systems", "Logistics", "Health", "Capital", "Foods", "Media", "Energy",
    "Software", "Labs", "Manufacturing", "Partners", "Retail", "Networks", "Robotics",
    "Solutions", "Holdings", "Learning", "Freight", "Pharma", "Insurance", "Data",
)  # fmt: skip
ODD_COMPANY_NAMES = ('The "Blue Door" Group', "Holloway, Pierce & Co.", "O'Brien, Walsh and Sons")
FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Chris", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra",
    "Priya", "Wei", "Ahmed", "Fatima", "Lukas", "Sofia", "Mateo", "Aoife", "Noah", "Emma",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "Patel", "Chen", "Khan", "Schmidt", "Rossi", "Dubois", "Murphy", "Kowalski", "Novak",
)  # fmt: skip
USER_NAMES = (
    "Zoë Müller", "José García", "Siobhán O'Neill", "Łukasz Nowak", "Amélie Laurent",
    "Björn Svensson", "Chloé Martin", "Dmitri Volkov", "Élodie Bernard", "Søren Kierkegaard",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Ids, formatting and output
# --------------------------------------------------------------------------------------------

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_PAIRS = [a + b for a in _B62 for b in _B62]
_UPPER = [int("A" <= ch <= "Z") for ch in _B62]
_PAIR_FLAGS = [_UPPER[i] | _UPPER[j] << 1 for i in range(62) for j in range(62)]
_CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_PAIR = 62 * 62
_LOW = 62**5


@cache
def _id_head(prefix: str, high: int) -> str:
    """The first 10 characters of an id (prefix, pod '5g', '0', 4 high digits)."""
    return f"{prefix}5g0{_B62_PAIRS[high // _PAIR]}{_B62_PAIRS[high % _PAIR]}"


@cache
def _id_head_checksum(prefix: str, high: int) -> str:
    head = _id_head(prefix, high)
    first = sum(1 << i for i, ch in enumerate(head[:5]) if "A" <= ch <= "Z")
    second = _PAIR_FLAGS[high // _PAIR] << 1 | _PAIR_FLAGS[high % _PAIR] << 3
    return _CHECKSUM_CHARS[first] + _CHECKSUM_CHARS[second]


def sf_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: 3-char key prefix, pod '5g', '0', 9 base-62 digits and
    the 3-character case-safety suffix Salesforce appends to 15-character ids (one char per
    5-char chunk, encoding which of its characters are upper-case letters)."""
    high, low = divmod(number, _LOW)
    a, rest = divmod(low, _PAIR * _PAIR)
    b, c = divmod(rest, _PAIR)
    flags = _UPPER[a] | _PAIR_FLAGS[b] << 1 | _PAIR_FLAGS[c] << 3
    return (
        f"{_id_head(prefix, high)}{_B62[a]}{_B62_PAIRS[b]}{_B62_PAIRS[c]}"
        f"{_id_head_checksum(prefix, high)}{_CHECKSUM_CHARS[flags]}"
    )


ID_BLOCK_SPAN = 1 << 24  # ids reserved per object per block of accounts


class IdFactory:
    """Sequential, deterministic ids per object: a seeded base plus the block's own range, so
    blocks generated in parallel never collide."""

    def __init__(self, seed: int, block: int) -> None:
        rng = random.Random(f"{seed}/ids")
        self._next = {
            name: rng.randrange(62**5, 62**6) + block * ID_BLOCK_SPAN for name in ID_PREFIX
        }
        # kind -> (number // 3844, first 13 chars, first 2 checksum chars, 3rd checksum bits)
        self._heads: dict[str, tuple[int, str, str, int]] = {}

    def new(self, kind: str) -> str:
        """Same result as ``sf_id(prefix, number)``, reusing the part shared by 3844 ids."""
        number = self._next[kind]
        self._next[kind] = number + 1
        upper, c = divmod(number, _PAIR)
        head = self._heads.get(kind)
        if head is None or head[0] != upper:
            full = sf_id(ID_PREFIX[kind], upper * _PAIR)
            flags = _CHECKSUM_CHARS.index(full[17]) & 0b111
            head = (upper, full[:13], full[15:17], flags)
            self._heads[kind] = head
        flags = head[3] | _PAIR_FLAGS[c] << 3
        return f"{head[1]}{_B62_PAIRS[c]}{head[2]}{_CHECKSUM_CHARS[flags]}"


def fmt_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents // 100}.{cents % 100:02d}"


def fmt_bool(value: bool) -> str:
    return "true" if value else "false"


_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


class TimestampFormatter:
    """Formats epoch seconds as Salesforce does (``2024-03-31T23:59:59.000Z``) and, for a few
    percent of values, as ``...+0000`` or ``2024-03-31 23:59:59`` so parsers are exercised."""

    OFFSET_SHARE = 0.03
    SPACE_SHARE = 0.02

    def __init__(self, rng: random.Random) -> None:
        self._random = rng.random

    def __call__(self, ts: int) -> str:
        day, seconds = divmod(ts, DAY)
        clock = _CLOCK[seconds]
        r = self._random()
        if r >= self.OFFSET_SHARE + self.SPACE_SHARE:
            return f"{date_str(day)}T{clock}.000Z"
        if r < self.OFFSET_SHARE:
            return f"{date_str(day)}T{clock}.000+0000"
        return f"{date_str(day)} {clock}"


def row_writer(handle: IO[str]) -> Callable[[Sequence[str]], None]:
    """Writes rows exactly as ``csv.writer(handle, lineterminator="\\r\\n")`` does (minimal
    RFC 4180 quoting), joining rows that need no quoting directly, which is much faster."""
    fallback = csv.writer(handle, lineterminator="\r\n").writerow
    write = handle.write

    def write_row(row: Sequence[str]) -> None:
        line = ",".join(row)
        if line.count(",") == len(row) - 1 and not ('"' in line or "\n" in line or "\r" in line):
            write(line + "\r\n")
        else:
            fallback(row)

    return write_row


class CsvSink:
    """One headerless CSV part file per object (RFC 4180 quoting, CRLF line ends, UTF-8)."""

    def __init__(self, directory: Path, names: Sequence[str] = tuple(COLUMNS)) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.counts = dict.fromkeys(names, 0)
        self._files: dict[str, IO[str]] = {}
        self._writers: dict[str, Any] = {}
        for name in names:
            handle = open(directory / f"{name}.csv", "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._files[name] = handle
            self._writers[name] = row_writer(handle)

    def write(self, name: str, row: Sequence[str]) -> None:
        self._writers[name](row)
        self.counts[name] += 1

    def writer(self, name: str) -> Callable[[Sequence[str]], None]:
        """A row writer for hot paths (counts are updated by ``add_count``)."""
        return self._writers[name]

    def add_count(self, name: str, n: int) -> None:
        self.counts[name] += n

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()


class NullSink(CsvSink):
    """Discards rows (reference data recomputed inside worker processes)."""

    def __init__(self) -> None:
        super().__init__(Path("."), ())

    def write(self, name: str, row: Sequence[str]) -> None:
        pass


def write_header(path: Path, columns: Sequence[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(columns)


def csv_to_parquet(csv_path: Path, parquet_path: Path, columns: Sequence[str]) -> None:
    """Streams one CSV file into Parquet through DuckDB, every column as VARCHAR."""
    spec = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    con = duckdb.connect()
    try:
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv_path.as_posix()}', header = true, delim = ',', "
            f"quote = '\"', escape = '\"', auto_detect = false, columns = {{{spec}}})) "
            f"TO '{parquet_path.as_posix()}' (FORMAT parquet, COMPRESSION zstd)"
        )
    finally:
        con.close()


# --------------------------------------------------------------------------------------------
# Randomness helpers
# --------------------------------------------------------------------------------------------


class Picker:
    """Weighted choice from a fixed tuple with precomputed cumulative weights."""

    def __init__(self, values: Sequence[Any], weights: Sequence[float]) -> None:
        self.values = tuple(values)
        total, acc = float(sum(weights)), 0.0
        self.cum: list[float] = []
        for w in weights:
            acc += w
            self.cum.append(acc / total)
        self.cum[-1] = 1.0

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random())]


def work_time(rng: random.Random, day: int, start_hour: int) -> int:
    """A timestamp during the working day (10 hours from start_hour UTC)."""
    return day * DAY + start_hour * 3600 + rng.randrange(36_000)


def snap_to_work_hours(ts: int, start_hour: int) -> int:
    day, seconds = divmod(ts, DAY)
    return day * DAY + start_hour * 3600 + seconds % 36_000


def round_cents(cents: float, step: int) -> int:
    return max(step, int(round(cents / step)) * step)


# --------------------------------------------------------------------------------------------
# Reference data: users and conversion rates
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Users:
    ae_by_region: dict[str, list[str]]
    sdrs: list[str]
    integration: str

    def all_aes(self) -> list[str]:
        return [u for region in sorted(self.ae_by_region) for u in self.ae_by_region[region]]


@dataclass(slots=True)
class Reference:
    users: Users
    rates: dict[tuple[str, int], float]


def generate_reference(seed: int, sink: CsvSink) -> Reference:
    """Users and dated conversion rates (the same for every block)."""
    rng = random.Random(f"{seed}/reference")
    ids = IdFactory(seed, 0)
    users = generate_users(sink, ids, rng)
    return Reference(users, generate_rates(sink, rng))


def generate_users(sink: CsvSink, ids: IdFactory, rng: random.Random) -> Users:
    """1 VP, 3 regional managers with 20 account executives, an SDR manager with 5 SDRs and
    an integration user (no role, no manager)."""
    names = iter(_user_names(rng))
    vp_role, vp = ids.new("role"), ids.new("user")
    sink.write("user", (vp, next(names), vp_role, ""))
    ae_by_region: dict[str, list[str]] = {}
    for region, n_aes in (("NA East", 7), ("NA West", 7), ("EMEA", 6)):
        mgr_role, ae_role, mgr = ids.new("role"), ids.new("role"), ids.new("user")
        sink.write("user", (mgr, next(names), mgr_role, vp))
        ae_by_region[region] = []
        for _ in range(n_aes):
            ae = ids.new("user")
            sink.write("user", (ae, next(names), ae_role, mgr))
            ae_by_region[region].append(ae)
    sdr_mgr_role, sdr_role, sdr_mgr = ids.new("role"), ids.new("role"), ids.new("user")
    sink.write("user", (sdr_mgr, next(names), sdr_mgr_role, vp))
    sdrs = []
    for _ in range(5):
        sdr = ids.new("user")
        sink.write("user", (sdr, next(names), sdr_role, sdr_mgr))
        sdrs.append(sdr)
    integration = ids.new("user")
    sink.write("user", (integration, "Integration User", "", ""))
    return Users(ae_by_region, sdrs, integration)


def _user_names(rng: random.Random) -> list[str]:
    pool = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
    names = rng.sample(pool, 30) + list(USER_NAMES)
    rng.shuffle(names)
    return names


def generate_rates(sink: CsvSink, rng: random.Random) -> dict[tuple[str, int], float]:
    """Quarterly dated conversion rates (units per 1 USD) from 2023-10-01; the latest period
    has no NextStartDate. Returns (currency, quarter start day) -> rate."""
    starts = quarter_starts(RATE_FIRST_QUARTER, RATE_LAST_QUARTER)
    rates: dict[tuple[str, int], float] = {}
    for code in CURRENCIES:
        rate = RATE_WALK[code][0] if code in RATE_WALK else 1.0
        for i, start in enumerate(starts):
            if code in RATE_WALK:
                _, low, high = RATE_WALK[code]
                rate = min(high, max(low, rate + rng.uniform(-0.012, 0.012)))
                rate = round(rate, 6)
            nxt = starts[i + 1].isoformat() if i + 1 < len(starts) else ""
            sink.write("dated_conversion_rate", (code, f"{rate:.6f}", start.isoformat(), nxt))
            rates[(code, day_of(start))] = rate
    return rates


# --------------------------------------------------------------------------------------------
# Opportunity simulation
# --------------------------------------------------------------------------------------------

# A history row: (timestamp, stage, amount cents or None, close day, probability, forecast)
Row = tuple[int, str, int | None, int, int, str]


@dataclass(slots=True)
class Account:
    id: str
    name: str
    currency: str
    start_hour: int
    region: str
    owner: str
    size: float  # relative deal-size multiplier
    industry: str
    country: str
    employees: int
    contacts: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Opportunity:
    id: str
    family: str
    type_label: str
    created: int
    rows: list[Row]
    current: Row
    last_modified: int
    is_deleted: bool = False
    emit_history: bool = True
    closed_at: int | None = None  # timestamp of the final close (when closed at the end)
    lead_source: str = ""
    owner: str = ""
    contact: str = ""  # the contact created by converting its lead


@dataclass(slots=True)
class Plan:
    """What a simulated opportunity will do (before truncation at the as-of time)."""

    family: str
    created: int
    amount: int | None
    expected_close: int
    start_hour: int
    stages: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    backdated_close: int | None = None


class Simulator:
    """Builds the stage path and the full history of one opportunity."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.start_pickers = {f: Picker(*v) for f, v in START_STAGES.items()}

    # -- planning -------------------------------------------------------------------------

    def plan_stages(self, family: str) -> tuple[str, list[str], bool]:
        """Returns (start stage, later stages incl. closes, ends-closed) for one opportunity."""
        rng = self.rng
        ladder = LADDERS[family]
        last = len(ladder) - 1
        start = self.start_pickers[family](rng)
        p_won, p_stall = OUTCOMES[family]
        r = rng.random()
        outcome = "won" if r < p_won else ("stall" if r < p_won + p_stall else "lost")
        if outcome == "won":
            target = last if rng.random() < 0.8 else max(start, last - 1)
        else:
            target = start + int(rng.random() ** 1.6 * (last - start + 1))
            target = min(target, last)
        path = [ladder[i] for i in self._walk(start, target)]
        if outcome == "won":
            path.append(WON)
        elif outcome == "lost":
            path.append(LOST)
            if family != "retention" and rng.random() < 0.06:
                path.extend(self._reopen(ladder, target))
        if path and rng.random() < 0.003:
            pos = rng.randrange(len(path))
            resume = path[pos - 1] if pos > 0 else ladder[start]
            if resume in (WON, LOST):
                resume = ladder[target]
            path[pos:pos] = [ON_HOLD, resume]
        return ladder[start], path, outcome != "stall"

    def _walk(self, start: int, target: int) -> list[int]:
        """Stage indexes from start to target: mostly forward, some skips, a few step backs."""
        rng, i, out = self.rng, start, []
        for _ in range(40):
            if i >= target:
                break
            r = rng.random()
            if r < 0.07 and i > start:
                i -= 1
            elif r < 0.25:
                i = min(target, i + 2)
            elif r < 0.29:
                i = min(target, i + 3)
            else:
                i += 1
            out.append(i)
        return out

    def _reopen(self, ladder: Sequence[str], target: int) -> list[str]:
        rng = self.rng
        i = max(1, min(target, len(ladder) - 2))
        path = [ladder[i]]
        if rng.random() < 0.6:
            path.append(ladder[min(len(ladder) - 1, i + 1)])
        path.append(WON if rng.random() < 0.5 else LOST)
        return path

    def plan(self, family: str, created: int, amount: int | None, start_hour: int) -> Plan:
        rng = self.rng
        start_stage, path, closes = self.plan_stages(family)
        cycle = max(3.0, rng.lognormvariate(math.log(CYCLE_DAYS[family]), 0.55))
        if path and path[-1] == LOST:
            cycle *= 0.4 + 0.6 * rng.random()
        cycle += 25.0 * path.count(ON_HOLD) + 30.0 * (path.count(LOST) + path.count(WON) > 1)
        created_day = created // DAY
        expected = created_day + max(7, int(cycle * rng.uniform(0.55, 1.1)))
        expected = self._snap_close(expected)
        plan = Plan(family, created, amount, expected, start_hour, [start_stage])
        plan.times = [created]
        gaps = [rng.expovariate(1.0) + 0.15 for _ in path]
        total = sum(gaps) or 1.0
        acc = 0.0
        for stage, gap in zip(path, gaps, strict=True):
            acc += gap
            t = created + int(cycle * DAY * acc / total)
            plan.stages.append(stage)
            plan.times.append(snap_to_work_hours(t, start_hour))
        if closes and path and path[-1] == WON and rng.random() < 0.07:
            # marked Closed Won a few days into the next quarter, CloseDate back-dated
            qe = quarter_end(plan.times[-1] // DAY)
            plan.backdated_close = qe
            plan.times[-1] = work_time(rng, qe + 1 + rng.randrange(10), start_hour)
        return plan

    def _snap_close(self, day: int) -> int:
        r = self.rng.random()
        if r < 0.45:
            return month_end(day)
        if r < 0.65:
            return quarter_end(day)
        return day

    # -- history ---------------------------------------------------------------------------

    def side_events(self, plan: Plan) -> list[tuple[int, int, str]]:
        """Amount changes, close-date pushes/pull-ins and probability/forecast edits."""
        rng = self.rng
        t0, t1 = plan.times[0], plan.times[-1]
        if t1 - t0 < 3600:
            return []
        heavy = plan.family == "acquisition"
        counts = (
            ("amount", rng.choice((0, 1, 2, 2, 3, 3, 4) if heavy else (0, 1, 1, 2, 2))),
            ("close", rng.choice((1, 1, 2, 2, 3, 4) if heavy else (1, 1, 2, 2, 3))),
            ("prob", rng.choice((0, 1, 1, 2, 2, 3) if heavy else (0, 1, 1, 2, 2))),
            ("forecast", 1 if rng.random() < 0.08 else 0),
        )
        out = []
        for n, (kind, count) in enumerate(counts):
            for k in range(count):
                t = snap_to_work_hours(rng.randrange(t0 + 1, t1), plan.start_hour)
                out.append((t, n * 10 + k, kind))
        return out

    def history(self, plan: Plan) -> list[Row]:
        """Applies stage events and side events in time order; one row per saved change.
        Stops at the as-of time: later events have not happened yet."""
        rng = self.rng
        first_stage = plan.stages[0]
        prob, fc = STAGE_DEFAULTS[first_stage]
        amount = plan.amount
        if amount is not None and first_stage in PRE_PIPELINE and rng.random() < 0.45:
            amount = None  # no amount until the deal is qualified
        close = plan.expected_close
        if first_stage == WON:
            close = plan.created // DAY
        rows: list[Row] = [(plan.created, first_stage, amount, close, prob, fc)]
        events = [(t, i, "stage") for i, t in enumerate(plan.times[1:], start=1)]
        events += self.side_events(plan)
        events.sort()
        last_t = plan.created
        stage = first_stage
        for t, key, kind in events:
            if t <= last_t:
                t = last_t + rng.randrange(60, 7200)
            if t > END_TS:
                break
            day = t // DAY
            if kind == "stage":
                new = plan.stages[key]
                is_final = key == len(plan.stages) - 1
                state = self._stage_change(plan, rows[-1], new, day, is_final, stage)
                stage = new
            elif stage in (WON, LOST):
                continue
            else:
                state = self._side_change(kind, rows[-1], day)
            if state is None or state == rows[-1][1:]:
                continue
            rows.append((t, *state))
            last_t = t
            if (
                kind == "stage"
                and state[3] <= 90
                and stage not in (WON, LOST)
                and rng.random() < 0.005
            ):
                # a workflow rule re-saves the record in the same second
                p = min(99, state[3] + 5)
                rows.append((t, state[0], state[1], state[2], p, state[4]))
        return rows

    def _stage_change(
        self, plan: Plan, prev: Row, stage: str, day: int, is_final: bool, old_stage: str
    ) -> tuple[str, int | None, int, int, str]:
        rng = self.rng
        _, _, amount, close, _, _ = prev
        prob, fc = STAGE_DEFAULTS[stage]
        if amount is None and stage not in PRE_PIPELINE and stage != LOST:
            amount = plan.amount
        if stage == WON:
            if is_final and plan.backdated_close is not None:
                close = plan.backdated_close
            else:
                close = day
            if amount is not None and rng.random() < 0.25:
                amount = round_cents(amount * rng.uniform(0.85, 1.0), 100)
        elif stage == LOST:
            close = day if rng.random() < 0.85 else min(close, day)
            if amount is not None and rng.random() < 0.10:
                amount = 0
        elif old_stage == LOST:
            close = month_end(day + rng.randrange(30, 100))  # reopened
        elif close < day and rng.random() < 0.85:
            close = self._push(close, day)
        return (stage, amount, close, prob, fc)

    def _push(self, close: int, day: int) -> int:
        """A close-date push: to the end of the next quarter or later, sometimes next month."""
        rng = self.rng
        base = max(close, day)
        r = rng.random()
        if r < 0.25:
            return month_end(month_end(base) + 1)
        if r < 0.85:
            return quarter_end(quarter_end(base) + 1)
        return quarter_end(quarter_end(quarter_end(base) + 1) + 1)

    def _side_change(
        self, kind: str, prev: Row, day: int
    ) -> tuple[str, int | None, int, int, str] | None:
        rng = self.rng
        _, stage, amount, close, prob, fc = prev
        if kind == "amount":
            if amount is None or amount == 0:
                return None
            factor = rng.uniform(1.05, 1.5) if rng.random() < 0.55 else rng.uniform(0.6, 0.95)
            amount = round_cents(amount * factor, 100 if amount >= 100_000 else 1)
        elif kind == "close":
            if close <= day + 21:  # slipping: push it out
                close = self._push(close, day)
            elif rng.random() < 0.4:  # pull-in
                close = max(day + 7, close - rng.randrange(15, 75))
            else:  # a small slip
                close = month_end(month_end(close) + 1)
        elif kind == "prob":
            if not 0 < prob < 100:
                return None
            prob = min(99, max(1, prob + rng.choice((-15, -10, -5, 5, 10))))
        else:
            i = FORECAST_ORDER.index(fc) if fc in FORECAST_ORDER else 1
            fc = FORECAST_ORDER[max(1, min(3, i + rng.choice((-1, 1))))]
        return (stage, amount, close, prob, fc)

    # -- whole opportunity -------------------------------------------------------------------

    def simulate(
        self, family: str, created: int, amount: int, start_hour: int, born_won: bool = False
    ) -> tuple[list[Row], int | None]:
        """Returns (history rows, close timestamp if the opportunity ends closed)."""
        if born_won:
            plan = Plan(family, created, amount, created // DAY, start_hour, [WON], [created])
        else:
            plan = self.plan(family, created, amount, start_hour)
        rows = self.history(plan)
        last_stage = rows[-1][1]
        return rows, (rows[-1][0] if last_stage in (WON, LOST) else None)


# --------------------------------------------------------------------------------------------
# Account journeys and row emission
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Planted:
    """The deliberately bad rows (fixed count at every scale)."""

    duplicate_history_id: str = ""
    bad_amount_history_id: str = ""
    orphan_history_id: str = ""
    orphan_opportunity_id: str = ""
    duplicate_opportunity_id: str = ""
    bad_date_lead_id: str = ""

    @classmethod
    def disabled(cls) -> Planted:
        """Marks every bad row as already planted."""
        return cls(*["-"] * 6)

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


class Generator:
    """Simulates one block of accounts, one account at a time, streaming rows to the sink."""

    def __init__(
        self, sink: CsvSink, ref: Reference, seed: int, block: int, n_accounts: int
    ) -> None:
        self.rng = random.Random(f"{seed}/block/{block}")
        self.sink = sink
        self.users = ref.users
        self.rates = ref.rates
        self.n_accounts = n_accounts
        self.ids = IdFactory(seed, block)
        self.fmt = TimestampFormatter(self.rng)
        self.sim = Simulator(self.rng)
        # the deliberately bad rows are planted once, in block 0
        self.planted = Planted() if block == 0 else Planted.disabled()
        self.opp_seq = 0
        self.unconverted_leads = 0
        self.type_pickers = {f: Picker(*v) for f, v in TYPE_VALUES.items()}
        self.source_picker = Picker(LEAD_SOURCES, LEAD_SOURCE_WEIGHTS)
        self.role_picker = Picker(CONTACT_ROLES, CONTACT_ROLE_WEIGHTS)
        self.industry_picker = Picker(INDUSTRIES, INDUSTRY_WEIGHTS)
        self.currency_picker = Picker(CURRENCIES, CURRENCY_WEIGHTS)
        self.country_pickers = {c: Picker(v[0], v[1]) for c, v in COUNTRIES.items()}
        self.all_aes = self.users.all_aes()
        self.w_history = sink.writer("opportunity_history")

    def run(self) -> None:
        for start_day in self._account_start_days(self.n_accounts):
            self.account_journey(start_day)

    def _account_start_days(self, n: int) -> Iterator[int]:
        """Sorted first-engagement days, denser early so customers have time to grow."""
        span = END_DAY - 20 - START_DAY
        rng = self.rng
        days = sorted(START_DAY + int(span * rng.random() ** 1.7) for _ in range(n))
        yield from days

    # -- accounts --------------------------------------------------------------------------

    def new_account(self) -> Account:
        rng = self.rng
        currency = self.currency_picker(rng)
        suffixes, start_hour = COUNTRIES[currency][2:]
        country = self.country_pickers[currency](rng)
        if rng.random() < 0.005:
            name = rng.choice(ODD_COMPANY_NAMES)
        else:
            name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)} {rng.choice(suffixes)}"
        region = "EMEA" if currency != "USD" else ("NA East" if rng.random() < 0.5 else "NA West")
        employees = int(min(200_000, max(5, rng.lognormvariate(math.log(400), 1.4))))
        size = min(8.0, max(0.25, (employees / 400) ** 0.35))
        account = Account(
            id=self.ids.new("account"),
            name=name,
            currency=currency,
            start_hour=start_hour,
            region=region,
            owner=rng.choice(self.users.ae_by_region[region]),
            size=size,
            industry=self.industry_picker(rng),
            country=country,
            employees=employees,
        )
        return account

    def write_account(self, account: Account, account_type: str) -> None:
        rng = self.rng
        self.sink.write(
            "account",
            (
                account.id,
                account.name,
                account_type,
                account.industry if rng.random() > 0.03 else "",
                account.country,
                str(account.employees) if rng.random() > 0.05 else "",
            ),
        )

    def account_journey(self, start_day: int) -> None:
        """Acquisition attempts until won (or given up), then renewals, upsells, cross-sells."""
        rng = self.rng
        account = self.new_account()
        opps: list[Opportunity] = []
        leads: list[tuple[Any, ...]] = []
        account_type = "Prospect"
        if rng.random() < 0.04:  # an account with no opportunities (imported list)
            self.write_account(account, account_type)
            for _ in range(rng.randrange(1, 4)):
                self.write_lead(self.unconverted_lead(account.name, company_domain(account.name)))
            return
        t = work_time(rng, start_day, account.start_hour)
        won_at: int | None = None
        arr = 0
        while t < END_TS - 3 * DAY:
            usd = round_cents(rng.lognormvariate(math.log(2_600_000), 0.7) * account.size, 50_000)
            opp = self.new_opportunity(account, "acquisition", t, usd)
            opps.append(opp)
            leads.extend(self.acquisition_leads(account, opp))
            if opp.closed_at is not None and opp.current[1] == WON:
                won_at, arr = opp.closed_at, usd
                break
            if opp.closed_at is None or rng.random() > 0.8:
                break
            t = work_time(rng, opp.closed_at // DAY + rng.randrange(20, 150), account.start_hour)
        if won_at is not None:
            account_type = "Customer - Direct" if rng.random() < 0.85 else "Customer - Channel"
            if self.customer_journey(account, won_at, arr, opps):
                account_type = "Former Customer"
        self.write_account(account, account_type)
        for opp in opps:
            self.write_opportunity(account, opp)
        for lead in leads:
            self.write_lead(lead)

    def customer_journey(
        self, account: Account, won_at: int, arr: int, opps: list[Opportunity]
    ) -> bool:
        """Follow-up deals after the first win; returns True if the customer churned."""
        rng = self.rng
        next_renewal = won_at + rng.randrange(335, 366) * DAY
        upsell_t = won_at + int(rng.expovariate(UPSELLS_PER_YEAR / 365) * DAY) + 30 * DAY
        cross_t = won_at + int(rng.expovariate(CROSS_SELLS_PER_YEAR / 365) * DAY) + 45 * DAY
        churned_at: int | None = None
        while True:
            t, _, family = min(
                (next_renewal, 0, "retention"), (upsell_t, 1, "upsell"), (cross_t, 2, "cross_sell")
            )
            if t >= END_TS - 2 * DAY or (churned_at is not None and t > churned_at):
                return churned_at is not None
            t = snap_to_work_hours(t, account.start_hour)
            if family == "retention":
                opp, renewed_arr = self.renewal(account, t, arr)
                stage = opp.current[1]
                next_renewal = END_TS  # renewal lost, or still open at the as-of time
                if opp.closed_at is not None and stage == WON:
                    arr = renewed_arr
                    next_renewal = opp.closed_at + rng.randrange(335, 366) * DAY
                elif opp.closed_at is not None and stage == LOST:
                    churned_at = opp.closed_at
            elif family == "upsell":
                usd = round_cents(arr * rng.uniform(0.12, 0.5), 10_000)
                opp = self.new_opportunity(account, family, t, usd)
                if opp.current[1] == WON:
                    arr += usd
                upsell_t = t + int(rng.expovariate(UPSELLS_PER_YEAR / 365) * DAY) + 20 * DAY
            else:
                usd = round_cents(arr * rng.uniform(0.15, 0.6), 10_000)
                opp = self.new_opportunity(account, family, t, usd)
                cross_t = t + int(rng.expovariate(CROSS_SELLS_PER_YEAR / 365) * DAY) + 30 * DAY
            opps.append(opp)

    def renewal(self, account: Account, t: int, arr: int) -> tuple[Opportunity, int]:
        """A renewal (or replacement/downgrade) of the current ARR; returns it and its USD ARR."""
        type_label = self.type_pickers["retention"](self.rng)
        factor = {"Existing Customer - Downgrade": (0.6, 0.9)}.get(type_label, (0.97, 1.1))
        usd = round_cents(arr * self.rng.uniform(*factor), 10_000)
        return self.new_opportunity(account, "retention", t, usd, type_label), usd

    # -- opportunities ------------------------------------------------------------------------

    def new_opportunity(
        self, account: Account, family: str, created: int, usd_cents: int, type_label: str = ""
    ) -> Opportunity:
        rng = self.rng
        rate = self.rates[(account.currency, min(quarter_start(created // DAY), _LAST_RATE_DAY))]
        amount = round_cents(usd_cents * rate, 10_000 if rng.random() < 0.8 else 1)
        born_won = family != "acquisition" and rng.random() < 0.015
        rows, closed_at = self.sim.simulate(family, created, amount, account.start_hour, born_won)
        if not type_label:
            type_label = self.type_pickers[family](rng)
        r = rng.random()
        if r < 0.005:
            type_label = ""
        elif r < 0.01:
            type_label = rng.choice(ODD_TYPES)
        owner = account.owner if rng.random() < 0.9 else rng.choice(self.all_aes)
        if family == "retention" and rng.random() < 0.1:
            owner = self.users.integration
        opp = Opportunity(
            id=self.ids.new("opportunity"),
            family=family,
            type_label=type_label,
            created=created,
            rows=rows,
            current=rows[-1],
            last_modified=rows[-1][0],
            closed_at=closed_at,
            owner=owner,
        )
        self._finish_opportunity(opp)
        return opp

    def _finish_opportunity(self, opp: Opportunity) -> None:
        """Later edits: deletion, edits without history, no-history records, plain touches."""
        rng = self.rng
        last_t = opp.rows[-1][0]
        r = rng.random()
        if r < 0.04:  # deleted: ~2% of all (duplicates, junk; never a won deal)
            if opp.current[1] != WON and r < 0.036:
                opp.is_deleted = True
                opp.last_modified = self._later(last_t, 90)
        elif r < 0.051 and len(opp.rows) > 1:
            stage, amount, close, prob, fc = opp.current[1:]
            if amount and rng.random() < 0.7:
                amount = round_cents(amount * rng.uniform(0.8, 1.2), 100)
            else:
                close = close + rng.choice((-7, -3, 3, 7, 14))
            opp.last_modified = self._later(last_t, 30)
            opp.current = (opp.last_modified, stage, amount, close, prob, fc)
        elif r < 0.057:
            opp.emit_history = False
        elif r < 0.45:
            opp.last_modified = self._later(last_t, 60)

    def _later(self, t: int, max_days: int) -> int:
        return min(END_TS, t + self.rng.randrange(600, max_days * DAY))

    def write_opportunity(self, account: Account, opp: Opportunity) -> None:
        self.opp_seq += 1
        _, stage, amount, close, prob, fc = opp.current
        closed = stage in (WON, LOST)
        fmt = self.fmt
        row = (
            opp.id,
            account.id,
            opportunity_name(account.name, opp.type_label, opp.created),
            opp.type_label,
            stage,
            fmt_amount(amount),
            account.currency,
            date_str(close),
            fmt(opp.created),
            fmt(opp.last_modified),
            fmt_bool(closed),
            fmt_bool(stage == WON),
            fmt_bool(opp.is_deleted),
            opp.owner,
            opp.lead_source,
            str(prob),
            fc,
        )
        self.sink.write("opportunity", row)
        if opp.emit_history:
            self.write_history(opp)
        if self._plant_stale_duplicate(opp):
            t, stage, amount, close, prob, fc = opp.rows[-2]
            stale = (*row[:4], stage, fmt_amount(amount), row[6], date_str(close), row[8], fmt(t))
            stale += (fmt_bool(stage in (WON, LOST)), fmt_bool(stage == WON), *row[12:15])
            self.sink.write("opportunity", (*stale, str(prob), fc))
            self.planted.duplicate_opportunity_id = opp.id
        self.write_contact_roles(account, opp)

    def _plant_stale_duplicate(self, opp: Opportunity) -> bool:
        return (
            not self.planted.duplicate_opportunity_id
            and self.opp_seq >= 9
            and opp.emit_history
            and not opp.is_deleted
            and len(opp.rows) >= 3
            and opp.rows[-2][0] < opp.last_modified
        )

    def write_history(self, opp: Opportunity) -> None:
        fmt, new_id, write = self.fmt, self.ids.new, self.w_history
        deleted = fmt_bool(opp.is_deleted)
        planted = self.planted
        dup_at = bad_at = -1
        if not opp.is_deleted and len(opp.rows) >= 4:
            if not planted.duplicate_history_id and self.opp_seq >= 3:
                dup_at = 2
            elif not planted.bad_amount_history_id and self.opp_seq >= 5:
                bad_at = next(
                    (
                        i
                        for i in range(1, len(opp.rows) - 1)
                        if opp.rows[i][2] is not None and opp.rows[i][2] == opp.rows[i - 1][2]
                    ),
                    -1,
                )
        for i, (t, stage, amount, close, prob, fc) in enumerate(opp.rows):
            amount_text = "12,5O0" if i == bad_at else fmt_amount(amount)
            row = (new_id("opportunity_history"), opp.id, fmt(t), stage, amount_text)
            row += (date_str(close), str(prob), fc, deleted)
            write(row)
            if i == dup_at:
                write(row)
                planted.duplicate_history_id = row[0]
            elif i == bad_at:
                planted.bad_amount_history_id = row[0]
        self.sink.add_count("opportunity_history", len(opp.rows) + (dup_at >= 0))
        if not planted.orphan_history_id and self.opp_seq >= 7:
            self._plant_orphan_history(opp)

    def _plant_orphan_history(self, opp: Opportunity) -> None:
        missing = sf_id(ID_PREFIX["opportunity"], 62**9 - 1 - self.rng.randrange(1000))
        t = opp.created + DAY
        close = month_end(t // DAY + 60)
        hid = self.ids.new("opportunity_history")
        self.sink.write(
            "opportunity_history",
            (hid, missing, self.fmt(t), "Prospecting", "25000.00", date_str(close), "10")
            + ("Pipeline", "false"),
        )
        self.planted.orphan_history_id, self.planted.orphan_opportunity_id = hid, missing

    def write_contact_roles(self, account: Account, opp: Opportunity) -> None:
        rng = self.rng
        big = opp.family == "acquisition"
        n = rng.choice(
            (0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8) if big else (0, 0, 1, 1, 1, 2, 2, 3, 4)
        )
        if n == 0:
            return
        contacts = self._contacts(account, n, opp)
        end = opp.closed_at if opp.closed_at is not None else END_TS
        has_primary = rng.random() < 0.8
        for k, contact in enumerate(contacts):
            if rng.random() < 0.1 and opp.closed_at is not None:
                t = min(END_TS, end + rng.randrange(DAY, 30 * DAY))
            else:
                t = opp.created + int((end - opp.created) * rng.random() ** 1.7)
            deleted = opp.is_deleted or rng.random() < 0.02
            self.sink.write(
                "opportunity_contact_role",
                (
                    self.ids.new("opportunity_contact_role"),
                    opp.id,
                    contact,
                    self.role_picker(rng),
                    fmt_bool(has_primary and k == 0),
                    self.fmt(t),
                    fmt_bool(deleted),
                ),
            )

    def _contacts(self, account: Account, n: int, opp: Opportunity) -> list[str]:
        """n distinct contacts of the account; the converted lead's contact comes first."""
        while len(account.contacts) < n + 2:
            account.contacts.append(self.ids.new("contact"))
        chosen = self.rng.sample(account.contacts, n)
        if opp.contact:
            chosen = [opp.contact] + [c for c in chosen if c != opp.contact][: n - 1]
        return chosen

    # -- leads --------------------------------------------------------------------------------

    def acquisition_leads(self, account: Account, opp: Opportunity) -> list[tuple[Any, ...]]:
        """The lead converted into this opportunity (most of the time) plus unconverted leads."""
        rng = self.rng
        domain = company_domain(account.name)
        leads: list[tuple[Any, ...]] = []
        if rng.random() < 0.86:
            leads.append(self.converted_lead(account, opp, domain))
        else:
            opp.lead_source = rng.choice(("Outbound Prospecting", "Partner Referral", "", ""))
        for _ in range(rng.randrange(2, 7)):
            company = account.name if rng.random() < 0.2 else random_company(rng)
            leads.append(self.unconverted_lead(company, company_domain(company)))
        return leads

    def converted_lead(self, account: Account, opp: Opportunity, domain: str) -> tuple[Any, ...]:
        rng = self.rng
        source = self.source_picker(rng)
        opp.lead_source = source
        converted = opp.created - rng.randrange(60, 3600)
        created = max(
            START_DAY * DAY + rng.randrange(8 * 3600, 20 * 3600),
            converted - int(rng.lognormvariate(math.log(25), 0.8) * DAY),
        )
        created = min(created, converted - 60)
        mql = sal = None
        if rng.random() < 0.96:
            mql = created + int((converted - created) * rng.random() * 0.6)
            if rng.random() < 0.82:
                sal = mql + int((converted - mql) * rng.uniform(0.1, 0.9))
        contact = self.ids.new("contact")
        account.contacts.append(contact)
        opp.contact = contact
        return (
            created, LEAD_CONVERTED, source, converted, opp.id, contact, account.id,
            make_email(rng, domain), account.name, mql, sal,
        )  # fmt: skip

    def unconverted_lead(self, company: str, domain: str) -> tuple[Any, ...]:
        rng = self.rng
        created = work_time(rng, START_DAY + rng.randrange(END_DAY - START_DAY + 1), 9)
        created = min(created, END_TS - 60)
        age = (END_TS - created) / DAY
        r = rng.random()
        if age < 21:
            status = LEAD_OPEN if r < 0.6 else LEAD_WORKING
        elif age < 90:
            status = LEAD_OPEN if r < 0.15 else (LEAD_WORKING if r < 0.6 else LEAD_NOT_CONVERTED)
        else:
            status = LEAD_OPEN if r < 0.07 else (LEAD_WORKING if r < 0.2 else LEAD_NOT_CONVERTED)
        mql = sal = None
        if rng.random() < 0.31:
            mql = created + rng.randrange(600, 20 * DAY)
            if mql > END_TS:
                mql = None
            elif rng.random() < 0.40:
                sal = mql + rng.randrange(600, 10 * DAY)
                sal = sal if sal <= END_TS else None
        return (
            created, status, self.source_picker(rng), None, "", "", "",
            make_email(rng, domain), company, mql, sal,
        )  # fmt: skip

    def write_lead(self, lead: tuple[Any, ...]) -> None:
        created, status, source, converted, opp_id, contact, account_id, email, company = lead[:9]
        mql, sal = lead[9:]
        rng, fmt = self.rng, self.fmt
        created_text = fmt(created)
        if converted is None:
            self.unconverted_leads += 1
            if self.unconverted_leads == 3:
                created_text = "not-a-date"
        lead_id = self.ids.new("lead")
        if created_text == "not-a-date":
            self.planted.bad_date_lead_id = lead_id
        self.sink.write(
            "lead",
            (
                lead_id,
                created_text,
                status,
                source,
                fmt_bool(converted is not None),
                "" if converted is None else date_str(converted // DAY),
                opp_id,
                contact,
                account_id,
                email,
                company,
                rng.choice(self.users.sdrs),
                fmt_bool(rng.random() < 0.006),
                "" if mql is None else fmt(mql),
                "" if sal is None else fmt(sal),
            ),
        )


_LAST_RATE_DAY = day_of(RATE_LAST_QUARTER)


def opportunity_name(account_name: str, type_label: str, created: int) -> str:
    year = to_date(created // DAY).year
    return f"{account_name} - {type_label or 'Opportunity'} {year}"


def company_domain(company: str) -> str:
    word = "".join(ch for ch in company.split(" ")[0].lower() if ch.isascii() and ch.isalnum())
    return f"{word or 'example'}.com"


def random_company(rng: random.Random) -> str:
    return f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)}"


def make_email(rng: random.Random, domain: str) -> str:
    return f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}@{domain}"


# --------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------


ACCOUNTS_PER_BLOCK = 600  # one block = the scale-1 demo's accounts


@dataclass(slots=True)
class Result:
    counts: dict[str, int]
    planted: dict[str, str]
    seconds: float


def plan_blocks(scale: float) -> list[int]:
    """Accounts per block: scale 1 is one block of 600 accounts, scale 2.5 is 600+600+300."""
    total = max(10, round(ACCOUNTS_PER_BLOCK * scale))
    full, rest = divmod(total, ACCOUNTS_PER_BLOCK)
    return [ACCOUNTS_PER_BLOCK] * full + ([rest] if rest else [])


def run_block(args: tuple[Path, int, int, int]) -> tuple[dict[str, int], dict[str, str]]:
    """Generates one block of accounts into headerless part files; returns counts, planted."""
    directory, seed, block, n_accounts = args
    ref = generate_reference(seed, NullSink())
    sink = CsvSink(directory)
    gen = Generator(sink, ref, seed, block, n_accounts)
    try:
        gen.run()
    finally:
        sink.close()
    return sink.counts, gen.planted.as_dict()


def run_blocks(tmp: Path, seed: int, blocks: list[int], jobs: int) -> list[tuple[Path, Any]]:
    args = [(tmp / f"block-{b:06d}", seed, b, n) for b, n in enumerate(blocks)]
    if jobs <= 1 or len(args) == 1:
        return [(a[0], run_block(a)) for a in args]
    with ProcessPoolExecutor(max_workers=min(jobs, len(args))) as pool:
        return [(a[0], r) for a, r in zip(args, pool.map(run_block, args), strict=True)]


def assemble(target: Path, name: str, parts: Sequence[Path]) -> None:
    """Header row plus the part files, in order, into one CSV file."""
    write_header(target, COLUMNS[name])
    with open(target, "ab") as out:
        for part in parts:
            if part.exists():
                with open(part, "rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)


def generate(
    out: Path, scale: float = 1.0, seed: int = 42, fmt: str = "csv", jobs: int = 1
) -> Result:
    """Writes the export files into ``out`` and returns row counts and planted bad rows.
    The output does not depend on ``jobs`` (blocks are seeded and concatenated in order)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if fmt not in ("csv", "parquet"):
        raise ValueError("format must be csv or parquet")
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for name in COLUMNS:
        for ext in ("csv", "parquet"):
            (out / f"{name}.{ext}").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".generate-") as tmp_name:
        tmp = Path(tmp_name)
        ref_sink = CsvSink(tmp / "reference", ("user", "dated_conversion_rate"))
        generate_reference(seed, ref_sink)
        ref_sink.close()
        counts = dict.fromkeys(COLUMNS, 0)
        counts.update(ref_sink.counts)
        results = run_blocks(tmp, seed, plan_blocks(scale), jobs)
        for _, (block_counts, _) in results:
            for name, n in block_counts.items():
                counts[name] += n
        for name, columns in COLUMNS.items():
            parts = [tmp / "reference" / f"{name}.csv"] + [d / f"{name}.csv" for d, _ in results]
            target = out / f"{name}.csv" if fmt == "csv" else tmp / f"{name}.csv"
            assemble(target, name, parts)
            if fmt == "parquet":
                csv_to_parquet(target, out / f"{name}.parquet", columns)
                target.unlink()
            for part in parts:
                part.unlink(missing_ok=True)
    return Result(counts, results[0][1][1], time.perf_counter() - began)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the demo (~3k opps)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes, one block of 600 accounts each at a time (output is the same)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = generate(args.out, args.scale, args.seed, args.format, args.jobs)
    total = sum(result.counts.values())
    counts = " ".join(f"{name}={n}" for name, n in result.counts.items())
    print(
        f"wrote {args.format} to {args.out}: {counts} "
        f"({total} rows in {result.seconds:.1f}s, {total / max(result.seconds, 1e-9):,.0f} rows/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
