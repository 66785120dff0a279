"""Convert a raw CRM export directory into the `connector` or `scd2` source shape.

    python3 scripts/convert_export.py data/demo /tmp/connector --shape connector
    python3 scripts/convert_export.py data/demo /tmp/scd2 --shape scd2 --spelling dbt

connector: every object file with connector snake_case column names (`AccountId` ->
`account_id`, `MQL_Date__c` -> `mql_date_c`) plus `_fivetran_synced` and `_fivetran_deleted`.

scd2: the same, except that there is no `opportunity_history` file and `opportunity` holds
one row per version of each opportunity, with a validity interval (`--spelling fivetran`:
`_fivetran_start`, `_fivetran_end`, `_fivetran_active`, open end `9999-12-31 23:59:59`;
`--spelling dbt`: `dbt_valid_from`, `dbt_valid_to` (empty while current), `dbt_scd_id`,
`dbt_updated_at`). The versions are the states of the export's opportunity timeline (README,
"The opportunity timeline"): each history row, the current record when it differs from the
last history row, and a version flagged deleted at the deletion (or, with `--hard-deletes`,
the last interval closed at the deletion). Each version carries the current record's other
columns. Two versions cannot share an instant: a state at the same instant as the one
before it starts 1 microsecond later. Rows the export build would reject for an unparseable
value (and history rows of such opportunities) are left out and counted.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crm_contract import ContractObject, connector_name, load_contract  # noqa: E402

Row = dict[str, str | None]
MICROSECOND = timedelta(microseconds=1)
OPEN_END = "9999-12-31 23:59:59"
STATE_COLUMNS = ("StageName", "Amount", "CloseDate", "Probability")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_timestamp(text: str | None) -> datetime | None:
    """Export timestamp text -> naive UTC datetime (None when empty or unparseable)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def parse_value(column_type: str, text: str | None) -> object:
    """A value parsed as the staging models parse it; raises ValueError when they reject it."""
    if text is None:
        return None
    if column_type == "timestamp":
        value = parse_timestamp(text)
    elif column_type == "date":
        value = parse_timestamp(text)
        value = value.date() if value else None
    elif column_type in ("decimal", "integer"):
        value = Decimal(text) if DECIMAL.fullmatch(text) else None
    elif column_type == "boolean":
        value = {"true": True, "1": True, "false": False, "0": False}.get(text.lower())
    else:
        return text
    if value is None:
        raise ValueError(text)
    return value


def format_timestamp(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def read_object(directory: Path, contract: ContractObject) -> tuple[list[str], list[Row]] | None:
    """The object's file as (header, rows of trimmed text keyed by contract API name where
    the header matches one, else by the header); None when absent."""
    files = [
        path
        for path in directory.iterdir()
        if path.name.lower() in (f"{contract.name}.csv", f"{contract.name}.parquet")
    ]
    if not files:
        return None
    path = files[0]
    if path.suffix.lower() == ".parquet":
        reader = f"read_parquet('{path}')"
    else:
        reader = f"read_csv('{path}', header = true, all_varchar = true)"
    con = duckdb.connect()
    try:
        cursor = con.execute(f"select * from {reader}")
        header = [column[0] for column in cursor.description]
        records = cursor.fetchall()
    finally:
        con.close()
    by_key = {name.lower().replace("_", ""): name for name in contract.column_names}
    names = [by_key.get(name.lower().replace("_", ""), name) for name in header]
    rows = []
    for record in records:
        values = [None if value is None else str(value).strip() or None for value in record]
        rows.append(dict(zip(names, values, strict=True)))
    return names, rows


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str | None]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if value is None else value for value in row])


@dataclass
class State:
    """One state of an opportunity's timeline: its start and the row holding its values."""

    start: datetime
    values: Row
    is_deleted: bool = False


def usable(contract: ContractObject, row: Row) -> bool:
    """False when staging would reject the row for an unparseable value."""
    try:
        for column in contract.columns:
            parse_value(column.type, row.get(column.name))
    except ValueError:
        return False
    return True


