"""Dated conversion rates: a quarterly random walk per currency (units per 1 USD)."""

from __future__ import annotations

import random
from datetime import date

from .dates import day_of, quarter_start, quarter_starts
from .picklists import CURRENCIES, RATE_WALK
from .writers import CsvSink

RATE_FIRST_QUARTER = date(2023, 10, 1)
RATE_LAST_QUARTER = date(2026, 10, 1)
_LAST_RATE_DAY = day_of(RATE_LAST_QUARTER)

Rates = dict[tuple[str, int], float]


def generate_rates(sink: CsvSink, rng: random.Random) -> Rates:
    """Quarterly dated conversion rates (units per 1 USD) from 2023-10-01; the latest period
    has no NextStartDate. Returns (currency, quarter start day) -> rate."""
    starts = quarter_starts(RATE_FIRST_QUARTER, RATE_LAST_QUARTER)
    rates: Rates = {}
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


def rate_on(rates: Rates, currency: str, day: int) -> float:
    """The rate of the quarter holding ``day`` (the last quarter's rate after it)."""
    return rates[(currency, min(quarter_start(day), _LAST_RATE_DAY))]
