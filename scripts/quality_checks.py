"""Great Expectations suites on a built warehouse: `python scripts/quality_checks.py FILE`.

The suites are code (``SUITES`` below): each check is a DuckDB query and one GX expectation
on its rows, critical or warning. GX reads pandas frames fed from DuckDB queries (GX's SQL
route over duckdb-engine returns no rows). Exact-decimal conditions (the waterfall identity,
the chain, breakdown sums, movements = waterfall) are evaluated in DuckDB as booleans, so
no amount passes through a float.

Prints every expectation (pass/fail, severity) with up to five failing rows. Exit 0 when
every critical check passes (warnings are reported), 1 when a critical check fails, 2 when
the warehouse is missing or incomplete (one line, no traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

import duckdb  # noqa: E402
import great_expectations as gx  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CRITICAL = "critical"
WARNING = "warning"
SHOWN_ROWS = 5

ELEMENTS = (
    "starting_pipeline",
    "new_pipeline",
    "value_change",
    "closed_won",
    "closed_lost",
    "ending_pipeline",
)
BREAKDOWN = (
    "value_increase",
    "value_decrease",
    "pulled_in",
    "pushed_out",
    "rolled_in",
    "slipped",
    "reopened",
    "removed",
    "fx_revaluation",
)

# Grain of every mart BI reads (the dbt YAML declares the same keys as tests).
KEYS: dict[str, list[str]] = {
    "fct_opportunities": ["opportunity_id"],
    "fct_opportunity_stage_history": ["stage_visit_id"],
    "fct_stage_conversion": [
        "opportunity_type",
        "cohort_quarter_start_date",
        "from_stage",
        "to_stage",
    ],
    "fct_stage_volume": ["quarter_start_date", "opportunity_type", "canonical_stage"],
    "fct_lead_funnel": ["month_start_date", "lead_source"],
    "fct_lead_funnel_all_sources": ["month_start_date"],
    "fct_buying_group_conversion": ["opportunity_type", "breakdown", "bucket"],
    "fct_pipeline_movements": ["movement_id"],
    "fct_pipeline_waterfall": ["quarter_start_date", "opportunity_type"],
    "fct_pipeline_waterfall_long": ["quarter_start_date", "opportunity_type", "sort_order"],
    "fct_pipeline_waterfall_by_dimension": [
        "quarter_start_date",
        "opportunity_type",
        "dimension_name",
        "dimension_value",
    ],
    "fct_pipeline_plan": ["quarter_start_date", "opportunity_type"],
    "fct_funnel_requirements": ["quarter_start_date", "opportunity_type", "funnel_step"],
    "fct_bookings_forecast": ["quarter_start_date", "opportunity_type"],
    "fct_open_pipeline_aging": ["opportunity_id"],
}

# Shares that must lie in [0, 1]. (lead_velocity_rate is a growth rate: not a share.)
RATES: dict[str, list[str]] = {
    "fct_stage_conversion": ["count_conversion_rate", "amount_conversion_rate"],
    "fct_lead_funnel": [
        "lead_to_mql_rate",
        "mql_to_sal_rate",
        "sal_to_converted_rate",
        "converted_to_opportunity_rate",
        "opportunity_to_qualified_rate",
        "qualified_to_won_rate",
    ],
    "fct_lead_funnel_all_sources": [
        "lead_to_mql_rate",
        "mql_to_sal_rate",
        "sal_to_converted_rate",
        "converted_to_opportunity_rate",
        "opportunity_to_qualified_rate",
        "qualified_to_won_rate",
    ],
    "fct_buying_group_conversion": ["qualification_rate", "conversion_to_won_rate", "win_rate"],
    "fct_opportunities": ["stage_probability"],
}

# Planning measures that cannot be negative.
NON_NEGATIVE: dict[str, list[str]] = {
    "fct_pipeline_plan": [
        "won_attainment",
        "new_pipeline_attainment",
        "pipeline_coverage",
        "closed_won_target",
        "ending_pipeline_target",
    ],
}

WATERFALL_SQL = f"""
    select
        w.quarter_start_date,
        w.opportunity_type,
        w.starting_pipeline + w.new_pipeline + w.value_change - w.closed_won - w.closed_lost
            = w.ending_pipeline as identity_holds,
        w.value_change = {" + ".join(f"w.{c}" for c in BREAKDOWN)} as breakdown_sums,
        w.starting_pipeline = w.starting_pipeline_this_quarter
            + w.starting_pipeline_later_quarters
            and w.ending_pipeline = w.ending_pipeline_this_quarter
            + w.ending_pipeline_later_quarters as splits_sum,
        least(w.starting_pipeline, w.new_pipeline, w.closed_won, w.closed_lost,
              w.ending_pipeline) >= 0 as elements_non_negative,
        not w.is_complete or w.ending_pipeline = coalesce(n.starting_pipeline, 0) as chain_holds
    from fct_pipeline_waterfall as w
    left join int_pipeline_quarters as q on w.quarter_start_date = q.quarter_start_date
    left join fct_pipeline_waterfall as n
        on n.quarter_start_date = q.next_quarter_start_date
        and n.opportunity_type = w.opportunity_type
