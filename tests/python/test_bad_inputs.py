"""Bad-input corpus (issue 9): every broken export has an expected outcome, asserted.

Either the rows land in the audit with the right reason and the run succeeds, or the run
fails fast with a message naming the file, the column or values, and how to fix it. Formats
that are unambiguous and common (a byte-order mark, a semicolon delimiter, Latin-1 bytes,
quoted line breaks) are read correctly instead of rejected.

To stay fast, the cases that end in the audit share one export (each case has its own
Ids; several files use a different dialect) and one build of seeds, staging, audit and the
opportunity timeline; the fail-fast cases each compile one model. For every object the raw
rows counted by Python's csv module = rows kept + rows in audit_rejected_rows.
"""

from __future__ import annotations

import csv
import io
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import (
    NO_REJECT_LIMITS,
    PROJECT_ROOT,
    RAW_COLUMNS,
    DbtRunError,
    run_dbt,
    write_raw_export,
)

BUILD = [
    "build",
    "--full-refresh",
    "--select",
    "resource_type:seed",
    "path:models/staging",
    "path:models/audit",
    "+int_opportunity_states",
    "warn_unmapped_stage_names",
    "warn_unmapped_opportunity_types",
]
VARS = {"as_of_date": "2024-12-31", **NO_REJECT_LIMITS}

OPPORTUNITY = {
    "AccountId": "A1",
    "Name": "Deal",
    "Type": "New Business",
    "StageName": "Qualification",
    "Amount": "100.50",
    "CurrencyIsoCode": "USD",
    "CloseDate": "2024-06-30",
    "CreatedDate": "2024-01-02T03:04:05.000Z",
    "LastModifiedDate": "2024-01-02T03:04:05.000Z",
    "IsClosed": "false",
    "IsWon": "false",
    "IsDeleted": "false",
}
HISTORY = {
    "CreatedDate": "2024-01-02T03:04:05.000Z",
    "StageName": "Qualification",
    "Amount": "100.50",
    "CloseDate": "2024-06-30",
    "IsDeleted": "false",
}


def _opportunity(opportunity_id: str | None, **values: Any) -> dict[str, Any]:
    return {**OPPORTUNITY, "Id": opportunity_id, **values}


def _history(history_id: str, opportunity_id: str, **values: Any) -> dict[str, Any]:
    return {**HISTORY, "Id": history_id, "OpportunityId": opportunity_id, **values}


OPPORTUNITIES = [
    _opportunity("GOOD1"),
    _opportunity(
        "GOOD2",
        Name="Line one\nline two, with a comma; and a semicolon",
        StageName="Closed Won",
        IsClosed="true",
        IsWon="true",
        LastModifiedDate="2024-03-01T00:00:00.000Z",
    ),
    # duplicated Ids: the most recently modified record is kept
    _opportunity("DUP", Amount="1", LastModifiedDate="2024-01-01T00:00:00.000Z"),
    _opportunity("DUP", Amount="2", LastModifiedDate="2024-02-01T00:00:00.000Z"),
    _opportunity(None, Name="no id"),
    _opportunity("DMY", CloseDate="31/12/2024"),
    _opportunity("MDY", CloseDate="12/31/2024"),
    _opportunity("BADTS", CreatedDate="2024-13-45T99:00:00Z"),
    _opportunity("THOUSANDS", Amount="1,000.00"),
    _opportunity("SYMBOL", Amount="$100"),
    _opportunity("NEGATIVE", Amount="-50.00"),
    _opportunity("CLOSE_BEFORE_CREATED", CloseDate="2023-06-30"),
    _opportunity("UNKNOWN_STAGE", StageName="On Hold - Legal"),
    _opportunity("UNKNOWN_TYPE", Type="Pilot"),
    _opportunity("NO_RATE", CurrencyIsoCode="JPY"),
    _opportunity("DELETED", IsDeleted="true"),
]
HISTORIES = [
    _history("H1", "GOOD1"),
    # out of order (later row first) and an exact duplicate
    _history("H3", "GOOD2", CreatedDate="2024-03-01T00:00:00.000Z", StageName="Closed Won"),
    _history(
        "H2", "GOOD2", CreatedDate="2024-02-01T00:00:00.000Z", StageName="Proposal/Price Quote"
    ),
    _history(
        "H2", "GOOD2", CreatedDate="2024-02-01T00:00:00.000Z", StageName="Proposal/Price Quote"
    ),
    _history("H_UNKNOWN", "NOT_IN_EXPORT"),
    _history("H_DELETED", "DELETED"),
    _history("H_NEG", "GOOD1", Amount="-5"),
]
LEADS = [
    {
        "Id": "L1",
        "CreatedDate": "2024-01-02T03:04:05.000Z",
        "Company": "Café Zürich",
        "Status": "Open",
    },
    {"Id": "L2", "CreatedDate": "2024-01-03T03:04:05.000Z", "Company": "Ñandú", "Status": "Open"},
]
RATES = [{"IsoCode": "EUR", "ConversionRate": "0.9", "StartDate": "2024-01-01"}]


