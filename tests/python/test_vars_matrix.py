"""The demo builds, every dbt test passing, under valid settings other than the defaults (issue 9).

One ``dbt build`` of the bundled demo per setting, each into its own DuckDB file; the runs share
one target directory. Settings: fiscal years starting in February and November, pipeline windows
of 1 and 8 quarters, a 15-day close grace, and EUR as the corporate currency (on a copy of the
demo export whose dated rates are re-expressed per EUR). After each build the waterfall identity
and chain are recomputed in Python and the setting's visible effect is checked.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import DEMO_AS_OF_DATE, PROJECT_ROOT, run_dbt

DEMO = PROJECT_ROOT / "data" / "demo"
AS_OF_DATE = DEMO_AS_OF_DATE
ELEMENTS = (
    "starting_pipeline",
    "new_pipeline",
    "value_change",
    "closed_won",
    "closed_lost",
    "ending_pipeline",
)
SETTINGS: dict[str, dict[str, Any]] = {
    "fiscal_year_start_month_2": {"fiscal_year_start_month": 2},
    "fiscal_year_start_month_11": {"fiscal_year_start_month": 11},
    "pipeline_window_quarters_1": {"pipeline_window_quarters": 1},
    "pipeline_window_quarters_8": {"pipeline_window_quarters": 8},
    "close_grace_days_15": {"close_grace_days": 15},
    "corporate_currency_eur": {"corporate_currency": "EUR"},
}


def _rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def write_export_in_corporate_currency(directory: Path, corporate: str) -> dict[tuple, Decimal]:
    """Copy the demo export, with its dated rates re-expressed per one unit of ``corporate``.

    ConversionRate is units of IsoCode per one corporate unit, so with EUR as the corporate
    currency a currency's rate is its USD-based rate divided by EUR's USD-based rate for the
    same period (EUR itself becomes 1). Returns the new rates by (IsoCode, StartDate).
    """
    shutil.copytree(DEMO, directory)
    with (DEMO / "dated_conversion_rate.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    base = {r["StartDate"]: Decimal(r["ConversionRate"]) for r in rows if r["IsoCode"] == corporate}
    rates: dict[tuple, Decimal] = {}
    for row in rows:
        rate = (Decimal(row["ConversionRate"]) / base[row["StartDate"]]).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_EVEN
        )
        row["ConversionRate"] = str(rate)
        rates[(row["IsoCode"], row["StartDate"])] = rate
    with (directory / "dated_conversion_rate.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rates


@pytest.fixture(scope="module")
def shared_target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matrix-target")


def _assert_waterfall_identity_and_chain(db_path: Path) -> None:
    rows = _rows(
        db_path,
        f"select opportunity_type, quarter_start_date, is_complete, {', '.join(ELEMENTS)} "
        "from fct_pipeline_waterfall order by opportunity_type, quarter_start_date",
    )
    assert rows
    by_type: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        start, new, change, won, lost, end = row[3:]
        assert start + new + change - won - lost == end, row
        by_type[row[0]].append(row)
    for quarters in by_type.values():
        for this_quarter, next_quarter in zip(quarters, quarters[1:], strict=False):
            assert this_quarter[8] == next_quarter[3], (this_quarter, next_quarter)


@pytest.mark.slow
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_demo_builds_with_setting(setting: str, shared_target: Path, tmp_path: Path) -> None:
    dbt_vars = {"as_of_date": AS_OF_DATE, **SETTINGS[setting]}
    raw_path = DEMO
    rates: dict[tuple, Decimal] = {}
    if setting == "corporate_currency_eur":
        raw_path = tmp_path / "export"
        rates = write_export_in_corporate_currency(raw_path, "EUR")
    db_path = tmp_path / f"{setting}.duckdb"
    run_dbt(["build", "--full-refresh"], raw_path, db_path, dbt_vars, target_path=shared_target)

    _assert_waterfall_identity_and_chain(db_path)
    assert all(r[0] for r in _rows(db_path, "select is_reconciled from audit_row_reconciliation"))

    fiscal_start = dbt_vars.get("fiscal_year_start_month", 1)
    months = {
        r[0]
        for r in _rows(
            db_path, "select distinct month(quarter_start_date) from fct_pipeline_waterfall"
        )
    }
    assert months == {(fiscal_start - 1 + 3 * k) % 12 + 1 for k in range(4)}
    first_quarter = _rows(
        db_path,
        "select month(quarter_start_date), fiscal_quarter_number from int_fiscal_quarters "
        "where fiscal_quarter_number = 1 limit 1",
    )
    assert first_quarter[0][0] == fiscal_start

    window = dbt_vars.get("pipeline_window_quarters", 4)
    assert _rows(
        db_path,
        "select count(*) from int_fiscal_quarters "
        f"where window_end_date <> quarter_start_date + interval {3 * window} month",
    ) == [(0,)]

    if rates:
        by_currency = {
            r[0]: r[1:]
            for r in _rows(
                db_path,
                "select currency_iso_code, count(*), "
                "count(*) filter (where amount_corporate = amount), "
                "count(*) filter (where currency_conversion_rate = 1) "
                "from fct_opportunities where amount is not null group by 1",
            )
        }
        count, unchanged, at_one = by_currency["EUR"]
        assert count > 0 and unchanged == count and at_one == count
        count, unchanged, _ = by_currency["USD"]
        assert count > 0 and unchanged < count
        usd_rates = {rate for (iso, _), rate in rates.items() if iso == "USD"}
        used = {
            r[0]
            for r in _rows(
                db_path,
                "select distinct currency_conversion_rate from fct_opportunities "
                "where currency_iso_code = 'USD'",
            )
        }
        assert used <= usd_rates and used