"""

MOVEMENTS_SQL = f"""
    with waterfall as (
        unpivot fct_pipeline_waterfall
        on {", ".join(ELEMENTS)}
        into name element value amount
    ),
    movements as (
        select quarter_start_date, opportunity_type, element, sum(amount_corporate) as amount
        from fct_pipeline_movements
        group by all
    )
    select
        coalesce(w.quarter_start_date, m.quarter_start_date) as quarter_start_date,
        coalesce(w.opportunity_type, m.opportunity_type) as opportunity_type,
        coalesce(w.element, m.element) as element,
        coalesce(w.amount, 0) = coalesce(m.amount, 0) as totals_agree
    from waterfall as w
    full outer join movements as m
        on w.quarter_start_date = m.quarter_start_date
        and w.opportunity_type = m.opportunity_type
        and w.element = m.element
"""


@dataclass(frozen=True)
class Check:
    """One expectation on the rows of one query."""

    suite: str
    table: str
    name: str
    sql: str
    expectation: Callable[[], gx.expectations.Expectation]
    severity: str = CRITICAL
    key_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome, with up to SHOWN_ROWS failing rows."""

    suite: str
    table: str
    expectation: str
    column: str
    severity: str
    success: bool
    unexpected_count: int
    failing_rows: list[dict[str, Any]]


class WarehouseUnavailable(RuntimeError):
    """The warehouse file is missing, unreadable or lacks tables."""


def expected_marts() -> list[str]:
    """Every mart the project builds (one .sql file under models/marts per table)."""
    return sorted(path.stem for path in (ROOT / "models" / "marts").rglob("*.sql"))


def _is_true(column: str) -> Callable[[], gx.expectations.Expectation]:
    return lambda: gx.expectations.ExpectColumnValuesToBeInSet(column=column, value_set=[True])


Columns = dict[str, list[tuple[str, str]]]


