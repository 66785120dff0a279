"""The reject-rate gate and the warnings plain `dbt build` prints (issue 9).

Small synthetic exports, built only up to staging and the audit (seeds, base, audit,
staging and their tests). Above an object's limit the build fails naming object, share,
limit and top reasons, and staging is not built; at or below it the build passes and the
warn test lists the rejects per object and reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import DbtRunError, run_dbt, write_raw_export

SELECT = [
    "build",
    "--full-refresh",
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:models/audit",
]
OPPORTUNITY = {
    "AccountId": "A1",
    "Name": "Deal",
    "Type": "New Business",
    "StageName": "Qualification",
    "Amount": "100.00",
    "CurrencyIsoCode": "USD",
    "CloseDate": "2024-06-30",
    "CreatedDate": "2024-01-02T03:04:05.000Z",
    "LastModifiedDate": "2024-01-02T03:04:05.000Z",
    "IsClosed": "false",
    "IsWon": "false",
    "IsDeleted": "false",
}


def _export(directory: Path, good: int, bad_close: int, bad_amount: int = 0) -> Path:
    rows = [{**OPPORTUNITY, "Id": f"OK{n}"} for n in range(good)]
    rows += [{**OPPORTUNITY, "Id": f"BC{n}", "CloseDate": "31/12/2024"} for n in range(bad_close)]
    rows += [{**OPPORTUNITY, "Id": f"BA{n}", "Amount": "$1,000"} for n in range(bad_amount)]
    # a superseded duplicate: not counted towards the share
    rows.append({**OPPORTUNITY, "Id": "OK0", "LastModifiedDate": "2023-01-01T00:00:00.000Z"})
    return write_raw_export(directory, {"opportunity": rows})


def _query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _tables(db_path: Path) -> set[str]:
    return {r[0] for r in _query(db_path, "select table_name from information_schema.tables")}


def test_above_the_limit_the_build_stops_naming_object_share_and_reasons(tmp_path: Path) -> None:
    raw = _export(tmp_path / "raw", good=95, bad_close=3, bad_amount=2)
    db_path = tmp_path / "w.duckdb"
    with pytest.raises(DbtRunError) as error:
        run_dbt(SELECT, raw, db_path, {"as_of_date": "2024-12-31"})
    message = str(error.value)
    assert (
        "reject limit exceeded for opportunity: 5 of 101 rows rejected (4.95%, limit 1.00%); "
        "top reasons: unparseable_close_date 3, unparseable_amount 2" in message
    )
    assert "raise var max_reject_shares: {opportunity: ...}" in message
    # the audit is there to inspect; staging (and so every mart) is not built
    tables = _tables(db_path)
    assert {"audit_rejected_rows", "audit_reject_shares"} <= tables
    assert not {t for t in tables if t.startswith("stg_")}
    assert _query(
        db_path,
        "select raw_rows, rejected_rows, duplicate_rows, counted_rejected_rows, is_within_limit "
        "from audit_reject_shares where source_object = 'opportunity'",
    ) == [(101, 6, 1, 5, False)]


def test_a_raised_limit_lets_the_same_export_pass_and_the_warning_lists_rejects(
    tmp_path: Path,
) -> None:
    raw = _export(tmp_path / "raw", good=95, bad_close=3, bad_amount=2)
    db_path = tmp_path / "w.duckdb"
    run_dbt(
        SELECT,
        raw,
        db_path,
        {"as_of_date": "2024-12-31", "max_reject_shares": {"opportunity": 0.05}},
    )
    assert "stg_crm__opportunities" in _tables(db_path)


def test_at_the_default_limit_the_build_passes_and_reports_the_rejects(tmp_path: Path) -> None:
    raw = _export(tmp_path / "raw", good=99, bad_close=1)
    db_path = tmp_path / "w.duckdb"
    messages: list[str] = []
    run_dbt(SELECT, raw, db_path, {"as_of_date": "2024-12-31"}, messages=messages)
    output = "\n".join(messages)
    assert (
        "WARNING rejected export rows (see audit_rejected_rows): "
        "opportunity duplicate_id_superseded 1, opportunity unparseable_close_date 1" in output
    )
    assert "reject limit exceeded" not in output
    assert _query(db_path, "select count(*) from stg_crm__opportunities") == [(99,)]


def test_a_missing_optional_column_gets_its_own_warning(tmp_path: Path) -> None:
    raw = _export(tmp_path / "raw", good=3, bad_close=0)
    lines = (raw / "opportunity.csv").read_text().splitlines()
    header = lines[0].split(",")
    position = header.index("Type")
    (raw / "opportunity.csv").write_text(
        "\n".join(
            ",".join(v for i, v in enumerate(line.split(",")) if i != position) for line in lines
        )
        + "\n"
    )
    messages: list[str] = []
    run_dbt(
        [*SELECT, "warn_missing_optional_columns", "warn_unmapped_opportunity_types"],
        raw,
        tmp_path / "w.duckdb",
        {"as_of_date": "2024-12-31"},
        messages=messages,
    )
    output = "\n".join(messages)
    assert f"WARNING optional column(s) absent from {raw}/opportunity.csv: Type - " in output
    assert "every opportunity's type becomes unknown" in output
    assert "add them to seeds/opportunity_type_mapping.csv" not in output
    assert "3 opportunities have no Type (kept as unknown)" in output
