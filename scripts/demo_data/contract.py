"""The raw-export contract as the generator writes it: object -> columns (Salesforce API
names, in file order), read from the contract's single home, the `crm` source YAML
(models/staging/crm/_crm__sources.yml), through scripts/crm_contract.py. The generator's
rows are tuples in exactly this column order."""

from __future__ import annotations

from crm_contract import load_contract


def export_columns() -> dict[str, tuple[str, ...]]:
    """Object -> columns of the raw-export contract, in the order the files are written."""
    return {name: contract.column_names for name, contract in load_contract().items()}


COLUMNS: dict[str, tuple[str, ...]] = export_columns()
