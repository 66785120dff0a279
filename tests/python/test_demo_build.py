"""End to end: the README's demo command builds the bundled demo warehouse with every dbt
test passing, and the published numbers hold together when re-checked from Python."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from conftest import DEMO_AS_OF_DATE, PROJECT_ROOT

ELEMENTS = [
    "starting_pipeline",
    "new_pipeline",
    "value_change",
    "closed_won",
    "closed_lost",
    "ending_pipeline",
]


def _rows(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_demo_build_passes_every_dbt_test_and_prints_a_summary(
    demo_warehouse: tuple[Path, str],
) -> None:
    db_path, output = demo_warehouse
    assert "ERROR=0" in output
    assert f"warehouse: {db_path}" in output
    assert "pipeline waterfall, all opportunity types" in output
    assert "pipeline plan, next four quarters" in output
    # published atomically after the gate and the quality checks; the as-of date is shown
    assert "reject gate (rows rejected per export" in output
    assert "0 critical failures" in output
    assert f"published {db_path} (version " in output
    assert f"as_of_date used: {DEMO_AS_OF_DATE}" in output


def test_demo_rejects_only_the_planted_bad_rows(demo_warehouse: tuple[Path, str]) -> None:
    db_path, _ = demo_warehouse
    reasons = sorted(
        r[0] for r in _rows(db_path, "select rejection_reason from audit_rejected_rows")
    )
    assert reasons == [
        "duplicate_id_superseded",
        "exact_duplicate",
        "unknown_opportunity",
        "unparseable_amount",
        "unparseable_created_date",
    ]
    assert all(r[0] for r in _rows(db_path, "select is_reconciled from audit_row_reconciliation"))


def test_waterfall_identity_and_chain_recomputed_in_python(
    demo_warehouse: tuple[Path, str],
) -> None:
    db_path, _ = demo_warehouse
    rows = _rows(
        db_path,
        f"select quarter_start_date, opportunity_type, is_complete, "
        f"{', '.join(ELEMENTS)} from fct_pipeline_waterfall "
        f"order by opportunity_type, quarter_start_date",
    )
    assert {r[1] for r in rows} >= {"acquisition", "retention", "upsell", "cross_sell"}
    by_type: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        start, new, change, won, lost, end = row[3:]
        assert isinstance(start, Decimal)
        assert start + new + change - won - lost == end, row
        by_type[row[1]].append(row)
    for quarters in by_type.values():
        for this_quarter, next_quarter in zip(quarters, quarters[1:], strict=False):
            assert this_quarter[2], "only the last quarter may be incomplete"
            assert this_quarter[8] == next_quarter[3]
        assert not quarters[-1][2]


def test_plan_matches_the_plain_python_reference(demo_warehouse: tuple[Path, str]) -> None:
    """fct_pipeline_plan, cell by cell, against tests/python/reference/plan.py fed the
    waterfall and the targets seed (amounts to the micro-unit, ratios to 1e-12)."""
    from datetime import date

    from reference.plan import WaterfallRow, plan

    db_path, _ = demo_warehouse
    waterfall = {
        (r[0], r[1]): WaterfallRow(*r[2:])
        for r in _rows(
            db_path,
            "select quarter_start_date, opportunity_type, starting_pipeline, new_pipeline, "
            "value_change, closed_won, closed_lost, ending_pipeline from fct_pipeline_waterfall",
        )
    }
    expected = plan(waterfall, PROJECT_ROOT / "seeds" / "pipeline_targets.csv", date(2026, 11, 30))
    columns = list(next(iter(expected.values())))
    actual = {
        (r[0], r[1]): dict(zip(columns, r[2:], strict=True))
        for r in _rows(
            db_path,
            f"select quarter_start_date, opportunity_type, {', '.join(columns)} "
            "from fct_pipeline_plan",
        )
    }
    assert set(actual) == set(expected)
    assert {row["quarter_status"] for row in expected.values()} == {"past", "current", "future"}
    mismatches = []
    for key, want in expected.items():
        for column, value in want.items():
            got = actual[key][column]
            tolerance = Decimal("1e-12") if column.endswith("_ratio") else Decimal("0.000001")
            if isinstance(value, Decimal) and isinstance(got, Decimal):
                ok = abs(value - got) <= tolerance
            else:
                ok = value == got
            if not ok:
                mismatches.append(f"{key} {column}: model {got} != reference {value}")
    assert not mismatches, "\n".join(mismatches[:20])


# The Great Expectations suites (pass on the demo, fail on broken copies): test_quality_checks.py
