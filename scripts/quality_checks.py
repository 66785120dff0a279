"""Great Expectations checks on a built warehouse: `python scripts/quality_checks.py FILE`.

GX reads pandas frames fed from DuckDB queries (GX's SQL route over duckdb-engine returns
no rows). Exact-decimal conditions (the waterfall identity, the quarter chain, the
breakdown sum, signs) are evaluated in DuckDB as booleans, so no amount passes through a
float. Exits 1 and names each failed expectation when a check fails.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402

TYPES = ["acquisition", "retention", "upsell", "cross_sell", "unknown"]

WATERFALL_SQL = """
    select
        w.quarter_start_date,
        w.opportunity_type,
        w.starting_pipeline + w.new_pipeline + w.value_change - w.closed_won - w.closed_lost
            = w.ending_pipeline as identity_holds,
        w.value_change = w.value_increase + w.value_decrease + w.pulled_in + w.pushed_out
            + w.rolled_in + w.slipped + w.reopened + w.removed + w.fx_revaluation
            as breakdown_sums,
        least(w.starting_pipeline, w.new_pipeline, w.closed_won, w.closed_lost,
              w.ending_pipeline) >= 0 as elements_non_negative,
        not w.is_complete or w.ending_pipeline = coalesce(n.starting_pipeline, 0) as chain_holds
    from fct_pipeline_waterfall as w
    left join int_pipeline_quarters as q on w.quarter_start_date = q.quarter_start_date
    left join fct_pipeline_waterfall as n
        on n.quarter_start_date = q.next_quarter_start_date
        and n.opportunity_type = w.opportunity_type
"""


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome."""

    table: str
    expectation: str
    column: str
    success: bool
    unexpected_count: int


def _suites() -> dict[str, tuple[str, list[gx.expectations.Expectation]]]:
    expect = gx.expectations
    true_in = [True]
    return {
        "fct_pipeline_waterfall": (
            WATERFALL_SQL,
            [
                expect.ExpectColumnValuesToNotBeNull(column="quarter_start_date"),
                expect.ExpectColumnValuesToBeInSet(column="opportunity_type", value_set=TYPES),
                expect.ExpectCompoundColumnsToBeUnique(
                    column_list=["quarter_start_date", "opportunity_type"]
                ),
                *(
                    expect.ExpectColumnValuesToBeInSet(column=name, value_set=true_in)
                    for name in (
                        "identity_holds",
                        "breakdown_sums",
                        "elements_non_negative",
                        "chain_holds",
                    )
                ),
            ],
        ),
        "fct_pipeline_movements": (
            "select movement_id, element, amount_corporate is not null as has_amount "
            "from fct_pipeline_movements",
            [
                expect.ExpectColumnValuesToBeUnique(column="movement_id"),
                expect.ExpectColumnValuesToBeInSet(
                    column="element",
                    value_set=[
                        "starting_pipeline",
                        "new_pipeline",
                        "value_change",
                        "closed_won",
                        "closed_lost",
                        "ending_pipeline",
                    ],
                ),
                expect.ExpectColumnValuesToBeInSet(column="has_amount", value_set=true_in),
            ],
        ),
        "audit_row_reconciliation": (
            "select source_object, is_reconciled from audit_row_reconciliation",
            [
                expect.ExpectColumnValuesToBeInSet(column="is_reconciled", value_set=true_in),
                expect.ExpectTableRowCountToEqual(value=7),
            ],
        ),
    }


def run_checks(warehouse: Path) -> list[CheckResult]:
    """Validate the warehouse file with the GX suites; one result per expectation."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frames: dict[str, pd.DataFrame] = {
            table: con.execute(sql).df() for table, (sql, _) in _suites().items()
        }
    finally:
        con.close()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("warehouse")
    results: list[CheckResult] = []
    for table, (_, expectations) in _suites().items():
        batch = (
            source.add_dataframe_asset(name=table)
            .add_batch_definition_whole_dataframe(f"{table}_all")
            .get_batch(batch_parameters={"dataframe": frames[table]})
        )
        suite = context.suites.add(gx.ExpectationSuite(name=table, expectations=expectations))
        for outcome in batch.validate(suite).results:
            config = outcome.expectation_config
            results.append(
                CheckResult(
                    table=table,
                    expectation=config.type,
                    column=str(
                        config.kwargs.get("column") or config.kwargs.get("column_list") or ""
                    ),
                    success=bool(outcome.success),
                    unexpected_count=int(outcome.result.get("unexpected_count") or 0),
                )
            )
    return results


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: quality_checks.py WAREHOUSE.duckdb", file=sys.stderr)
        return 2
    results = run_checks(Path(sys.argv[1]))
    for result in results:
        status = "ok  " if result.success else "FAIL"
        print(
            f"{status} {result.table:<26} {result.expectation:<40} {result.column:<24} "
            f"unexpected={result.unexpected_count}"
        )
    failed = [r for r in results if not r.success]
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
