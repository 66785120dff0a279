"""Shared helpers for Python tests that build the warehouse with dbt.

``run_dbt(args, raw_path, db_path, vars)`` runs one dbt command on a directory of raw CSV
exports into its own DuckDB file, with a private target and log directory, so tests (and
parallel test processes) never share state. ``write_raw_export(directory, tables)`` writes the
raw-export contract files (header row, Salesforce API column names; the required files that
are not given are written header-only).

dbt runs in-process through ``dbtRunner`` (no interpreter start-up per call). Set
``DBT_TEST_SUBPROCESS=1`` to run ``.venv/bin/dbt`` (or ``dbt`` on PATH) in a subprocess instead.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# DBT_TEST_PROJECT_DIR points the tests at another copy of the project (e.g. a `git archive`
# snapshot, while the work tree is being edited).
PROJECT_ROOT = Path(os.environ.get("DBT_TEST_PROJECT_DIR") or Path(__file__).resolve().parents[2])

# Raw-export contract: object -> columns (Salesforce API names), read from its single home
# (the crm source YAML) through scripts/crm_contract.py.
sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from crm_contract import load_contract  # noqa: E402

# The vars the bundled demo exports are built with (their as-of date), kept once beside them.
DEMO_VARS: dict[str, Any] = json.loads((PROJECT_ROOT / "data" / "demo" / "vars.json").read_text())
DEMO_AS_OF_DATE: str = DEMO_VARS["as_of_date"]

CONTRACT = load_contract()
RAW_COLUMNS: dict[str, list[str]] = {name: list(obj.column_names) for name, obj in CONTRACT.items()}
REQUIRED_OBJECTS = tuple(name for name, obj in CONTRACT.items() if obj.required)
# Vars lifting the reject-rate gate (assert_reject_shares_within_limits), for small exports
# that plant rejections on purpose: there a third of the rows may be rejected.
NO_REJECT_LIMITS: dict[str, Any] = {"max_reject_shares": {name: 1 for name in CONTRACT}}


def write_raw_export(directory: Path, tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> Path:
    """Write ``<object>.csv`` files into ``directory``; missing columns are written empty.

    Required objects not in ``tables`` are written header-only; ``dated_conversion_rate`` is
    written only when given. Values are written with ``str()``; ``None`` becomes empty.
    """
    directory.mkdir(parents=True, exist_ok=True)
    objects = list(REQUIRED_OBJECTS) + [name for name in tables if name not in REQUIRED_OBJECTS]
    for name in objects:
        columns = RAW_COLUMNS[name]
        with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in tables.get(name, []):
                unknown = set(row) - set(columns)
                if unknown:
                    raise ValueError(f"{name}.csv has no columns {sorted(unknown)}")
                writer.writerow(["" if row.get(c) is None else str(row[c]) for c in columns])
    return directory


class DbtRunError(RuntimeError):
    """A dbt command failed; the message holds dbt's output."""


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _dbt_executable() -> str:
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


def _release_duckdb() -> None:
    """Close the database dbt-duckdb keeps open in-process, so tests can open the file."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # pragma: no cover - adapter not installed
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def run_dbt(
    args: list[str],
    raw_path: Path,
    db_path: Path,
    vars: Mapping[str, Any] | None = None,  # noqa: A002 - the dbt name
    target_path: Path | None = None,
    messages: list[str] | None = None,
) -> None:
    """Run ``dbt <args>`` on the raw export at ``raw_path`` into the DuckDB file ``db_path``.

    ``vars`` are merged with ``raw_path`` into ``--vars``. Targets and logs go to a temporary
    directory unless ``target_path`` is given (a target shared by several runs keeps dbt's
    partial-parse state). dbt's log lines are appended to ``messages`` when given. Raises
    ``DbtRunError`` with dbt's output when the command fails.
    """
    all_vars = {"raw_path": str(raw_path), **(vars or {})}
    with tempfile.TemporaryDirectory(prefix="dbt-run-") as scratch:
        command = [
            *args,
            "--project-dir",
            str(PROJECT_ROOT),
            "--profiles-dir",
            str(PROJECT_ROOT),
            "--target-path",
            str(target_path or Path(scratch) / "target"),
            "--log-path",
            str(Path(scratch) / "logs"),
            "--vars",
            json.dumps(all_vars),
            "--no-use-colors",
        ]
        env = {"DBT_DUCKDB_PATH": str(db_path)}
        if os.environ.get("DBT_TEST_SUBPROCESS") == "1":
            completed = subprocess.run(
                [_dbt_executable(), *command],
                env={**os.environ, **env},
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if messages is not None:
                messages.extend(completed.stdout.splitlines())
            if completed.returncode != 0:
                raise DbtRunError(
                    f"dbt {' '.join(args)} failed:\n{completed.stdout}\n{completed.stderr}"
                )
            return
        from dbt.cli.main import dbtRunner

        collected: list[str] = [] if messages is None else messages

        def collect(event: Any) -> None:
            if event.info.level in ("info", "warn", "error"):
                collected.append(event.info.msg)

        with _environment(**env):
            try:
                result = dbtRunner(callbacks=[collect]).invoke([*command, "--quiet"])
            finally:
                _release_duckdb()
        if not result.success:
            output = "\n".join(collected)
            raise DbtRunError(f"dbt {' '.join(args)} failed: {result.exception}\n{output}")


@pytest.fixture(scope="session")
def dbt_project_root() -> Path:
    """The dbt project directory (holds dbt_project.yml and profiles.yml)."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The bundled demo built once per session by `run.py demo`: (DuckDB file, its output)."""
    db_path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    completed = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "scripts" / "run.py"),
            "demo",
            "--db-path",
            str(db_path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-5000:] + completed.stderr[-2000:]
    return db_path, completed.stdout


