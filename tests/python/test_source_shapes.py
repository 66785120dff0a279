"""Same history, same marts: the demo exports converted by scripts/convert_export.py into the
connector shape and the scd2 shape (both spellings; soft and hard deletes) build marts equal,
row by row, to the export build. Also: an unknown source_shape fails listing the valid ones,
and the converter's own rules on a small hand-made export."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import DEMO_VARS, PROJECT_ROOT, DbtRunError, run_dbt, write_raw_export
from convert_export import convert

SHAPES = {
    # name: (source_shape, convert_export arguments)
    "connector": ("connector", {"shape": "connector"}),
    "scd2_fivetran": ("scd2", {"shape": "scd2", "spelling": "fivetran"}),
    "scd2_dbt_hard_deletes": ("scd2", {"shape": "scd2", "spelling": "dbt", "hard_deletes": True}),
}
# the data tests run on one scd2 build (the new staging path); the others build models and
# seeds only, to keep the CI time down (the marts are compared row by row anyway)
WITH_DATA_TESTS = {"scd2_fivetran"}
SYNCED_AT = "2026-12-01 00:00:00"


def _marts(db_path: Path) -> list[str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rows = con.execute(
            "select table_name from duckdb_tables() where table_name like 'fct\\_%' escape '\\' "
            "order by table_name"
        ).fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]


def _differences(expected_db: Path, actual_db: Path, table: str) -> tuple[int, int, int]:
    """(rows, rows only in expected, rows only in actual) of one table in two warehouses."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{expected_db}' as expected (read_only)")
        con.execute(f"attach '{actual_db}' as actual (read_only)")
        rows = con.execute(f"select count(*) from expected.{table}").fetchone()
        missing = con.execute(
            f"select count(*) from (select * from expected.{table} "
            f"except all select * from actual.{table})"
        ).fetchone()
        extra = con.execute(
            f"select count(*) from (select * from actual.{table} "
            f"except all select * from expected.{table})"
        ).fetchone()
    finally:
        con.close()
    assert rows is not None and missing is not None and extra is not None
    return rows[0], missing[0], extra[0]


