"""Plain-Python reference for the plan worked backwards (issue 10, ``fct_pipeline_plan``).

It re-implements the issue's plan rules from the waterfall rows and the targets file, without
looking at the planning models: its own fiscal-quarter arithmetic, its own lookback windows and
ratio pools, ``decimal.Decimal`` throughout (40 significant digits for the ratios). The choices
where the issue is silent are the ones the README's planning section documents:

1. Quarter status is relative to the quarter containing ``as_of``. Lookback: the N quarters
   before the plan quarter (past / current) or before the current quarter (future), counting
   only quarters the waterfall reports.
2. ``ratio_source = type`` when the type had starting + new > 0 in each of the N quarters;
   else ``all_types`` over the lookback quarters with all-types pipeline; else ``none``.
3. Future starting pipeline = the previous quarter's ending target (same type), else none.
   Past / current: the waterfall's; 0 for a type without any opportunity; none before the
   first reported quarter.
4. Both required-new formulas are clamped at 0; expected lost / value change are taken at the
   clamped solution.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Context, Decimal
from pathlib import Path

MICRO = Decimal("0.000001")
PRECISE = Context(prec=40)
TYPES = ("acquisition", "retention", "upsell", "cross_sell", "all")


def quarter_start(day: date, fiscal_year_start_month: int) -> date:
    """First day of the fiscal quarter containing ``day``."""
    offset = (fiscal_year_start_month - 1) % 3
    months = day.year * 12 + day.month - 1 - offset
    months -= months % 3
    months += offset
    return date(months // 12, months % 12 + 1, 1)


def quarter_label(start: date, fiscal_year_start_month: int) -> str:
    """FY label of a fiscal quarter (the fiscal year is named after the year it ends in)."""
    months_into_year = (start.month - fiscal_year_start_month) % 12
    later = fiscal_year_start_month > 1 and start.month >= fiscal_year_start_month
    year = start.year + (1 if later else 0)
    return f"FY{year}-Q{months_into_year // 3 + 1}"


def shift(start: date, quarters: int) -> date:
    months = start.year * 12 + start.month - 1 + 3 * quarters
    return date(months // 12, months % 12 + 1, 1)


@dataclass(frozen=True)
class WaterfallRow:
    starting: Decimal
    new: Decimal
    value_change: Decimal
    won: Decimal
    lost: Decimal
    ending: Decimal


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else PRECISE.divide(numerator, denominator)


def plan(
    waterfall: dict[tuple[date, str], WaterfallRow],
    targets_csv: Path,
    as_of: date,
    fiscal_year_start_month: int = 1,
    lookback: int = 4,
) -> dict[tuple[date, str], dict[str, object]]:
    """fct_pipeline_plan's rows keyed by (quarter start, type), from the per-type waterfall."""
    by_quarter: dict[tuple[date, str], WaterfallRow] = dict(waterfall)
    totals: dict[date, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 6)
    for (start, _), row in waterfall.items():
        values = (row.starting, row.new, row.value_change, row.won, row.lost, row.ending)
        totals[start] = [a + b for a, b in zip(totals[start], values, strict=True)]
    for start, values in totals.items():
        by_quarter[(start, "all")] = WaterfallRow(*values)
    reported = set(totals)
    current = quarter_start(as_of, fiscal_year_start_month)
    labels: dict[str, date] = {}
    first = shift(current, -80)
    for i in range(200):
        q = shift(first, i)
        labels[quarter_label(q, fiscal_year_start_month)] = q
    targets: dict[tuple[date, str], tuple[Decimal | None, Decimal | None]] = {}
    with targets_csv.open(newline="") as handle:
        for record in csv.DictReader(handle):
            won_text, end_text = record["closed_won_target"], record["ending_pipeline_target"]
            won = Decimal(won_text) if won_text else None
            end = Decimal(end_text) if end_text else None
            targets[(labels[record["fiscal_quarter"]], record["opportunity_type"])] = (won, end)

    result: dict[tuple[date, str], dict[str, object]] = {}
    for (start, kind), (won_target, end_target) in targets.items():
        status = "past" if start < current else "current" if start == current else "future"
        anchor = current if status == "future" else start
        earlier = [shift(anchor, -k) for k in range(1, lookback + 1)]
        window = [q for q in earlier if q in reported]

        def pool(pool_kind: str, quarters: list[date]) -> tuple[Decimal, Decimal, Decimal]:
            rows = [by_quarter[(q, pool_kind)] for q in quarters if (q, pool_kind) in by_quarter]
            return (
                sum((r.lost for r in rows), Decimal(0)),
                sum((r.value_change for r in rows), Decimal(0)),
                sum((r.starting + r.new for r in rows), Decimal(0)),
            )

        def has_pipeline(q: date, pool_kind: str) -> bool:
            row = by_quarter.get((q, pool_kind))
            return row is not None and row.starting + row.new > 0

        type_quarters = [q for q in window if has_pipeline(q, kind)]
        all_quarters = [q for q in window if has_pipeline(q, "all")]
        if kind != "all" and len(type_quarters) == lookback:
            source, used = "type", type_quarters
            lost, change, base = pool(kind, used)
        elif all_quarters:
            source, used = "all_types", all_quarters
            lost, change, base = pool("all", used)
        else:
            source, used, lost, change, base = "none", [], Decimal(0), Decimal(0), Decimal(0)
        lost_ratio = _ratio(lost, base) if source != "none" else None
        change_ratio = _ratio(change, base) if source != "none" else None

        if status == "future":
            previous = targets.get((shift(start, -1), kind))
            starting = previous[1] if previous else None
        elif start in reported:
            # a type with targets but no opportunities has no waterfall rows: its pipeline is 0
            actual = by_quarter.get((start, kind))
            starting = actual.starting if actual else Decimal(0)
        else:
            starting = None

        simple = required = expected_lost = expected_change = None
        covered = False
        if None not in (starting, won_target, end_target):
            simple = max(end_target - starting + won_target, Decimal(0))  # type: ignore[operator]
            ratios = lost_ratio is not None and change_ratio is not None
            if ratios and 1 + change_ratio - lost_ratio > 0:  # type: ignore[operator]
                unclamped = (
                    PRECISE.divide(end_target + won_target, 1 + change_ratio - lost_ratio)  # type: ignore[operator]
                    - starting
                )
                covered = unclamped <= 0
                required = max(unclamped, Decimal(0))
                expected_lost = (lost_ratio * (starting + required)).quantize(MICRO)  # type: ignore[operator]
                expected_change = (change_ratio * (starting + required)).quantize(MICRO)  # type: ignore[operator]
        result[(start, kind)] = {
            "quarter_status": status,
            "starting_pipeline": starting,
            "lost_ratio": lost_ratio,
            "value_change_ratio": change_ratio,
            "ratio_quarters": len(used),
            "ratio_source": source,
            "required_new_pipeline_simple": simple,
            "required_new_pipeline": required,
            "expected_closed_lost": expected_lost,
            "expected_value_change": expected_change,
            "is_covered_by_starting_pipeline": covered,
        }
    return result