@pytest.fixture(scope="session")
def demo_warehouse_file(demo_warehouse: tuple[Path, str]) -> Path:
    """The session's demo warehouse file (read-only use: the semantic layer, the report)."""
    return demo_warehouse[0]


def symlinked_project(directory: Path) -> Path:
    """A scratch copy of the project made of symlinks (own target/ and logs/), for tools that
    write into ``<project>/target`` (MetricFlow's semantic manifest, the docs site)."""
    skip = {".git", ".venv", "target", "logs", "dbt_packages", ".pytest_cache", ".ruff_cache"}
    directory.mkdir(parents=True, exist_ok=True)
    for entry in PROJECT_ROOT.iterdir():
        if entry.name not in skip:
            (directory / entry.name).symlink_to(entry)
    return directory


class DbtWorkspace:
    """One raw-export directory, one DuckDB file and one dbt target that a module's dbt runs
    reuse, so dbt keeps its partial-parse state between them: dbt re-parses the whole project
    when ``--vars`` (which hold ``raw_path``) or the profile (the DuckDB path) change, so runs
    that each get their own temporary paths parse from scratch every time.

    ``fresh()`` empties the export directory and removes the warehouse before a test writes
    its own export; runs with the same ``vars`` then skip parsing.
    """

    def __init__(self, root: Path) -> None:
        self.raw = root / "raw"
        self.db_path = root / "warehouse.duckdb"
        self.target = root / "target"
        self.raw.mkdir(parents=True, exist_ok=True)

    def fresh(self) -> Path:
        """Empty the export directory, drop the warehouse; returns the export directory."""
        shutil.rmtree(self.raw, ignore_errors=True)
        self.raw.mkdir(parents=True)
        for path in (self.db_path, self.db_path.with_name(self.db_path.name + ".wal")):
            path.unlink(missing_ok=True)
        return self.raw

    def run(
        self,
        args: list[str],
        vars: Mapping[str, Any] | None = None,  # noqa: A002 - the dbt name
        messages: list[str] | None = None,
    ) -> None:
        run_dbt(args, self.raw, self.db_path, vars, target_path=self.target, messages=messages)


@pytest.fixture(scope="module")
def dbt_workspace(tmp_path_factory: pytest.TempPathFactory) -> DbtWorkspace:
    """A ``DbtWorkspace`` shared by the tests of one module (they run one after another)."""
    return DbtWorkspace(tmp_path_factory.mktemp("dbt-workspace"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as ``slow`` the tests that run dbt: those reading the demo warehouse (built once
    per session by ``run.py demo``) and every test of a module that imports ``run_dbt``.
    ``run.py test -m "not slow"`` is then the quick loop (pure Python: the generator, the
    waterfall and plan references, the command line, the README and var scans)."""
    for item in items:
        module = getattr(item, "module", None)
        if "demo_warehouse" in getattr(item, "fixturenames", ()) or (
            getattr(module, "run_dbt", None) is run_dbt
        ):
            item.add_marker(pytest.mark.slow)
