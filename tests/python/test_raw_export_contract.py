"""The raw-export contract: accepted formats, every rejection reason, row reconciliation,
Parquet input, optional files, and clear errors for missing files and columns."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import NO_REJECT_LIMITS, DbtRunError, DbtWorkspace, run_dbt, write_raw_export

# seeds are part of the selection, so `build` (not `run`) creates them
STAGING = [
    "build",
    "--full-refresh",
    "--select",
    "+audit_row_reconciliation",
    "+int_opportunity_states",
]

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


def _opportunity(opportunity_id: str, **values: Any) -> dict[str, Any]:
    return {**OPPORTUNITY, "Id": opportunity_id, **values}


def _history(history_id: str, opportunity_id: str, **values: Any) -> dict[str, Any]:
    row = {
        "Id": history_id,
        "OpportunityId": opportunity_id,
        "CreatedDate": "2024-01-02T03:04:05.000Z",
        "StageName": "Qualification",
        "Amount": "100.50",
        "CloseDate": "2024-06-30",
        "IsDeleted": "false",
    }
    return {**row, **values}


def _query(db_path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def contract_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One export exercising every accepted format and every rejection reason."""
    raw = tmp_path_factory.mktemp("contract_raw")
    opportunities = [
        # accepted formats: three timestamp forms, boolean spellings, empty amount
        _opportunity("OZ", CreatedDate="2024-03-31T23:59:59.000Z", IsDeleted="FALSE"),
        _opportunity("OP", CreatedDate="2024-03-31T23:59:59.000+0000", IsClosed="0", IsWon="0"),
        _opportunity("OS", CreatedDate="2024-03-31 23:59:59", Amount="", IsDeleted="True"),
        _opportunity("OB", IsWon="1", IsClosed="TRUE", StageName="Closed Won"),
        _opportunity("OE", CurrencyIsoCode="eur", Amount="90"),
        # rejections
        _opportunity(None),  # missing_id
        _opportunity("BAD_CREATED", CreatedDate="yesterday"),
        _opportunity("BAD_CLOSE", CloseDate="31/06/2024"),
        _opportunity("BAD_AMOUNT", Amount="1,000.00"),
        _opportunity("BAD_BOOL", IsDeleted="yes"),
        _opportunity("NO_RATE", CurrencyIsoCode="JPY"),
        _opportunity("DUP", LastModifiedDate="2024-02-01T00:00:00.000Z", Name="newer"),
        _opportunity("DUP", LastModifiedDate="2024-01-15T00:00:00.000Z", Name="older"),
        _opportunity("EXACT"),
        _opportunity("EXACT"),
    ]
    history = [
        _history("H1", "OZ"),
        _history("H2", "OZ", CreatedDate="2024-02-01T00:00:00.000+0000", Amount=""),
        _history("H3", "GHOST"),  # unknown_opportunity
        _history("H4", "NO_RATE"),  # opportunity_rejected
        _history("H5", "OP", CreatedDate="not-a-date"),  # unparseable_created_date
        _history("H6", "OP", Amount="12,5O0"),  # unparseable_amount
        _history("H7", "OP"),
        _history("H7", "OP"),  # exact_duplicate
        _history(None, None),  # missing_opportunity_id
    ]
    leads = [
        {
            "Id": "L1",
            "CreatedDate": "2024-01-01 08:00:00",
            "IsConverted": "true",
            "ConvertedOpportunityId": "OZ",
            "MQL_Date__c": "2024-01-05T00:00:00.000Z",
        },
        {"Id": "L2", "CreatedDate": "not-a-date"},
        {"Id": "L3", "CreatedDate": "2024-01-01T00:00:00Z", "SAL_Date__c": "soon"},
    ]
    roles = [
        {
            "Id": "R1",
            "OpportunityId": "OZ",
            "ContactId": "C1",
            "Role": "Decision Maker",
            "IsPrimary": "true",
            "CreatedDate": "2024-01-03T00:00:00.000Z",
            "IsDeleted": "false",
        },
        {"Id": "R2", "OpportunityId": "GHOST", "ContactId": "C2"},
        {"Id": "R3", "OpportunityId": "OZ", "ContactId": None},
    ]
    rates = [
        {"IsoCode": "EUR", "ConversionRate": "0.9", "StartDate": "2024-01-01", "NextStartDate": ""},
        {"IsoCode": "GBP", "ConversionRate": "-1", "StartDate": "2024-01-01"},
        {"IsoCode": "GBP", "ConversionRate": "0.8", "StartDate": "2024-13-01"},
    ]
    write_raw_export(
        raw,
        {
            "opportunity": opportunities,
            "opportunity_history": history,
            "lead": leads,
            "opportunity_contact_role": roles,
            "dated_conversion_rate": rates,
        },
    )
    db_path = raw.parent / "contract.duckdb"
    run_dbt(STAGING, raw, db_path, {"as_of_date": "2024-12-31", **NO_REJECT_LIMITS})
    return db_path


