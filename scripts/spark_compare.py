"""Build the project on DuckDB and on Spark from the same raw exports and compare every mart.

Runs in the Spark environment (`python3 scripts/run.py spark-setup` creates `.venv-spark` with
dbt-duckdb and dbt-spark[session]); `python3 scripts/run.py spark-test` runs it. Steps, each
timed: the DuckDB build (`dbt seed` + `dbt run`), the Spark build in this process (dbt-spark's
`session` method: the raw CSV/Parquet exports are read into Spark through the adapter-dispatched
`read_crm_export` macro, every column as text), then every model under models/marts is read
from both engines and compared row by row: same columns, same number of rows, and the same
multiset of rows, with decimals equal exactly (every cent, every micro-unit) and floats equal
to 1e-9 relative. Writes a JSON report and exits 1 on any difference.

The comparison functions need neither pyspark nor duckdb, so the plain test suite checks them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO_AS_OF_DATE = "2026-11-30"
FLOAT_RELATIVE_TOLERANCE = 1e-9
MAX_REPORTED_DIFFERENCES = 10


def normalize(value: Any) -> Any:
    """A comparable, hashable form of one cell (decimals exact, floats to 12 digits)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        # equal numbers compare equal whatever their scale (Decimal('1.50') == Decimal('1.5'))
        return ("number", value.normalize() if value != 0 else Decimal(0))
    if isinstance(value, int):
        return ("number", Decimal(value))
    if isinstance(value, float):
        if math.isnan(value):
            return ("float", "nan")
        return ("float", float(f"{value:.12g}"))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return ("timestamp", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    return ("text", str(value))


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((cell is not None, repr(cell)) for cell in row)


def _floats_close(left: tuple[Any, ...], right: tuple[Any, ...]) -> bool:
    if len(left) != len(right):
        return False
    for a, b in zip(left, right, strict=True):
        if a == b:
            continue
        kinds = {a[0] if isinstance(a, tuple) else None, b[0] if isinstance(b, tuple) else None}
        if not kinds <= {"float", "number"} or a is None or b is None:
            return False
        x, y = float(a[1]), float(b[1])
        if not math.isclose(x, y, rel_tol=FLOAT_RELATIVE_TOLERANCE, abs_tol=1e-12):
            return False
        if "float" not in kinds:  # two decimals must be equal exactly
            return False
    return True


def compare_tables(
    name: str,
    left_columns: Sequence[str],
    left_rows: Iterable[Sequence[Any]],
    right_columns: Sequence[str],
    right_rows: Iterable[Sequence[Any]],
) -> dict[str, Any]:
    """Compare two result sets as multisets of rows; returns a report entry for the table.

    Decimal values must be equal exactly; a float may differ from the other side's float (or
    decimal) by 1e-9 relative. Rows that differ only within that tolerance are paired off.
    """
    left_names = [column.lower() for column in left_columns]
    right_names = [column.lower() for column in right_columns]
    entry: dict[str, Any] = {"table": name, "columns": left_names}
    if sorted(left_names) != sorted(right_names):
        entry.update(
            equal=False,
            reason="columns differ",
            only_duckdb=sorted(set(left_names) - set(right_names)),
            only_spark=sorted(set(right_names) - set(left_names)),
        )
        return entry
    order = [right_names.index(column) for column in left_names]
    left = Counter(tuple(normalize(cell) for cell in row) for row in left_rows)
    right = Counter(tuple(normalize(row[index]) for index in order) for row in right_rows)
    entry["rows_duckdb"] = sum(left.values())
    entry["rows_spark"] = sum(right.values())
    only_left = sorted((left - right).elements(), key=_sort_key)
    only_right = sorted((right - left).elements(), key=_sort_key)
    unmatched_right = list(only_right)
    still_left = []
    for row in only_left:
        match = next((other for other in unmatched_right if _floats_close(row, other)), None)
        if match is None:
            still_left.append(row)
        else:
            unmatched_right.remove(match)
    entry["equal"] = not still_left and not unmatched_right
    if not entry["equal"]:
        entry["reason"] = "rows differ"
        entry["only_duckdb"] = [_display(row) for row in still_left[:MAX_REPORTED_DIFFERENCES]]
        entry["only_spark"] = [_display(row) for row in unmatched_right[:MAX_REPORTED_DIFFERENCES]]
        entry["rows_only_duckdb"] = len(still_left)
        entry["rows_only_spark"] = len(unmatched_right)
    return entry


def _display(row: tuple[Any, ...]) -> list[Any]:
    return [
        None if cell is None else str(cell[1]) if isinstance(cell, tuple) else cell for cell in row
    ]


# ---------------------------------------------------------------------------------------------
# Building and reading (needs the Spark environment)


def _invoke_dbt(args: list[str], env: dict[str, str]) -> None:
    from dbt.cli.main import dbtRunner

    os.environ.update(env)
    result = dbtRunner().invoke([*args, "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)])
    if not result.success:
        raise SystemExit(f"dbt {' '.join(args[:3])} failed: {result.exception}")


def _release_duckdb() -> None:
    """Close the database dbt-duckdb keeps open in this process, so it can be read here."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    if DuckDBConnectionManager._ENV is not None:
        DuckDBConnectionManager._ENV.close()
    DuckDBConnectionManager.close_all_connections()


def _start_spark_session(target_path: Path) -> None:
    """Start Spark as the profile's `spark` target does (a dbt debug opens the connection)."""
    _invoke_dbt(["debug", "--target", "spark"], {})


def _mart_relations(manifest_path: Path) -> dict[str, str]:
    manifest = json.loads(manifest_path.read_text())
    return {
        node["name"]: node["relation_name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith("models/marts/")
        and node["config"].get("materialized") != "ephemeral"
        and node["config"].get("enabled", True)
    }


def _build(target: str, work_dir: Path, dbt_vars: dict[str, str], env: dict[str, str]) -> Path:
    target_path = work_dir / f"target-{target}"
    common = [
        "--target",
        target,
        "--target-path",
        str(target_path),
        "--log-path",
        str(work_dir / f"logs-{target}"),
        "--vars",
        json.dumps(dbt_vars),
    ]
    _invoke_dbt(["seed", "--full-refresh", *common], env)
    _invoke_dbt(["run", "--full-refresh", *common], env)
    return target_path / "manifest.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--raw-path", default=str(ROOT / "data" / "demo"))
    parser.add_argument("--as-of-date", default=DEMO_AS_OF_DATE)
    parser.add_argument("--work-dir", default=str(ROOT / "target" / "spark-compare"))
    parser.add_argument("--report", help="JSON report path (default: <work-dir>/report.json)")
    parser.add_argument(
        "--skip-builds", action="store_true", help="compare the builds already in --work-dir"
    )
    args = parser.parse_args()

    # Spark hands timestamps to Python in the local time zone: make that UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()
    work_dir = Path(args.work_dir).resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    dbt_vars = {"raw_path": str(Path(args.raw_path).resolve()), "as_of_date": args.as_of_date}
    duckdb_path = work_dir / "warehouse.duckdb"
    env = {"DBT_DUCKDB_PATH": str(duckdb_path), "DBT_SPARK_DIR": str(work_dir / "spark")}
    timings: dict[str, float] = {}

    if args.skip_builds:
        os.environ.update(env)
        duckdb_manifest = work_dir / "target-duckdb" / "manifest.json"
        spark_manifest = work_dir / "target-spark" / "manifest.json"
        _start_spark_session(spark_manifest.parent)
    else:
        started = time.monotonic()
        duckdb_manifest = _build("duckdb", work_dir, dbt_vars, env)
        _release_duckdb()
        timings["duckdb_build_seconds"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        spark_manifest = _build("spark", work_dir, dbt_vars, env)
        timings["spark_build_seconds"] = round(time.monotonic() - started, 1)

    import duckdb
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()  # the session dbt-spark started in this process
    duckdb_marts = _mart_relations(duckdb_manifest)
    spark_marts = _mart_relations(spark_manifest)
    started = time.monotonic()
    entries = []
    connection = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        for name in sorted(duckdb_marts):
            if name not in spark_marts:
                entries.append({"table": name, "equal": False, "reason": "not built on Spark"})
                continue
            cursor = connection.execute(f"select * from {duckdb_marts[name]}")
            duckdb_columns = [column[0] for column in cursor.description]
            duckdb_rows = cursor.fetchall()
            frame = spark.sql(f"select * from {spark_marts[name]}")
            entries.append(
                compare_tables(name, duckdb_columns, duckdb_rows, frame.columns, frame.collect())
            )
    finally:
        connection.close()
    timings["compare_seconds"] = round(time.monotonic() - started, 1)

    report = {
        "raw_path": dbt_vars["raw_path"],
        "as_of_date": args.as_of_date,
        "spark_version": spark.version,
        "timings": timings,
        "marts": entries,
        "equal": bool(entries) and all(entry["equal"] for entry in entries),
    }
    report_path = Path(args.report) if args.report else work_dir / "report.json"
    report_path.write_text(json.dumps(report, indent=2, default=str))
    for entry in entries:
        status = "equal" if entry["equal"] else f"DIFFERENT ({entry['reason']})"
        rows = entry.get("rows_duckdb", "?")
        print(f"{entry['table']:<40} {rows!s:>7} rows  {status}")
    print(f"timings: {timings}; report: {report_path}")
    return 0 if report["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())
