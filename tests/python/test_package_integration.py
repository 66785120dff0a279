"""The project as a dbt package: integration_tests/ consumes it by local path, reads the demo
exports loaded into DuckDB tables in the connector shape (typed columns, as a connector
writes them), replaces the stage mapping seed with a table of its own, puts the package's
models into custom schemas, and gets marts equal to the root project's build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT
from convert_export import convert

INTEGRATION = PROJECT_ROOT / "integration_tests"


def _dbt(args: list[str], db_path: Path, target: Path) -> str:
    """Run dbt in the integration project (a subprocess: its own project and profile)."""
    dbt = Path(sys.executable).with_name("dbt")
    completed = subprocess.run(
        [
            str(dbt if dbt.exists() else "dbt"),
            *args,
            "--project-dir",
            str(INTEGRATION),
            "--profiles-dir",
            str(INTEGRATION),
            *([] if args[0] == "deps" else ["--target-path", str(target)]),
            "--log-path",
            str(target / "logs"),
            "--no-use-colors",
        ],
        env={**os.environ, "DBT_DUCKDB_PATH": str(db_path)},
        cwd=INTEGRATION,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, f"dbt {args} failed:\n{completed.stdout[-6000:]}"
    return completed.stdout


def _load_connector_tables(db_path: Path, raw: Path) -> None:
    """Connector-shape files -> typed tables in schema `salesforce`; the team's stage mapping
    (the package's seed, with the seed's column types) -> crm_mappings.team_stage_mapping."""
    seeds = yaml.safe_load((PROJECT_ROOT / "seeds" / "_seeds.yml").read_text())
    (stage_mapping,) = [seed for seed in seeds["seeds"] if seed["name"] == "stage_mapping"]
    types = stage_mapping["config"]["column_types"]
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema salesforce")
        for path in sorted(raw.glob("*.csv")):
            con.execute(
                f"create table salesforce.{path.stem} as select * from read_csv('{path}', "
                "header = true, types = {'_fivetran_synced': 'timestamp'})"
            )
        con.execute("create schema crm_mappings")
        con.execute(
            "create table crm_mappings.team_stage_mapping as select * from read_csv("
            f"'{PROJECT_ROOT / 'seeds' / 'stage_mapping.csv'}', header = true, "
            f"types = {json.dumps(types)})"
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def integration_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    raw = tmp_path_factory.mktemp("connector_raw")
    synced_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    convert(PROJECT_ROOT / "data" / "demo", raw, "connector", synced_at=synced_at)
    scratch = tmp_path_factory.mktemp("integration")
    db_path = scratch / "integration.duckdb"
    _load_connector_tables(db_path, raw)
    target = scratch / "target"
    _dbt(["deps"], db_path, target)
    _dbt(["build", "--full-refresh"], db_path, target)
    freshness = _dbt(
        ["source", "freshness", "--select", "source:crm_revenue.crm.opportunity"], db_path, target
    )
    return db_path, freshness


@pytest.mark.slow
def test_package_marts_equal_the_root_build(
    integration_build: tuple[Path, str], demo_warehouse: tuple[Path, str]
) -> None:
    db_path, _ = integration_build
    root_db, _ = demo_warehouse
    con = duckdb.connect()
    try:
        con.execute(f"attach '{root_db}' as root (read_only)")
        con.execute(f"attach '{db_path}' as package (read_only)")
        marts = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'root' "
                "and table_name like 'fct\\_%' escape '\\' order by 1"
            ).fetchall()
        ]
        assert len(marts) >= 10
        schemas = dict(
            con.execute(
                "select table_name, schema_name from duckdb_tables() "
                "where database_name = 'package' union all "
                "select view_name, schema_name from duckdb_views() "
                "where database_name = 'package' and not internal"
            ).fetchall()
        )
        differing = {}
        for table in marts:
            assert schemas.get(table) == "main_crm_marts", f"{table} not in the marts schema"
            missing, extra = (
                con.execute(
                    f"select count(*) from (select * from {left}.{table} "
                    f"except all select * from {right}.{table})"
                ).fetchone()
                for left, right in (
                    ("root.main", "package.main_crm_marts"),
                    ("package.main_crm_marts", "root.main"),
                )
            )
            if missing != (0,) or extra != (0,):
                differing[table] = (missing, extra)
        assert not differing, f"(rows only in the root build, only in the package's): {differing}"
        assert schemas["stg_crm__opportunities"] == "main_crm_staging"
        assert schemas["int_opportunity_states"] == "main_crm_intermediate"
        team = con.execute(
            "select sum(closed_won) from package.main.team_closed_won_by_year"
        ).fetchone()
        root_won = con.execute("select sum(closed_won) from root.main.fct_pipeline_waterfall")
        assert team == root_won.fetchone()
    finally:
        con.close()


@pytest.mark.slow
def test_source_freshness_reads_the_connector_sync_column(
    integration_build: tuple[Path, str],
) -> None:
    _, output = integration_build
    assert "freshness of crm.opportunity" in output
    assert "PASS" in output