def opportunity_timelines(
    opportunities: list[Row], history: list[Row], contracts: dict[str, ContractObject]
) -> tuple[dict[str, tuple[Row, list[State]]], int]:
    """Opportunity Id -> (current record, states in order), and the number of rows left out."""
    skipped = 0
    current: dict[str, tuple[tuple[object, ...], Row]] = {}
    for position, row in enumerate(opportunities):
        created = parse_timestamp(row.get("CreatedDate"))
        if not row.get("Id") or created is None or not usable(contracts["opportunity"], row):
            skipped += 1
            continue
        modified = parse_timestamp(row.get("LastModifiedDate")) or created
        rank = (modified, position)  # latest record per Id wins, then the later row
        previous = current.get(row["Id"] or "")
        if previous is not None:
            skipped += 1
            if previous[0] > rank:
                continue
        current[row["Id"] or ""] = (rank, row)

    latest_history: dict[str, tuple[tuple[object, ...], Row]] = {}
    seen_exact: set[tuple[str | None, ...]] = set()
    for position, row in enumerate(history):
        exact = tuple(row.get(name) for name in contracts["opportunity_history"].column_names)
        created = parse_timestamp(row.get("CreatedDate"))
        if (
            exact in seen_exact
            or row.get("OpportunityId") not in current
            or created is None
            or not usable(contracts["opportunity_history"], row)
        ):
            skipped += 1
            continue
        seen_exact.add(exact)
        history_id = row.get("Id") or f"{row['OpportunityId']}#{position + 1}"
        rank = (created, position)
        previous = latest_history.get(history_id)
        if previous is not None:
            skipped += 1
            if previous[0] > rank:
                continue
        latest_history[history_id] = (rank, {**row, "_history_id": history_id})

    states_by_opportunity: dict[str, list[tuple[datetime, str, Row]]] = {}
    for (created, _), row in latest_history.values():
        key = row["OpportunityId"] or ""
        states_by_opportunity.setdefault(key, []).append((created, row["_history_id"] or "", row))

    types = {column.name: column.type for column in contracts["opportunity_history"].columns}
    timelines: dict[str, tuple[Row, list[State]]] = {}
    for opportunity_id, (_, record) in current.items():
        recorded = sorted(states_by_opportunity.get(opportunity_id, []), key=lambda s: s[:2])
        states = [State(start, row) for start, _, row in recorded]
        created = parse_timestamp(record["CreatedDate"]) or datetime.min
        modified = parse_timestamp(record.get("LastModifiedDate")) or created
        if not states:
            states.append(State(created, record))
        elif any(
            parse_value(types[name], record.get(name))
            != parse_value(types[name], states[-1].values.get(name))
            for name in ("StageName", "Amount", "CloseDate")
        ):
            states.append(State(max(modified, states[-1].start + MICROSECOND), record))
        if parse_value("boolean", record.get("IsDeleted")):
            last = states[-1]
            states.append(State(max(modified, last.start + MICROSECOND), last.values, True))
        timelines[opportunity_id] = (record, states)
    return timelines, skipped