def test_timestamp_formats_parse_to_utc(contract_build: Path) -> None:
    rows = dict(
        _query(
            contract_build,
            "select opportunity_id, created_at "
            "from stg_crm__opportunities where opportunity_id in ('OZ', 'OP', 'OS')",
        )
    )
    expected = dt.datetime(2024, 3, 31, 23, 59, 59)
    assert rows == {"OZ": expected, "OP": expected, "OS": expected}


def test_booleans_and_empty_amounts(contract_build: Path) -> None:
    rows = {
        r[0]: r[1:]
        for r in _query(
            contract_build,
            "select opportunity_id, is_deleted, is_closed, is_won, amount "
            "from stg_crm__opportunities",
        )
    }
    assert rows["OZ"] == (False, False, False, Decimal("100.5"))
    assert rows["OP"][1:3] == (False, False)
    assert rows["OS"] == (True, False, False, None)
    assert rows["OB"][1:3] == (True, True)
    history_amounts = dict(
        _query(
            contract_build,
            "select opportunity_history_id, amount from stg_crm__opportunity_history",
        )
    )
    assert history_amounts["H2"] is None


def test_currency_codes_are_normalised(contract_build: Path) -> None:
    rows = dict(
        _query(
            contract_build,
            "select opportunity_id, currency_iso_code "
            "from stg_crm__opportunities where opportunity_id = 'OE'",
        )
    )
    assert rows == {"OE": "EUR"}


def test_every_rejection_reason_lands_in_the_audit(contract_build: Path) -> None:
    rejected = set(
        _query(
            contract_build,
            "select source_object, record_id, rejection_reason from audit_rejected_rows",
        )
    )
    expected = {
        ("opportunity", None, "missing_id"),
        ("opportunity", "BAD_CREATED", "unparseable_created_date"),
        ("opportunity", "BAD_CLOSE", "unparseable_close_date"),
        ("opportunity", "BAD_AMOUNT", "unparseable_amount"),
        ("opportunity", "BAD_BOOL", "unparseable_boolean"),
        ("opportunity", "NO_RATE", "no_conversion_rate"),
        ("opportunity", "DUP", "duplicate_id_superseded"),
        ("opportunity", "EXACT", "exact_duplicate"),
        ("opportunity_history", "H3", "unknown_opportunity"),
        ("opportunity_history", "H4", "opportunity_rejected"),
        ("opportunity_history", "H5", "unparseable_created_date"),
        ("opportunity_history", "H6", "unparseable_amount"),
        ("opportunity_history", "H7", "exact_duplicate"),
        ("lead", "L2", "unparseable_created_date"),
        ("lead", "L3", "unparseable_sal_date"),
        ("opportunity_contact_role", "R2", "unknown_opportunity"),
        ("opportunity_contact_role", "R3", "missing_contact_id"),
        ("dated_conversion_rate", "GBP@2024-01-01", "missing_or_non_positive_conversion_rate"),
        ("dated_conversion_rate", "GBP@2024-13-01", "unparseable_start_date"),
    }
    assert expected <= rejected
    # the history row without an opportunity id is rejected too (its record id is synthetic)
    reasons = [r[2] for r in rejected if r[0] == "opportunity_history"]
    assert "missing_opportunity_id" in reasons
    assert len(rejected) == len(expected) + 1


def test_duplicate_ids_keep_the_most_recently_modified(contract_build: Path) -> None:
    assert _query(
        contract_build,
        "select opportunity_name from stg_crm__opportunities where opportunity_id = 'DUP'",
    ) == [("newer",)]


def test_audit_keeps_raw_values_and_position(contract_build: Path) -> None:
    rows = _query(
        contract_build,
        "select source_file, raw_row_number, raw_values "
        "from audit_rejected_rows where record_id = 'BAD_AMOUNT'",
    )
    assert len(rows) == 1
    source_file, row_number, raw_values = rows[0]
    assert source_file.endswith("opportunity.csv")
    assert row_number == 9
    assert '"Amount":"1,000.00"' in raw_values


def test_raw_rows_equal_kept_plus_rejected(contract_build: Path) -> None:
    rows = _query(
        contract_build,
        "select source_object, raw_rows, kept_rows, rejected_rows, "
        "is_reconciled from audit_row_reconciliation",
    )
    by_object = {r[0]: r[1:] for r in rows}
    assert by_object["opportunity"] == (15, 7, 8, True)
    assert by_object["opportunity_history"] == (9, 3, 6, True)
    assert all(r[4] for r in rows)