def _write_csv(
    path: Path,
    columns: list[str],
    rows: list[dict[str, Any]],
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else str(row[c]) for c in columns])
    path.write_bytes(buffer.getvalue().encode(encoding))


def _raw_row_count(path: Path, delimiter: str, encoding: str) -> int:
    with path.open(newline="", encoding=encoding) as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=delimiter)) - 1


def _query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """One export holding every audit-bound case; built once. (raw dir, warehouse, output)"""
    raw = write_raw_export(tmp_path_factory.mktemp("corpus"), {})
    # opportunity.csv: semicolon-delimited, with a UTF-8 byte-order mark, quoted line breaks
    _write_csv(raw / "opportunity.csv", RAW_COLUMNS["opportunity"], OPPORTUNITIES, ";", "utf-8-sig")
    _write_csv(raw / "opportunity_history.csv", RAW_COLUMNS["opportunity_history"], HISTORIES)
    # lead.csv: Windows-1252 bytes (é, ü, Ñ)
    _write_csv(raw / "lead.csv", RAW_COLUMNS["lead"], LEADS, ",", "cp1252")
    _write_csv(raw / "dated_conversion_rate.csv", RAW_COLUMNS["dated_conversion_rate"], RATES)
    # account.csv: header only
    _write_csv(raw / "account.csv", RAW_COLUMNS["account"], [])
    db_path = raw.parent / "corpus.duckdb"
    messages: list[str] = []
    run_dbt(BUILD, raw, db_path, VARS, messages=messages)
    return raw, db_path, "\n".join(messages)


def _reasons(db_path: Path, source_object: str) -> dict[str | None, str]:
    return {
        record_id: reason
        for record_id, reason in _query(
            db_path,
            "select record_id, rejection_reason from audit_rejected_rows "
            f"where source_object = '{source_object}'",
        )
    }


AUDITED = [
    ("null Id", "opportunity", None, "missing_id"),
    ("duplicated Id (older record)", "opportunity", "DUP", "duplicate_id_superseded"),
    ("date 31/12/2024", "opportunity", "DMY", "unparseable_close_date"),
    ("date 12/31/2024", "opportunity", "MDY", "unparseable_close_date"),
    ("unparseable timestamp", "opportunity", "BADTS", "unparseable_created_date"),
    ("thousands separator", "opportunity", "THOUSANDS", "unparseable_amount"),
    ("currency symbol", "opportunity", "SYMBOL", "unparseable_amount"),
    ("negative amount", "opportunity", "NEGATIVE", "negative_amount"),
    ("currency without a conversion rate", "opportunity", "NO_RATE", "no_conversion_rate"),
    (
        "history of an unknown opportunity",
        "opportunity_history",
        "H_UNKNOWN",
        "unknown_opportunity",
    ),
    ("duplicated history row", "opportunity_history", "H2", "exact_duplicate"),
    ("negative history amount", "opportunity_history", "H_NEG", "negative_amount"),
]


@pytest.mark.parametrize(("case", "source_object", "record_id", "reason"), AUDITED)
def test_case_lands_in_the_audit_with_its_reason(
    corpus: tuple[Path, Path, str], case: str, source_object: str, record_id: str, reason: str
) -> None:
    _, db_path, _ = corpus
    assert _reasons(db_path, source_object).get(record_id) == reason, case


def test_every_row_is_kept_or_audited_for_every_source(corpus: tuple[Path, Path, str]) -> None:
    raw, db_path, _ = corpus
    dialects = {"opportunity": (";", "utf-8-sig"), "lead": (",", "cp1252")}
    rows = {
        name: (raw_rows, kept, rejected, ok)
        for name, raw_rows, kept, rejected, ok in _query(
            db_path,
            "select source_object, raw_rows, kept_rows, rejected_rows, is_reconciled "
            "from audit_row_reconciliation",
        )
    }
    # opportunity_version: the scd2 shape's versions, reconciled too (no rows in an export)
    assert set(rows) == set(RAW_COLUMNS) | {"opportunity_version"}
    for name, (raw_rows, kept, rejected, ok) in rows.items():
        path = raw / f"{name}.csv"
        delimiter, encoding = dialects.get(name, (",", "utf-8"))
        expected = _raw_row_count(path, delimiter, encoding) if path.exists() else 0
        assert raw_rows == expected == kept + rejected and ok, name


def test_semicolon_bom_and_quoted_line_breaks_are_read_not_rejected(
    corpus: tuple[Path, Path, str],
) -> None:
    _, db_path, _ = corpus
    kept = dict(
        _query(db_path, "select opportunity_id, opportunity_name from stg_crm__opportunities")
    )
    assert kept["GOOD1"] == "Deal"
    assert kept["GOOD2"] == "Line one\nline two, with a comma; and a semicolon"
    assert kept["DUP"] is not None
    assert _query(
        db_path, "select amount from stg_crm__opportunities where opportunity_id = 'DUP'"
    ) == [(2,)]


