"""The raw-export contract has one home (the crm source YAML): the Python loader reads it,
and the README's contract table must say the same thing."""

from __future__ import annotations

import re

from conftest import PROJECT_ROOT
from crm_contract import TYPES, connector_name, load_contract


def _readme_contract_table() -> dict[str, tuple[bool, list[tuple[str, bool]]]]:
    """README table rows: object -> (required, [(column, in bold)])."""
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### The raw-export contract", 1)[1].split("\n#", 1)[0]
    rows: dict[str, tuple[bool, list[tuple[str, bool]]]] = {}
    for line in section.splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|([^|]*)\|([^|]*)\|", line)
        if not match:
            continue
        name, required, cell = match.groups()
        cell = re.sub(r"\s*\(.*\)\s*$", "", cell.strip())
        columns = []
        for item in cell.split(","):
            item = item.strip()
            bold = item.startswith("**") and item.endswith("**")
            columns.append((item.strip("*"), bold))
        rows[name] = (required.strip().startswith("yes"), columns)
    return rows


def test_readme_contract_table_matches_the_sources_yaml() -> None:
    contract = load_contract()
    table = _readme_contract_table()
    assert list(table) == list(contract), "README lists the contract objects in YAML order"
    for name, obj in contract.items():
        required, columns = table[name]
        assert required == obj.required, f"{name}: README required flag"
        assert columns == [(column.name, column.required) for column in obj.columns], (
            f"{name}: README columns (bold = required) differ from the sources YAML"
        )


def test_contract_is_well_formed() -> None:
    contract = load_contract()
    assert {"opportunity", "opportunity_history", "lead", "opportunity_contact_role"} <= {
        name for name, obj in contract.items() if obj.required
    }
    for obj in contract.values():
        names = [column.name.lower().replace("_", "") for column in obj.columns]
        assert len(names) == len(set(names)), f"{obj.name}: two columns read as the same name"
        assert obj.required_columns, f"{obj.name}: no required column"
        assert all(column.type in TYPES for column in obj.columns)


def test_connector_names() -> None:
    assert connector_name("AccountId") == "account_id"
    assert connector_name("MQL_Date__c") == "mql_date_c"
    assert connector_name("IsoCode") == "iso_code"
    assert connector_name("NumberOfEmployees") == "number_of_employees"
    assert connector_name("Id") == "id"
    assert connector_name("ForecastCategoryName") == "forecast_category_name"