def test_only_required_files_build_and_pass_tests(dbt_workspace: DbtWorkspace) -> None:
    raw = write_raw_export(
        dbt_workspace.fresh(),
        {
            "opportunity": [_opportunity("O1")],
            "opportunity_history": [_history("H1", "O1")],
        },
    )
    assert sorted(p.name for p in raw.iterdir()) == [
        "lead.csv",
        "opportunity.csv",
        "opportunity_contact_role.csv",
        "opportunity_history.csv",
    ]
    dbt_workspace.run(["build", "--full-refresh"], {"as_of_date": "2024-12-31"})
    waterfall = _query(
        dbt_workspace.db_path, "select sum(new_pipeline) from fct_pipeline_waterfall"
    )
    assert waterfall == [(Decimal("100.5"),)]


def _to_parquet(csv_dir: Path, parquet_dir: Path) -> None:
    parquet_dir.mkdir()
    con = duckdb.connect()
    for path in csv_dir.glob("*.csv"):
        target = parquet_dir / f"{path.stem}.parquet"
        con.execute(
            f"copy (select * from read_csv('{path}', header = true, all_varchar = true)) "
            f"to '{target}' (format parquet)"
        )
    con.close()


def test_parquet_exports_match_csv(dbt_workspace: DbtWorkspace, tmp_path: Path) -> None:
    rows = {
        "opportunity": [_opportunity("O1"), _opportunity("O2", Amount="7.25")],
        "opportunity_history": [_history("H1", "O1")],
    }
    csv_dir = write_raw_export(tmp_path / "csv", rows)
    _to_parquet(csv_dir, tmp_path / "parquet")
    results = []
    for name in ("csv", "parquet"):
        shutil.copytree(tmp_path / name, dbt_workspace.fresh(), dirs_exist_ok=True)
        dbt_workspace.run(STAGING, {"as_of_date": "2024-12-31", **NO_REJECT_LIMITS})
        results.append(
            _query(
                dbt_workspace.db_path,
                "select * exclude (_source_file) from "
                "base_crm__opportunities order by _raw_row_number",
            )
        )
    assert results[0] == results[1]
    assert len(results[0]) == 2


def test_column_names_are_case_insensitive_and_extra_columns_ignored(
    dbt_workspace: DbtWorkspace,
) -> None:
    raw = write_raw_export(dbt_workspace.fresh(), {"opportunity_history": []})
    with (raw / "opportunity.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "stagename", "AMOUNT", "closedate", "createddate", "Custom__c"])
        writer.writerow(["O1", "Qualification", "5", "2024-06-30", "2024-01-01T00:00:00Z", "x"])
    dbt_workspace.run(STAGING, {"as_of_date": "2024-12-31", **NO_REJECT_LIMITS})
    assert _query(
        dbt_workspace.db_path,
        "select opportunity_id, stage_name, amount, opportunity_type from stg_crm__opportunities",
    ) == [("O1", "Qualification", Decimal("5"), "unknown")]


def test_missing_required_file_is_named(dbt_workspace: DbtWorkspace) -> None:
    raw = write_raw_export(dbt_workspace.fresh(), {})
    (raw / "lead.csv").unlink()
    with pytest.raises(DbtRunError, match=r"Required CRM export 'lead' not found"):
        dbt_workspace.run(["run", "--select", "base_crm__leads"])


def test_missing_required_column_is_named(dbt_workspace: DbtWorkspace) -> None:
    raw = write_raw_export(dbt_workspace.fresh(), {})
    (raw / "opportunity.csv").write_text(
        "Id,StageName,Amount,CloseDate\nO1,Qualification,1,2024-01-01\n"
    )
    with pytest.raises(
        DbtRunError, match=r"opportunity\.csv lacks required column\(s\) CreatedDate"
    ):
        dbt_workspace.run(["run", "--select", "base_crm__opportunities"])


def test_configured_columns_pass_through_to_staging_and_facts(
    dbt_workspace: DbtWorkspace,
) -> None:
    raw = write_raw_export(dbt_workspace.fresh(), {"opportunity_history": []})
    with (raw / "opportunity.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "StageName", "Amount", "CloseDate", "CreatedDate", "Region__c"])
        writer.writerow(["O1", "Qualification", "5", "2024-06-30", "2024-01-01T00:00:00Z", "EMEA"])
    db_path = dbt_workspace.db_path
    dbt_vars = {"as_of_date": "2024-12-31", "passthrough_columns": {"opportunity": ["Region__c"]}}
    build = [
        "build",
        "--full-refresh",
        "--select",
        "+fct_opportunities",
        "--indirect-selection",
        "cautious",
    ]
    dbt_workspace.run(build, dbt_vars)
    assert _query(db_path, "select region__c from stg_crm__opportunities") == [("EMEA",)]
    assert _query(db_path, "select region__c from fct_opportunities") == [("EMEA",)]
    (raw / "opportunity.csv").write_text(
        "Id,StageName,Amount,CloseDate,CreatedDate\nO1,Qualification,5,2024-06-30,2024-01-01\n"
    )
    with pytest.raises(DbtRunError, match=r"lacks required column\(s\) region__c"):
        dbt_workspace.run(["run", "--select", "base_crm__opportunities"], dbt_vars)