def _suites(tables: set[str], columns_by_table: Columns) -> list[Check]:
    expect = gx.expectations
    checks: list[Check] = []
    for table, key in KEYS.items():
        if table not in tables:
            continue
        sql = f"select {', '.join(key)} from {table}"
        if len(key) == 1:
            checks.append(
                Check(
                    "keys",
                    table,
                    f"{key[0]} unique",
                    sql,
                    lambda c=key[0]: expect.ExpectColumnValuesToBeUnique(column=c),
                    key_columns=key,
                )
            )
        else:
            checks.append(
                Check(
                    "keys",
                    table,
                    f"({', '.join(key)}) unique",
                    sql,
                    lambda k=key: expect.ExpectCompoundColumnsToBeUnique(column_list=k),
                    key_columns=key,
                )
            )
        for column in key:
            checks.append(
                Check(
                    "keys",
                    table,
                    f"{column} not null",
                    sql,
                    lambda c=column: expect.ExpectColumnValuesToNotBeNull(column=c),
                    key_columns=key,
                )
            )
    waterfall_key = ["quarter_start_date", "opportunity_type"]
    for column in (
        "identity_holds",
        "chain_holds",
        "breakdown_sums",
        "splits_sum",
        "elements_non_negative",
    ):
        checks.append(
            Check(
                "waterfall",
                "fct_pipeline_waterfall",
                column,
                WATERFALL_SQL,
                _is_true(column),
                key_columns=waterfall_key,
            )
        )
    checks.append(
        Check(
            "movements",
            "fct_pipeline_movements",
            "sum of movements = waterfall element, per quarter and type",
            MOVEMENTS_SQL,
            _is_true("totals_agree"),
            key_columns=["quarter_start_date", "opportunity_type", "element"],
        )
    )
    for table, columns in RATES.items():
        if table not in tables:
            continue
        key = KEYS[table]
        for column in columns:
            checks.append(
                Check(
                    "rates",
                    table,
                    f"{column} in [0, 1]",
                    f"select {', '.join(key)}, cast({column} as double) as {column} from {table}",
                    lambda c=column: expect.ExpectColumnValuesToBeBetween(
                        column=c, min_value=0, max_value=1
                    ),
                    key_columns=key,
                )
            )
    checks += _count_checks(tables, columns_by_table)
    for table, columns in NON_NEGATIVE.items():
        if table not in tables:
            continue
        key = KEYS[table]
        for column in columns:
            checks.append(
                Check(
                    "planning",
                    table,
                    f"{column} >= 0",
                    f"select {', '.join(key)}, {column} >= 0 or {column} is null as ok "
                    f"from {table}",
                    _is_true("ok"),
                    key_columns=key,
                )
            )
    checks += [
        Check(
            "audit",
            "audit_row_reconciliation",
            "raw rows = kept + rejected, every object",
            "select source_object, is_reconciled from audit_row_reconciliation",
            _is_true("is_reconciled"),
            key_columns=["source_object"],
        ),
        Check(
            "audit",
            "audit_row_reconciliation",
            "one row per CRM object (8: seven exports, opportunity_version)",
            "select source_object from audit_row_reconciliation",
            lambda: expect.ExpectTableRowCountToEqual(value=8),
        ),
        Check(
            "audit",
            "audit_reject_shares",
            "reject share within its limit",
            "select source_object, reject_share, max_reject_share, is_within_limit "
            "from audit_reject_shares",
            _is_true("is_within_limit"),
            key_columns=["source_object", "reject_share", "max_reject_share"],
        ),
        Check(
            "audit",
            "audit_rejected_rows",
            "no rejected export rows",
            "select source_object, rejection_reason, count(*) as rows "
            "from audit_rejected_rows group by all",
            lambda: expect.ExpectTableRowCountToEqual(value=0),
            severity=WARNING,
        ),
        Check(
            "funnel",
            "fct_opportunities",
            "at most 5% of opportunities of unknown type",
            "select opportunity_type = 'unknown' as is_unknown from fct_opportunities",
            lambda: expect.ExpectColumnMeanToBeBetween(
                column="is_unknown", min_value=0, max_value=0.05
            ),
            severity=WARNING,
        ),
    ]
    return [c for c in checks if c.table in tables]


def _count_checks(tables: set[str], columns_by_table: Columns) -> list[Check]:
    """Every count column (integer, not an order/sequence/year/number) is >= 0 (critical);
    durations in days are >= 0 (warning: a close date before the created date gives one)."""
    checks = []
    for table in sorted(t for t in tables if t.startswith("fct_") and t in KEYS):
        for column, data_type in columns_by_table.get(table, []):
            is_integer = data_type in {"BIGINT", "INTEGER", "HUGEINT", "SMALLINT"}
            if not is_integer or any(
                word in column for word in ("order", "sequence", "year", "number")
            ):
                continue
            is_duration = "days" in column
            checks.append(
                Check(
                    "durations" if is_duration else "counts",
                    table,
                    f"{column} >= 0",
                    f"select {', '.join(KEYS[table])}, {column} from {table}",
                    lambda c=column: gx.expectations.ExpectColumnValuesToBeBetween(
                        column=c, min_value=0
                    ),
                    severity=WARNING if is_duration else CRITICAL,
                    key_columns=KEYS[table],
                )
            )
    return checks


