"""The Great Expectations suites really evaluate (issue 9).

They pass on the demo warehouse; on a copy broken once per suite (a duplicate key, a cent
off the waterfall, a breakdown that does not sum, a movement that disagrees with the
waterfall, a rate above 1, a negative count, a negative attainment, a missing audit row)
exactly the expected expectations fail, with the broken rows named, and the exit code is 1.
A warning alone is reported with exit code 0. A missing or half-built warehouse gives one
line and exit code 2.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import quality_checks  # noqa: E402

SCRIPT = PROJECT_ROOT / "scripts" / "quality_checks.py"


def _failed(results: list[quality_checks.CheckResult]) -> set[tuple[str, str, str, str]]:
    return {(r.suite, r.table, r.expectation, r.severity) for r in results if not r.success}


def _broken_copy(demo: Path, tmp_path: Path, statements: list[str]) -> Path:
    broken = tmp_path / "broken.duckdb"
    shutil.copy(demo, broken)
    con = duckdb.connect(str(broken))
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()
    return broken


def test_every_suite_passes_on_the_demo(demo_warehouse: tuple[Path, str]) -> None:
    results = quality_checks.run_checks(demo_warehouse[0])
    suites = {r.suite for r in results}
    assert {"keys", "waterfall", "movements", "rates", "counts", "planning", "audit"} <= suites
    assert {r.table for r in results if r.suite == "keys"} == set(quality_checks.KEYS)
    assert [r for r in results if not r.success and r.severity == "critical"] == []
    _, code = quality_checks.summary(results)
    assert code == 0


FIRST_ACQUISITION = (
    "(select min(quarter_start_date) from fct_pipeline_waterfall "
    "where opportunity_type = 'acquisition')"
)


def test_a_broken_warehouse_fails_each_suite(
    demo_warehouse: tuple[Path, str], tmp_path: Path
) -> None:
    broken = _broken_copy(
        demo_warehouse[0],
        tmp_path,
        [
            # keys: a duplicated opportunity
            "insert into fct_opportunities select * from fct_opportunities "
            "order by opportunity_id limit 1",
            # waterfall: a cent off the ending pipeline of a complete quarter
            "update fct_pipeline_waterfall set ending_pipeline = ending_pipeline + 0.01 "
            f"where opportunity_type = 'acquisition' and quarter_start_date = {FIRST_ACQUISITION}",
            # breakdown: value_increase no longer part of value_change
            "update fct_pipeline_waterfall set value_increase = value_increase + 1 "
            "where opportunity_type = 'retention' and quarter_start_date = "
            "(select min(quarter_start_date) from fct_pipeline_waterfall)",
            # movements: one new-pipeline movement changed
            "update fct_pipeline_movements set amount_corporate = amount_corporate + 1 "
            "where movement_id = (select min(movement_id) from fct_pipeline_movements "
            "where element = 'new_pipeline' and opportunity_type = 'upsell')",
            # rates: a conversion rate above 1
            "update fct_stage_conversion set count_conversion_rate = 1.5 where (opportunity_type, "
            "cohort_quarter_start_date, from_stage, to_stage) = (select (opportunity_type, "
            "cohort_quarter_start_date, from_stage, to_stage) from fct_stage_conversion "
            "order by all limit 1)",
            # counts: a negative count
            "update fct_stage_volume set entered_count = -1 where (quarter_start_date, "
            "opportunity_type, canonical_stage) = (select (quarter_start_date, opportunity_type, "
            "canonical_stage) from fct_stage_volume order by all limit 1)",
            # planning: a negative attainment
            "update fct_pipeline_plan set won_attainment = -0.5 where (quarter_start_date, "
            "opportunity_type) = (select (quarter_start_date, opportunity_type) from "
            "fct_pipeline_plan where won_attainment is not null order by all limit 1)",
            # audit: an object missing from the reconciliation
            "delete from audit_row_reconciliation where source_object = 'user'",
        ],
    )
    results = quality_checks.run_checks(broken)
    critical = {f for f in _failed(results) if f[3] == "critical"}
    assert critical == {
        ("keys", "fct_opportunities", "opportunity_id unique", "critical"),
        ("waterfall", "fct_pipeline_waterfall", "identity_holds", "critical"),
        ("waterfall", "fct_pipeline_waterfall", "chain_holds", "critical"),
        ("waterfall", "fct_pipeline_waterfall", "splits_sum", "critical"),
        ("waterfall", "fct_pipeline_waterfall", "breakdown_sums", "critical"),
        (
            "movements",
            "fct_pipeline_movements",
            "sum of movements = waterfall element, per quarter and type",
            "critical",
        ),
        ("rates", "fct_stage_conversion", "count_conversion_rate in [0, 1]", "critical"),
        ("counts", "fct_stage_volume", "entered_count >= 0", "critical"),
        ("planning", "fct_pipeline_plan", "won_attainment >= 0", "critical"),
        (
            "audit",
            "audit_row_reconciliation",
            "one row per CRM object (8: seven exports, opportunity_version)",
            "critical",
        ),
    }
    by_name = {(r.table, r.expectation): r for r in results}
    identity = by_name[("fct_pipeline_waterfall", "identity_holds")]
    assert identity.unexpected_count == 1
    assert identity.failing_rows[0]["opportunity_type"] == "acquisition"
    movements = by_name[
        ("fct_pipeline_movements", "sum of movements = waterfall element, per quarter and type")
    ]
    assert {row["element"] for row in movements.failing_rows} == {
        "new_pipeline",
        "ending_pipeline",
    }
    report, code = quality_checks.summary(results)
    assert code == 1
    assert "FAIL [waterfall] fct_pipeline_waterfall: identity_holds" in report
    assert "10 critical failures" in report


def test_a_warning_is_reported_and_the_run_goes_on(
    demo_warehouse: tuple[Path, str], tmp_path: Path
) -> None:
    broken = _broken_copy(
        demo_warehouse[0],
        tmp_path,
        ["update fct_opportunities set opportunity_type = 'unknown' where random() < 0.2"],
    )
    results = quality_checks.run_checks(broken)
    assert (
        "funnel",
        "fct_opportunities",
        "at most 5% of opportunities of unknown type",
        "warning",
    ) in _failed(results)
    report, code = quality_checks.summary(results)
    assert code == 0
    assert "at most 5% of opportunities of unknown type (warning)" in report


def _check_command(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("state", ["missing", "half_built", "not_duckdb"])
def test_check_on_a_missing_or_half_built_warehouse_prints_one_line(
    state: str, tmp_path: Path
) -> None:
    path = tmp_path / "warehouse.duckdb"
    if state == "half_built":
        con = duckdb.connect(str(path))
        con.execute("create table fct_opportunities (opportunity_id varchar)")
        con.close()
    elif state == "not_duckdb":
        path.write_text("not a database")
    completed = _check_command(path)
    assert completed.returncode == 2
    output = (completed.stdout + completed.stderr).strip()
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1, output
    expected: dict[str, Any] = {
        "missing": "warehouse not found",
        "half_built": "is incomplete (a failed or interrupted build?): missing",
        "not_duckdb": "cannot open warehouse",
    }
    assert expected[state] in output


def test_run_py_check_on_a_missing_warehouse_prints_one_line(tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "run.py"),
            "check",
            "--db-path",
            str(tmp_path / "nothing.duckdb"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout.strip().splitlines() == [
        f"warehouse not found: {tmp_path / 'nothing.duckdb'} "
        "(build it first: python3 scripts/run.py demo)"
    ]
    assert "Traceback" not in completed.stderr
