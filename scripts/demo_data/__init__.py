"""Deterministic generator of Salesforce-style CRM exports (the demo data and benchmarks).

Writes one file per object (``<object>.csv`` or ``<object>.parquet``) following the raw-export
contract: opportunity, opportunity_history, lead, opportunity_contact_role, account, user and
dated_conversion_rate, with Salesforce API column names. Nothing depends on today's date, hash
order or the machine: the same ``--seed`` and ``--scale`` give byte-identical files.

The modules follow the generator's structure:

- ``contract``: the objects and columns written (``export_columns()``);
- ``blocks``: one block of accounts simulated account by account, and ``generate()``, which
  assembles the blocks (optionally in parallel worker processes) into the files;
- ``accounts_users``: the sales organisation and the accounts;
- ``opportunities`` (with ``history``, the simulated stage path and field history of one
  opportunity), ``contact_roles``, ``leads``, ``rates``: one object each;
- ``writers``: value formatting, the streaming CSV sinks and the Parquet conversion;
- ``dates``, ``ids``, ``picklists``, ``sampling``: calendar arithmetic, Salesforce ids,
  picklist values and weighted choices;
- ``cli``: the command line of ``scripts/generate_demo_data.py``.

A fixed handful of deliberately bad rows is planted in block 0 at every scale (an orphan history
row, an exact duplicate history row, an unparseable history Amount, an opportunity duplicated
with an older LastModifiedDate, a lead with an unparseable CreatedDate); ``generate()`` returns
their ids.
"""

from __future__ import annotations

from .blocks import Result, generate
from .cli import main
from .contract import COLUMNS, export_columns
from .writers import row_writer

__all__ = ["COLUMNS", "Result", "export_columns", "generate", "main", "row_writer"]
