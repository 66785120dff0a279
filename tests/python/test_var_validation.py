"""Vars are validated before anything is built (issue 9).

Each rule is tried with bad values through ``dbt run-operation validate_var_values`` (the
checks ``validate_vars`` runs on-run-start; ``--args`` leaves dbt's partial parse intact, so
each case takes about a second). Two end-to-end runs prove the wiring: a bad ``--vars`` value
stops ``dbt build`` before any model is built, and ``raw_path`` is checked on disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT, DbtRunError, run_dbt, write_raw_export

DEMO = PROJECT_ROOT / "data" / "demo"

BAD_VALUES: list[tuple[str, Any, str]] = [
    ("fiscal_year_start_month", 0, "an integer from 1 to 12"),
    ("fiscal_year_start_month", 13, "an integer from 1 to 12"),
    ("fiscal_year_start_month", 2.5, "an integer from 1 to 12"),
    ("fiscal_year_start_month", "feb", "an integer from 1 to 12"),
    ("fiscal_year_start_month", True, "an integer from 1 to 12"),
    ("pipeline_window_quarters", 0, "an integer of 1 or more"),
    ("pipeline_window_quarters", None, "an integer of 1 or more"),
    ("as_of_date", "2024-02-30", "a date written YYYY-MM-DD, or null"),
    ("as_of_date", "30/11/2026", "a date written YYYY-MM-DD, or null"),
    ("as_of_date", 20261130, "a date written YYYY-MM-DD, or null"),
    ("calendar_start_date", None, "a date written YYYY-MM-DD"),
    ("mql_to_sal_threshold", 1.5, "a number from 0 to 1"),
    ("mql_to_sal_threshold", -0.1, "a number from 0 to 1"),
    ("mql_to_sal_threshold", "half", "a number from 0 to 1"),
    ("close_grace_days", -1, "an integer of 0 or more"),
    ("close_grace_days", "ten", "an integer of 0 or more"),
    ("maturing_cohort_quarters", -1, "an integer of 0 or more"),
    ("corporate_currency", "EURO", "three upper-case letters"),
    ("corporate_currency", "eur", "three upper-case letters"),
    ("corporate_currency", "US'", "three upper-case letters"),
    ("crm_source_schema", "crm; drop table x", "a schema name"),
    ("passthrough_columns", ["Region__c"], "a mapping of CRM object"),
    ("passthrough_columns", {"deal": ["Region__c"]}, "a mapping of CRM object"),
    ("passthrough_columns", {"opportunity": ['Region"; drop']}, "a mapping of CRM object"),
    ("planning_lookback_quarters", 0, "an integer of 1 or more"),
    ("max_reject_shares", {"opportunity": 1.5}, "a mapping of CRM object"),
    ("max_reject_shares", {"deals": 0.1}, "a mapping of CRM object"),
    ("max_reject_shares", 0.1, "a mapping of CRM object"),
    ("person_key_salt", "", "a non-empty text"),
    ("person_key_salt", 42, "a non-empty text"),
    ("raw_path", "/no/such/directory", "the directory does not exist or holds no files"),
    ("raw_path", "/tmp/it's here", "a path without single quotes"),
]


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)


@pytest.fixture(scope="module")
def operation(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Runs ``dbt run-operation <macro> --args <args>``; one target dir keeps the parse."""
    target = tmp_path_factory.mktemp("validation-target")
    db_path = tmp_path_factory.mktemp("validation") / "v.duckdb"

    def run(macro: str, args: dict[str, Any]) -> None:
        run_dbt(
            ["run-operation", macro, "--args", json.dumps(args)],
            DEMO,
            db_path,
            target_path=target,
        )

    return run


@pytest.mark.parametrize(("name", "value", "allowed"), BAD_VALUES)
def test_a_bad_value_is_refused_naming_var_value_and_rule(
    operation: Any, name: str, value: Any, allowed: str
) -> None:
    with pytest.raises(DbtRunError) as error:
        operation("validate_var_values", {"values": {name: value}})
    message = str(error.value)
    assert f"Invalid var {name}: got {_shown(value)}. Allowed: " in message
    assert allowed in message.split("Allowed: ", 1)[1]


def test_a_calendar_ending_before_it_starts_or_an_as_of_date_outside_it_is_refused(
    operation: Any,
) -> None:
    calendar = {"calendar_start_date": "2020-01-01", "calendar_end_date": "2030-01-01"}
    with pytest.raises(DbtRunError, match="Invalid var calendar_end_date: got '2019-01-01'"):
        operation(
            "validate_var_values", {"values": {**calendar, "calendar_end_date": "2019-01-01"}}
        )
    with pytest.raises(DbtRunError, match="Invalid var as_of_date: got '2031-05-01'"):
        operation("validate_var_values", {"values": {**calendar, "as_of_date": "2031-05-01"}})


def test_a_raw_path_missing_a_required_file_names_it(operation: Any, tmp_path: Path) -> None:
    write_raw_export(tmp_path, {})
    (tmp_path / "lead.csv").unlink()
    with pytest.raises(DbtRunError, match="Required CRM export 'lead' not found"):
        operation("validate_var_values", {"values": {"raw_path": str(tmp_path)}})


def test_good_values_pass(operation: Any, tmp_path: Path) -> None:
    operation(
        "validate_var_values",
        {
            "values": {
                "fiscal_year_start_month": "12",
                "pipeline_window_quarters": 1,
                "as_of_date": "2024-02-29",
                "close_grace_days": 0,
                "mql_to_sal_threshold": 1,
                "corporate_currency": "EUR",
                "maturing_cohort_quarters": 0,
                "passthrough_columns": {"opportunity": ["Region__c"]},
                "raw_path": str(write_raw_export(tmp_path, {})),
                "calendar_start_date": "2000-01-01",
                "calendar_end_date": "2050-01-01",
            }
        },
    )
    operation("validate_var_values", {"values": {"raw_path": "", "as_of_date": None}})


def test_dbt_build_stops_before_building_anything_on_a_bad_var(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    with pytest.raises(DbtRunError) as error:
        run_dbt(
            ["build", "--select", "stg_crm__users"],
            DEMO,
            db_path,
            {"fiscal_year_start_month": 13},
        )
    assert "Invalid var fiscal_year_start_month: got 13" in str(error.value)
    with pytest.raises(DbtRunError, match="Invalid var raw_path: got '/no/such/dir'"):
        run_dbt(["build", "--select", "stg_crm__users"], Path("/no/such/dir"), db_path)
    if db_path.exists():
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            tables = con.execute("select table_name from information_schema.tables").fetchall()
        finally:
            con.close()
        assert tables == []


def test_every_project_var_is_validated() -> None:
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())
    checked = (PROJECT_ROOT / "macros" / "validation" / "validate_vars.sql").read_text()
    rules = (PROJECT_ROOT / "macros" / "validation" / "validate_var_values.sql").read_text()
    unchecked = [name for name in project["vars"] if f"'{name}'" not in checked]
    without_rule = [name for name in project["vars"] if f"'{name}'" not in rules]
    assert unchecked == [] and without_rule == []
