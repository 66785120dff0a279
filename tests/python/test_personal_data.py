"""No personal data in the marts BI users see (issue 9).

Every text column of every mart is scanned for email-like values and for the raw names,
emails and person Ids of the demo export (users, leads, contacts); people appear only as
salted keys (macro person_key, var person_key_salt), stable and computable from the salt.
The scan is proved on a copy with a planted email. Staging relations holding personal
data are tagged `pii`.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import yaml
from conftest import PROJECT_ROOT

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
DEMO = PROJECT_ROOT / "data" / "demo"
PII_MODELS = {
    "base_crm__leads",
    "base_crm__users",
    "base_crm__opportunity_contact_roles",
    "stg_crm__leads",
    "stg_crm__users",
    "stg_crm__opportunity_contact_roles",
    "audit_rejected_rows",
}


def _marts() -> list[str]:
    return sorted(path.stem for path in (PROJECT_ROOT / "models" / "marts").rglob("*.sql"))


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    marts = _marts()
    return [
        (table, column)
        for table, column in con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' order by all"
        ).fetchall()
        if table in marts
    ]


def email_like_values(warehouse: Path) -> dict[tuple[str, str], int]:
    """(mart, column) -> number of email-like values."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        found = {}
        for table, column in _text_columns(con):
            count = con.execute(
                f'select count(*) from {table} where regexp_matches("{column}", ?)', [EMAIL]
            ).fetchone()[0]
            if count:
                found[(table, column)] = count
        return found
    finally:
        con.close()


def _raw(name: str, column: str) -> set[str]:
    with (DEMO / f"{name}.csv").open(newline="") as handle:
        return {row[column] for row in csv.DictReader(handle) if row.get(column)}


def test_no_mart_column_holds_an_email(demo_warehouse: tuple[Path, str]) -> None:
    assert email_like_values(demo_warehouse[0]) == {}


def test_the_scan_finds_a_planted_email(demo_warehouse: tuple[Path, str], tmp_path: Path) -> None:
    planted = tmp_path / "planted.duckdb"
    shutil.copy(demo_warehouse[0], planted)
    con = duckdb.connect(str(planted))
    con.execute(
        "update fct_lead_funnel set lead_source = 'jane.doe@example.com' where month_start_date "
        "= (select min(month_start_date) from fct_lead_funnel)"
    )
    con.close()
    assert ("fct_lead_funnel", "lead_source") in email_like_values(planted)


def test_no_mart_column_holds_a_name_email_or_person_id_from_the_export(
    demo_warehouse: tuple[Path, str],
) -> None:
    people = (
        _raw("user", "Name")
        | _raw("user", "Id")
        | _raw("lead", "Email")
        | _raw("lead", "Id")
        | _raw("opportunity_contact_role", "ContactId")
    )
    assert len(people) > 1000
    con = duckdb.connect(str(demo_warehouse[0]), read_only=True)
    try:
        leaks = {}
        for table, column in _text_columns(con):
            values = {
                r[0] for r in con.execute(f'select distinct "{column}" from {table}').fetchall()
            }
            if values & people:
                leaks[(table, column)] = sorted(values & people)[:3]
    finally:
        con.close()
    assert leaks == {}


def test_people_are_counted_by_a_stable_salted_key(demo_warehouse: tuple[Path, str]) -> None:
    salt = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]["person_key_salt"]
    owners = {
        hashlib.md5(f"{salt}|{owner}".encode()).hexdigest(): owner for owner in _raw("user", "Id")
    }
    con = duckdb.connect(str(demo_warehouse[0]), read_only=True)
    try:
        keys = {
            r[0] for r in con.execute("select distinct owner_key from fct_opportunities").fetchall()
        }
        by_dimension = {
            r[0]
            for r in con.execute(
                "select distinct dimension_value from fct_pipeline_waterfall_by_dimension "
                "where dimension_name = 'owner'"
            ).fetchall()
        }
    finally:
        con.close()
    assert keys and keys <= set(owners)
    assert by_dimension - {"(none)"} <= keys


def test_staging_relations_with_personal_data_are_tagged_pii() -> None:
    tagged = set()
    for path in (PROJECT_ROOT / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            if "pii" in ((model.get("config") or {}).get("tags") or []):
                assert "Personal data" in model.get("description", ""), model["name"]
                tagged.add(model["name"])
    assert tagged >= PII_MODELS