def version_rows(
    record: Row, states: list[State], spelling: str, hard_deletes: bool, synced_at: str
) -> list[dict[str, str | None]]:
    """The scd2 versions (API-name keys plus validity columns) of one opportunity."""
    starts: list[datetime] = []
    for state in states:  # two versions cannot share an instant
        starts.append(max(state.start, starts[-1] + MICROSECOND) if starts else state.start)
    deleted_at = None
    if hard_deletes and states[-1].is_deleted:
        deleted_at, states, starts = starts[-1], states[:-1], starts[:-1]
    versions = []
    for index, (state, start) in enumerate(zip(states, starts, strict=True)):
        row: dict[str, str | None] = dict(record)
        for name in STATE_COLUMNS:
            row[name] = state.values.get(name)
        row["ForecastCategoryName"] = state.values.get(
            "ForecastCategory" if "ForecastCategory" in state.values else "ForecastCategoryName"
        )
        row["LastModifiedDate"] = format_timestamp(start)
        if parse_value("boolean", record.get("IsDeleted")) and not state.is_deleted:
            row["IsDeleted"] = "false"
        end = starts[index + 1] if index + 1 < len(starts) else deleted_at
        if spelling == "fivetran":
            row["_fivetran_start"] = format_timestamp(start)
            # Fivetran's end is inclusive: the instant before the next version starts
            row["_fivetran_end"] = format_timestamp(end - MICROSECOND) if end else OPEN_END
            if end and index + 1 == len(starts):
                row["_fivetran_end"] = format_timestamp(end)  # a hard delete: at the deletion
            row["_fivetran_active"] = "false" if end else "true"
            row["_fivetran_synced"] = synced_at
        else:
            key = f"{record['Id']}|{format_timestamp(start)}".encode()
            row["dbt_scd_id"] = hashlib.md5(key).hexdigest()  # noqa: S324 - an id, not security
            row["dbt_updated_at"] = format_timestamp(start)
            row["dbt_valid_from"] = format_timestamp(start)
            row["dbt_valid_to"] = format_timestamp(end) if end else None
        versions.append(row)
    return versions


def convert(
    source: Path,
    target: Path,
    shape: str,
    spelling: str = "fivetran",
    hard_deletes: bool = False,
    synced_at: str | None = None,
) -> dict[str, int]:
    """Write the shape into `target`; returns rows written per file (and `left_out`)."""
    contracts = load_contract()
    synced = synced_at or format_timestamp(datetime.now(UTC).replace(tzinfo=None))
    target.mkdir(parents=True, exist_ok=True)
    tables = {name: read_object(source, contract) for name, contract in contracts.items()}
    counts: dict[str, int] = {}
    for name, table in tables.items():
        if table is None or (shape == "scd2" and name in ("opportunity", "opportunity_history")):
            continue
        header, rows = table
        columns = [*header, "_fivetran_synced", "_fivetran_deleted"]
        write_csv(
            target / f"{name}.csv",
            [connector_name(column) for column in columns],
            ([*(row[column] for column in header), synced, "false"] for row in rows),
        )
        counts[name] = len(rows)
    if shape == "scd2":
        opportunity, history = tables["opportunity"], tables["opportunity_history"]
        if opportunity is None or history is None:
            raise SystemExit(f"{source}: scd2 needs the opportunity and opportunity_history files")
        timelines, counts["left_out"] = opportunity_timelines(opportunity[1], history[1], contracts)
        header = opportunity[0]
        if spelling == "fivetran":
            extra = ["_fivetran_start", "_fivetran_end", "_fivetran_active", "_fivetran_synced"]
        else:
            extra = ["dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"]
        versions = [
            version
            for record, states in timelines.values()
            for version in version_rows(record, states, spelling, hard_deletes, synced)
        ]
        write_csv(
            target / "opportunity.csv",
            [connector_name(column) for column in [*header, *extra]],
            ([version.get(column) for column in [*header, *extra]] for version in versions),
        )
        counts["opportunity"] = len(versions)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="export directory (<object>.csv|.parquet)")
    parser.add_argument("target", type=Path, help="directory to write the shape into")
    parser.add_argument("--shape", choices=["connector", "scd2"], required=True)
    parser.add_argument("--spelling", choices=["fivetran", "dbt"], default="fivetran")
    parser.add_argument("--hard-deletes", action="store_true", help="scd2: close the interval")
    parser.add_argument("--synced-at", help="value of _fivetran_synced (default: now, UTC)")
    args = parser.parse_args(argv)
    counts = convert(
        args.source, args.target, args.shape, args.spelling, args.hard_deletes, args.synced_at
    )
    for name, count in counts.items():
        print(f"{name}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
