"""Planning targets from an export directory (issue 10): `<raw_path>/pipeline_targets.csv`
replaces the seed, and bad targets stop the build with a message naming every bad row and
value. Builds only the targets model and its parents on an otherwise empty export."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from conftest import DbtRunError, run_dbt, write_raw_export

GOOD = (
    "Fiscal_Quarter,OPPORTUNITY_TYPE,closed_won_target,ending_pipeline_target\n"
    "FY2027-Q1,acquisition,100.25,200\n"
    "FY2027-Q1,all,,300\n"
)
BAD = (
    "fiscal_quarter,opportunity_type,closed_won_target,ending_pipeline_target\n"
    "FY2027-Q1,acquisition,100,200\n"
    "FY2027-Q9,acquisition,1,2\n"
    "FY2027-Q2,upsel,abc,-3\n"
    "FY2027-Q1,acquisition,5,5\n"
)


def _build(tmp_path: Path, targets: str) -> Path:
    raw = write_raw_export(tmp_path / "raw", {})
    (raw / "pipeline_targets.csv").write_text(targets)
    db_path = tmp_path / "targets.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "+int_pipeline_targets",
            "--exclude-resource-type",
            "unit_test",
            "--indirect-selection",
            "cautious",
        ],
        raw,
        db_path,
        {"as_of_date": "2026-11-30"},
    )
    return db_path


def test_targets_file_in_the_export_replaces_the_seed(tmp_path: Path) -> None:
    db_path = _build(tmp_path, GOOD)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select fiscal_quarter, opportunity_type, quarter_start_date, closed_won_target, "
            "ending_pipeline_target, target_source from int_pipeline_targets order by 2"
        ).fetchall()
    finally:
        con.close()
    assert [r[:2] for r in rows] == [("FY2027-Q1", "acquisition"), ("FY2027-Q1", "all")]
    assert str(rows[0][2]) == "2027-01-01"
    assert str(rows[0][3]) == "100.250000" and rows[1][3] is None
    assert rows[0][5].endswith("pipeline_targets.csv")


def test_bad_targets_fail_the_build_naming_rows_and_values(tmp_path: Path) -> None:
    with pytest.raises(DbtRunError) as failure:
        _build(tmp_path, BAD)
    message = str(failure.value)
    assert "4 invalid row(s)" in message
    assert "row 1: duplicate row: 2 rows for FY2027-Q1 / acquisition" in message
    assert "row 2: unknown fiscal_quarter 'FY2027-Q9'" in message
    assert "row 3: unknown opportunity_type 'upsel'" in message
    assert "non-numeric closed_won_target 'abc'" in message
    assert "negative ending_pipeline_target -3" in message
    assert "row 4: duplicate row" in message