@pytest.fixture(scope="module")
def shape_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each shape of the demo exports, built into its own file."""
    builds = {}
    for name, (source_shape, arguments) in SHAPES.items():
        raw = tmp_path_factory.mktemp(f"raw_{name}")
        convert(PROJECT_ROOT / "data" / "demo", raw, synced_at=SYNCED_AT, **arguments)
        db_path = tmp_path_factory.mktemp(f"db_{name}") / "warehouse.duckdb"
        selection = (
            []
            if name in WITH_DATA_TESTS
            else ["--resource-type", "model", "--resource-type", "seed"]
        )
        run_dbt(
            ["build", "--full-refresh", *selection],
            raw,
            db_path,
            vars={**DEMO_VARS, "source_shape": source_shape},
        )
        builds[name] = db_path
    return builds


@pytest.mark.slow
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_mart_equals_the_export_build(
    shape: str, shape_builds: dict[str, Path], demo_warehouse: tuple[Path, str]
) -> None:
    export_db, _ = demo_warehouse
    marts = _marts(export_db)
    assert len(marts) >= 10, f"expected the marts in {export_db}, found {marts}"
    assert _marts(shape_builds[shape]) == marts
    differing = {}
    for table in marts:
        rows, missing, extra = _differences(export_db, shape_builds[shape], table)
        assert rows > 0, f"{table} is empty in the export build: the comparison would be empty"
        if missing or extra:
            differing[table] = (rows, missing, extra)
    assert not differing, f"{shape}: (rows, missing, extra) per differing mart: {differing}"


@pytest.mark.slow
def test_unknown_source_shape_fails_listing_the_valid_ones(tmp_path: Path) -> None:
    raw = write_raw_export(tmp_path / "raw", {})
    with pytest.raises(DbtRunError) as failure:
        run_dbt(
            ["run", "--select", "base_crm__opportunities"],
            raw,
            tmp_path / "w.duckdb",
            vars={"source_shape": "fivetran"},
        )
    message = str(failure.value)
    assert "Unknown source_shape 'fivetran'" in message
    assert "export, connector, scd2" in message


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _small_export(directory: Path) -> Path:
    """One opportunity per converter rule."""
    opportunity: dict[str, Any] = {
        "Type": "New Business",
        "CurrencyIsoCode": "USD",
        "CreatedDate": "2024-01-01T00:00:00.000Z",
        "IsClosed": "false",
        "IsWon": "false",
        "IsDeleted": "false",
    }

    def history(hid: str, oid: str, at: str, stage: str, amount: str) -> dict[str, Any]:
        return {
            "Id": hid,
            "OpportunityId": oid,
            "CreatedDate": at,
            "StageName": stage,
            "Amount": amount,
            "CloseDate": "2024-06-30",
        }

    return write_raw_export(
        directory,
        {
            "opportunity": [
                # current record differs from the last history row: one more version
                {
                    **opportunity,
                    "Id": "O1",
                    "StageName": "Proposal",
                    "Amount": "200",
                    "CloseDate": "2024-06-30",
                    "LastModifiedDate": "2024-02-01T00:00:00.000Z",
                },
                # deleted: a version flagged deleted at LastModifiedDate
                {
                    **opportunity,
                    "Id": "O2",
                    "StageName": "Qualification",
                    "Amount": "50",
                    "CloseDate": "2024-06-30",
                    "IsDeleted": "true",
                    "LastModifiedDate": "2024-03-01T00:00:00.000Z",
                },
                # no history: one version from CreatedDate
                {
                    **opportunity,
                    "Id": "O3",
                    "StageName": "Prospecting",
                    "Amount": "10",
                    "CloseDate": "2024-06-30",
                    "LastModifiedDate": "2024-01-05T00:00:00.000Z",
                },
            ],
            "opportunity_history": [
                history("H1", "O1", "2024-01-01T00:00:00.000Z", "Qualification", "100"),
                # same instant as H1: starts 1 microsecond later in scd2
                history("H2", "O1", "2024-01-01T00:00:00.000Z", "Needs Analysis", "100"),
                history("H3", "O2", "2024-01-10T00:00:00.000Z", "Qualification", "50"),
                # unknown opportunity: left out, as the export build rejects it
                history("H4", "O9", "2024-01-10T00:00:00.000Z", "Qualification", "50"),
            ],
        },
    )


def test_converter_versions_follow_the_timeline_rules(tmp_path: Path) -> None:
    source = _small_export(tmp_path / "export")
    counts = convert(source, tmp_path / "fivetran", "scd2", synced_at=SYNCED_AT)
    assert counts["left_out"] == 1
    assert not (tmp_path / "fivetran" / "opportunity_history.csv").exists()
    versions = _read(tmp_path / "fivetran" / "opportunity.csv")
    by_id: dict[str, list[dict[str, str]]] = {}
    for row in versions:
        by_id.setdefault(row["id"], []).append(row)
    o1 = by_id["O1"]
    assert [(v["stage_name"], v["_fivetran_start"]) for v in o1] == [
        ("Qualification", "2024-01-01 00:00:00.000000"),
        ("Needs Analysis", "2024-01-01 00:00:00.000001"),
        ("Proposal", "2024-02-01 00:00:00.000000"),
    ]
    assert [v["_fivetran_end"] for v in o1] == [
        "2024-01-01 00:00:00.000000",
        "2024-01-31 23:59:59.999999",
        "9999-12-31 23:59:59",
    ]
    assert [v["_fivetran_active"] for v in o1] == ["false", "false", "true"]
    o2 = by_id["O2"]
    assert [(v["_fivetran_start"], v["is_deleted"]) for v in o2] == [
        ("2024-01-10 00:00:00.000000", "false"),
        ("2024-03-01 00:00:00.000000", "true"),
    ]
    assert [v["_fivetran_start"] for v in by_id["O3"]] == ["2024-01-01 00:00:00.000000"]

    convert(source, tmp_path / "dbt", "scd2", spelling="dbt", hard_deletes=True)
    o2_dbt = [row for row in _read(tmp_path / "dbt" / "opportunity.csv") if row["id"] == "O2"]
    assert [(v["dbt_valid_from"], v["dbt_valid_to"], v["is_deleted"]) for v in o2_dbt] == [
        ("2024-01-10 00:00:00.000000", "2024-03-01 00:00:00.000000", "false")
    ]
    assert len({row["dbt_scd_id"] for row in _read(tmp_path / "dbt" / "opportunity.csv")}) == 5


def test_connector_shape_renames_columns_and_adds_bookkeeping(tmp_path: Path) -> None:
    source = _small_export(tmp_path / "export")
    convert(source, tmp_path / "connector", "connector", synced_at=SYNCED_AT)
    history = _read(tmp_path / "connector" / "opportunity_history.csv")
    assert list(history[0]) == [
        "id",
        "opportunity_id",
        "created_date",
        "stage_name",
        "amount",
        "close_date",
        "probability",
        "forecast_category",
        "is_deleted",
        "_fivetran_synced",
        "_fivetran_deleted",
    ]
    assert {row["_fivetran_synced"] for row in history} == {SYNCED_AT}
    lead_header = next(csv.reader((tmp_path / "connector" / "lead.csv").open()))
    assert "mql_date_c" in lead_header and "converted_opportunity_id" in lead_header