def test_windows_1252_bytes_are_read_as_latin_1_with_a_warning(
    corpus: tuple[Path, Path, str],
) -> None:
    raw, db_path, output = corpus
    companies = {r[0] for r in _query(db_path, "select company from base_crm__leads")}
    assert companies == {"Café Zürich", "Ñandú"}
    assert f"WARNING {raw}/lead.csv is not valid UTF-8: read as Latin-1" in output


def test_header_only_file_is_an_empty_object(corpus: tuple[Path, Path, str]) -> None:
    _, db_path, _ = corpus
    assert _query(
        db_path, "select raw_rows from audit_row_reconciliation where source_object = 'account'"
    ) == [(0,)]


def test_kept_with_a_warning(corpus: tuple[Path, Path, str]) -> None:
    _, db_path, output = corpus
    kept = {
        r[0]: r[1:]
        for r in _query(
            db_path,
            "select opportunity_id, opportunity_type, is_deleted, close_date < created_at::date "
            "from stg_crm__opportunities",
        )
    }
    # unknown type: kept as unknown, named by the warning
    assert kept["UNKNOWN_TYPE"][0] == "unknown"
    assert "WARNING unmapped opportunity Type values (kept as unknown): Pilot" in output
    # unknown stage: kept (pre-pipeline), named by the warning
    assert "UNKNOWN_STAGE" in kept
    assert "WARNING unmapped StageName values (treated as pre-pipeline): On Hold - Legal" in output
    # a close date before the created date is real CRM data (back-filled deals): kept
    assert kept["CLOSE_BEFORE_CREATED"][2] is True
    # a deleted opportunity is kept, flagged, and its history with it
    assert kept["DELETED"][1] is True
    assert "H_DELETED" not in _reasons(db_path, "opportunity_history")
    # out-of-order history: the timeline follows CreatedDate, not file order
    stages = [
        r[0]
        for r in _query(
            db_path,
            "select stage_name from int_opportunity_states where opportunity_id = 'GOOD2' "
            "order by state_sequence",
        )
    ]
    assert stages.index("Proposal/Price Quote") < stages.index("Closed Won"), stages


def _fails(tmp_path: Path, model: str, match: list[str]) -> None:
    with pytest.raises(DbtRunError) as error:
        run_dbt(["run", "--select", model], tmp_path, tmp_path / "w.duckdb", VARS)
    for fragment in match:
        assert fragment in str(error.value)


def test_missing_required_file_fails_fast_naming_it(tmp_path: Path) -> None:
    write_raw_export(tmp_path, {})
    (tmp_path / "opportunity_history.csv").unlink()
    _fails(
        tmp_path,
        "base_crm__users",
        [
            "Invalid var raw_path",
            "Required CRM export 'opportunity_history' not found: expected "
            f"{tmp_path}/opportunity_history.csv or .parquet",
        ],
    )


def test_missing_required_column_fails_fast_naming_file_and_column(tmp_path: Path) -> None:
    write_raw_export(tmp_path, {})
    columns = [c for c in RAW_COLUMNS["opportunity"] if c != "CloseDate"]
    _write_csv(tmp_path / "opportunity.csv", columns, [_opportunity("X")])
    _fails(
        tmp_path,
        "base_crm__opportunities",
        [f"{tmp_path}/opportunity.csv", "lacks required column(s) CloseDate"],
    )


def test_empty_0_byte_file_fails_fast_naming_it(tmp_path: Path) -> None:
    write_raw_export(tmp_path, {})
    (tmp_path / "lead.csv").write_bytes(b"")
    _fails(
        tmp_path,
        "base_crm__leads",
        [f"CRM export {tmp_path}/lead.csv is empty (0 bytes", "Re-export it with its header row"],
    )


@pytest.mark.slow
def test_a_10x_export_builds_staging_with_bounded_memory(tmp_path: Path) -> None:
    """Ten times the demo through staging and the audit; peak RSS of dbt is reported."""
    raw = tmp_path / "raw10"
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "generate_demo_data.py"),
            "--out",
            str(raw),
            "--scale",
            "10",
        ],
        check=True,
        capture_output=True,
    )
    db_path = tmp_path / "w10.duckdb"
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *BUILD[:2], "--select", "resource_type:seed", "path:models/staging"]
    command += [
        "path:models/audit",
        "--vars",
        f'{{"raw_path": "{raw}", "as_of_date": "2026-11-30"}}',
    ]
    completed = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env={**__import__("os").environ, "DBT_DUCKDB_PATH": str(db_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rows = _query(
        db_path, "select sum(raw_rows), bool_and(is_reconciled) from audit_row_reconciliation"
    )
    print(f"\n10x export: {rows[0][0]} raw rows, peak RSS of the largest child {peak_mb:.0f} MB")
    assert rows[0][1] is True
    assert rows[0][0] > 300_000
