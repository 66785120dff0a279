"""Atomic publishing with rollback, the lock, and a reader that never sees a broken warehouse
(issue 9).

`run.py build` builds beside the published file and renames it into place only after dbt,
the reject-rate gate and the quality checks pass. A second process polls the published file
(read-only connections) while three runs go on: one that succeeds (on the same inputs as the
first publish: its marts must be identical), one that fails the gate, one SIGKILLed halfway.
Every poll must find the complete table set with the waterfall identity and chain holding.
Version keeping, pruning and rollback are also tried on stand-in files (no dbt).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import publish  # noqa: E402
import quality_checks  # noqa: E402

RUN = [sys.executable, str(PROJECT_ROOT / "scripts" / "run.py")]
DEMO = PROJECT_ROOT / "data" / "demo"

READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

published, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
expected = set(json.loads(sys.argv[4]))
polls, problems = 0, []
while not stop.exists():
    try:
        con = duckdb.connect(str(published), read_only=True)
        try:
            tables = {r[0] for r in con.execute(
                "select table_name from information_schema.tables").fetchall()}
            if not expected <= tables:
                problems.append(f"missing tables {sorted(expected - tables)}")
            broken = con.execute(
                "select count(*) from fct_pipeline_waterfall where starting_pipeline "
                "+ new_pipeline + value_change - closed_won - closed_lost <> ending_pipeline"
            ).fetchone()[0]
            unchained = con.execute(
                "select count(*) from fct_pipeline_waterfall as w "
                "join int_pipeline_quarters as q using (quarter_start_date) "
                "left join fct_pipeline_waterfall as n on n.quarter_start_date = "
                "q.next_quarter_start_date and n.opportunity_type = w.opportunity_type "
                "where w.is_complete and w.ending_pipeline <> coalesce(n.starting_pipeline, 0)"
            ).fetchone()[0]
            if broken or unchained:
                problems.append(f"identity broken {broken}, chain broken {unchained}")
        finally:
            con.close()
    except Exception as error:  # noqa: BLE001 - every failure to read is a finding
        problems.append(f"{type(error).__name__}: {error}")
    polls += 1
    time.sleep(0.05)
out.write_text(json.dumps({"polls": polls, "problems": problems[:20]}))
"""


def _build(published: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUN, "build", "--db-path", str(published), *extra],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _marts(path: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            table: con.execute(f"select * from {table} order by all").fetchall()
            for table in quality_checks.expected_marts()
        }
    finally:
        con.close()


def _bad_export(directory: Path) -> Path:
    """The demo with 30% of the opportunities' close dates unreadable (fails the gate)."""
    shutil.copytree(DEMO, directory)
    path = directory / "opportunity.csv"
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows):
        if number % 10 < 3:
            row["CloseDate"] = "31/12/2024"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return directory


@pytest.mark.slow
def test_reader_sees_a_complete_warehouse_through_success_gate_failure_and_kill(
    tmp_path: Path,
) -> None:
    published = tmp_path / "pub" / "warehouse.duckdb"
    published.parent.mkdir()
    first = _build(published)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
    assert f"published {published}" in first.stdout

    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    expected = [*quality_checks.expected_marts(), "audit_rejected_rows", "audit_row_reconciliation"]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(stop), str(out), json.dumps(expected)]
    )
    try:
        # 1. a run that succeeds, on the same inputs
        second = _build(published)
        assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-2000:]

        # 2. a run that fails the gate: named, not published, kept for inspection
        before = published.stat().st_ino
        gated = _build(published, "--raw-path", str(_bad_export(tmp_path / "bad")))
        assert gated.returncode == 1
        assert "reject limit exceeded for opportunity: 900 of 2996 rows rejected" in gated.stdout
        assert "NOT PUBLISHED: dbt build failed" in gated.stdout
        assert published.stat().st_ino == before
        assert publish.failed_path(published).exists()

        # 3. a run killed with SIGKILL halfway through dbt build
        killed = subprocess.Popen(
            [*RUN, "build", "--db-path", str(published)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 300
        building: list[Path] = []
        while time.monotonic() < deadline and killed.poll() is None:
            building = list(published.parent.glob(".warehouse.building-*"))
            if building and building[0].stat().st_size > 2_000_000:
                break
            time.sleep(0.2)
        assert building, "the killed run never started building"
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait()
        assert published.stat().st_ino == before
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    seen = json.loads(out.read_text())
    assert seen["polls"] > 20
    assert seen["problems"] == []

    # same inputs, identical marts: the two published versions
    versions = sorted(publish.versions_dir(published).glob("*.duckdb"))
    assert len(versions) == 2
    assert os.path.samefile(versions[-1], published)
    assert _marts(versions[0]) == _marts(versions[1])

    # a second run while one holds the lock stops at once, naming the holder
    with publish.lock_path(published).open("a+") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        started = time.monotonic()
        locked = _build(published)
        assert time.monotonic() - started < 60
    assert locked.returncode == 3
    assert "another run is already building" in locked.stdout

    # rollback restores the previous version, then there is nothing older
    rolled = subprocess.run(
        [*RUN, "rollback", "--db-path", str(published)], capture_output=True, text=True
    )
    assert rolled.returncode == 0, rolled.stdout
    assert os.path.samefile(versions[0], published)
    again = subprocess.run(
        [*RUN, "rollback", "--db-path", str(published)], capture_output=True, text=True
    )
    assert again.returncode == 1
    assert "nothing to roll back to" in again.stdout


def test_versions_are_kept_pruned_and_rolled_back(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    contents = []
    for number in range(5):
        build_file = tmp_path / f".warehouse.building-{number}.duckdb"
        build_file.write_text(f"version {number}")
        contents.append(f"version {number}")
        publish.publish(build_file, published, keep=3)
        assert published.read_text() == f"version {number}"
        assert not build_file.exists()
    versions = sorted(publish.versions_dir(published).glob("*.duckdb"))
    assert [v.read_text() for v in versions] == contents[-3:]
    assert publish.rollback(published) == 0
    assert published.read_text() == "version 3"
    assert publish.rollback(published) == 0
    assert published.read_text() == "version 2"
    assert publish.rollback(published) == 1
    assert published.read_text() == "version 2"


def test_stale_build_files_of_killed_runs_are_removed(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    stale = tmp_path / ".warehouse.building-20260101T000000Z-1.duckdb"
    stale.write_text("half")
    other = tmp_path / "other.duckdb"
    other.write_text("keep")
    publish.remove_stale_builds(published)
    assert not stale.exists() and other.exists()
