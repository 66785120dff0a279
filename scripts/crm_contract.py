"""The raw-export contract, read from its single home (the `crm` source in
models/staging/crm/_crm__sources.yml): objects, their columns (Salesforce API names, in
order), types and required flags.

    from crm_contract import load_contract
    contract = load_contract()
    contract["opportunity"].column_names  # ('Id', 'AccountId', ...)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SOURCES_YAML = (
    Path(__file__).resolve().parents[1] / "models" / "staging" / "crm" / "_crm__sources.yml"
)
TYPES = ("id", "text", "timestamp", "date", "boolean", "decimal", "integer")


@dataclass(frozen=True)
class ContractColumn:
    """One contract column: API name, type (one of TYPES), whether it must be present."""

    name: str
    type: str
    required: bool
    description: str

    @property
    def connector_name(self) -> str:
        """The snake_case name managed connectors write (`AccountId` -> `account_id`,
        `MQL_Date__c` -> `mql_date_c`)."""
        return connector_name(self.name)


@dataclass(frozen=True)
class ContractObject:
    """One CRM object: file/table name, whether it is required, its columns in order."""

    name: str
    required: bool
    description: str
    columns: tuple[ContractColumn, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> ContractColumn:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no contract column {name!r}")


def connector_name(api_name: str) -> str:
    """Salesforce API name -> connector snake_case (Fivetran's rule)."""
    name = api_name.replace("__c", "_c")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return re.sub(r"_+", "_", name).lower()


def _meta(properties: dict[str, Any]) -> dict[str, Any]:
    return {**(properties.get("config") or {}).get("meta", {}), **(properties.get("meta") or {})}


def load_contract(path: Path = SOURCES_YAML) -> dict[str, ContractObject]:
    """Object name -> ContractObject, in the order of the sources YAML (the crm tables with
    `meta.crm_required`)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    (source,) = [source for source in document["sources"] if source["name"] == "crm"]
    contract: dict[str, ContractObject] = {}
    for table in source["tables"]:
        if "crm_required" not in _meta(table):
            continue  # a crm table outside the export contract (e.g. pipeline_targets)
        columns = []
        for column in table.get("columns") or []:
            meta = _meta(column)
            column_type = meta.get("crm_type", "text")
            if column_type not in TYPES:
                raise ValueError(
                    f"{path}: {table['name']}.{column['name']} has type {column_type!r}"
                )
            columns.append(
                ContractColumn(
                    name=column["name"],
                    type=column_type,
                    required=bool(meta.get("crm_required", False)),
                    description=str(column.get("description", "")).strip(),
                )
            )
        contract[table["name"]] = ContractObject(
            name=table["name"],
            required=bool(_meta(table).get("crm_required", False)),
            description=" ".join(str(table.get("description", "")).split()),
            columns=tuple(columns),
        )
    return contract