def _open(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.is_file():
        raise WarehouseUnavailable(
            f"warehouse not found: {warehouse} (build it first: python3 scripts/run.py demo)"
        )
    try:
        return duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        first_line = str(error).splitlines()[0]
        raise WarehouseUnavailable(f"cannot open warehouse {warehouse}: {first_line}") from None


def run_checks(warehouse: Path) -> list[CheckResult]:
    """Validate the warehouse file with the GX suites; one result per expectation.

    Raises WarehouseUnavailable when the file is missing or lacks a mart or audit table.
    """
    con = _open(warehouse)
    try:
        tables = {
            r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
        }
        required = [*expected_marts(), "audit_row_reconciliation", "audit_rejected_rows"]
        missing = [t for t in required if t not in tables]
        if missing:
            raise WarehouseUnavailable(
                f"warehouse {warehouse} is incomplete (a failed or interrupted build?): "
                f"missing {', '.join(missing)}"
            )
        columns_by_table: Columns = {}
        for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
        ).fetchall():
            columns_by_table.setdefault(table, []).append((column, data_type))
        checks = _suites(tables, columns_by_table)
        frames: dict[str, pd.DataFrame] = {}
        for check in checks:
            if check.sql not in frames:
                frames[check.sql] = con.execute(check.sql).df()
    except duckdb.Error as error:
        raise WarehouseUnavailable(
            f"cannot read warehouse {warehouse}: {str(error).splitlines()[0]}"
        ) from None
    finally:
        con.close()
    return _validate(checks, frames)


def _validate(checks: list[Check], frames: dict[str, pd.DataFrame]) -> list[CheckResult]:
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    source = context.data_sources.add_pandas("warehouse")
    results: list[CheckResult] = []
    for number, check in enumerate(checks):
        frame = frames[check.sql]
        batch = (
            source.add_dataframe_asset(name=f"check_{number}")
            .add_batch_definition_whole_dataframe(f"check_{number}_all")
            .get_batch(batch_parameters={"dataframe": frame})
        )
        expectation = check.expectation()
        outcome = batch.validate(expectation, result_format="COMPLETE")
        detail = outcome.result or {}
        indices = detail.get("unexpected_index_list") or []
        shown = [i for i in indices if isinstance(i, int)][:SHOWN_ROWS]
        columns = [c for c in check.key_columns if c in frame.columns] or list(frame.columns)
        failing = [
            {c: _plain(frame.at[i, c]) for c in columns}
            | {k: _plain(v) for k, v in frame.loc[i].items() if k not in columns}
            for i in shown
        ]
        if not outcome.success and not failing and "observed_value" in detail:
            failing = [{"observed_value": _plain(detail["observed_value"])}]
        results.append(
            CheckResult(
                suite=check.suite,
                table=check.table,
                expectation=check.name,
                column=str(
                    getattr(expectation, "column", None)
                    or getattr(expectation, "column_list", None)
                    or ""
                ),
                severity=check.severity,
                success=bool(outcome.success),
                unexpected_count=int(detail.get("unexpected_count") or 0),
                failing_rows=failing,
            )
        )
    return results


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def summary(results: list[CheckResult]) -> tuple[str, int]:
    """The readable report and the exit code (1 when a critical check failed)."""
    lines = []
    for result in results:
        status = "ok  " if result.success else "FAIL"
        label = "" if result.success or result.severity == CRITICAL else " (warning)"
        lines.append(f"{status} [{result.suite}] {result.table}: {result.expectation}{label}")
        if not result.success:
            if result.unexpected_count:
                lines.append(f"       {result.unexpected_count} failing rows, e.g.:")
            for row in result.failing_rows:
                lines.append("         " + ", ".join(f"{k}={v}" for k, v in row.items()))
    critical = [r for r in results if not r.success and r.severity == CRITICAL]
    warnings = [r for r in results if not r.success and r.severity == WARNING]
    lines.append(
        f"quality checks: {len(results) - len(critical) - len(warnings)} passed, "
        f"{len(critical)} critical failures, {len(warnings)} warnings"
    )
    return "\n".join(lines), 1 if critical else 0


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: quality_checks.py WAREHOUSE.duckdb", file=sys.stderr)
        return 2
    try:
        results = run_checks(Path(argv[0]))
    except WarehouseUnavailable as error:
        print(error)
        return 2
    report, code = summary(results)
    print(report)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
