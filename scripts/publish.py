"""Build, gate and atomically publish the warehouse; roll back to an earlier version.

    python scripts/publish.py build --published FILE [--raw-path DIR] [--as-of-date D]
                                    [--keep N] [--vars JSON]
    python scripts/publish.py rollback --published FILE

`build` takes a lock beside the published file (a second run stops at once), builds with
`dbt build` into a new DuckDB file in the same directory, prints the reject-rate gate from
`audit_reject_shares`, runs the Great Expectations suites (scripts/quality_checks.py), and
only when dbt, the gate and every critical expectation pass renames the new file over the
published one (`os.replace`: atomic; readers keep the file they opened). A failed build is
kept as `<name>.failed.duckdb` for inspection; the published file is untouched. The last N
published versions (default 3) stay in `<name>.versions/` as hard links; `rollback` puts the
one before the current back in place. Exit codes: 0 published / rolled back, 1 not
published, 3 another run holds the lock.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import quality_checks  # noqa: E402

DEFAULT_KEEP = 3
LOCKED = 3


class LockHeld(RuntimeError):
    """Another run is building this warehouse."""


def lock_path(published: Path) -> Path:
    return published.with_name(published.name + ".lock")


def versions_dir(published: Path) -> Path:
    return published.with_name(published.name + ".versions")


def failed_path(published: Path) -> Path:
    return published.with_name(published.stem + ".failed" + published.suffix)


@contextlib.contextmanager
def run_lock(published: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking lock for one run (released when the process ends,
    even on SIGKILL)."""
    import fcntl

    path = lock_path(published)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            raise LockHeld(
                f"another run is already building {published} ({holder}); this run stops "
                f"without touching it. Wait for that run to finish (the lock {path} is "
                "released when it ends)."
            ) from None
        handle.seek(0)
        handle.truncate()
        started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        handle.write(f"pid {os.getpid()}, started {started}")
        handle.flush()
        yield
    finally:
        handle.close()


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def remove_stale_builds(published: Path) -> None:
    """Delete build files left by killed runs (only ever called under the lock)."""
    for path in published.parent.glob(f".{published.stem}.building-*"):
        path.unlink(missing_ok=True)


def gate_report(build_file: Path) -> tuple[str, bool]:
    """The reject-rate gate from audit_reject_shares: (report, passed)."""
    try:
        con = duckdb.connect(str(build_file), read_only=True)
    except duckdb.Error:
        return "reject gate: not evaluated (the build stopped before the audit)", False
    try:
        rows = con.execute(
            "select source_object, raw_rows, counted_rejected_rows, duplicate_rows, "
            "reject_share, max_reject_share, is_within_limit, top_reasons "
            "from audit_reject_shares order by source_object"
        ).fetchall()
    except duckdb.Error:
        return "reject gate: not evaluated (the build stopped before the audit)", False
    finally:
        con.close()
    lines = [
        "reject gate (rows rejected per export, duplicates aside; rows in audit_rejected_rows):",
        f"  {'object':<26}{'raw':>8}{'rejected':>10}{'share':>9}{'limit':>8}  status  top reasons",
    ]
    passed = True
    for name, raw, rejected, duplicates, share, limit, within, reasons in rows:
        passed = passed and bool(within)
        status = "ok  " if within else "FAIL"
        extra = f" (+{duplicates} duplicates)" if duplicates else ""
        lines.append(
            f"  {name:<26}{raw:>8}{rejected:>10}{float(share):>9.2%}{float(limit):>8.1%}  "
            f"{status}    {reasons or '-'}{extra}"
        )
    return "\n".join(lines), passed


def _checkpoint(build_file: Path) -> None:
    """Fold any write-ahead log into the file so the published file stands alone."""
    wal = build_file.with_name(build_file.name + ".wal")
    if wal.exists():
        con = duckdb.connect(str(build_file))
        try:
            con.execute("checkpoint")
        finally:
            con.close()


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(build_file: Path, published: Path, keep: int) -> Path:
    """Rename the new file over the published one (atomic); keep the last `keep` versions."""
    _checkpoint(build_file)
    versions = versions_dir(published)
    versions.mkdir(exist_ok=True)
    version = versions / f"{_stamp()}.duckdb"
    _link_or_copy(build_file, version)
    os.replace(build_file, published)
    _fsync_directory(published.parent)
    for old in sorted(versions.glob("*.duckdb"))[:-keep]:
        old.unlink()
    return version


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _current_version(published: Path, versions: list[Path]) -> int | None:
    if not published.exists():
        return None
    for index, version in enumerate(versions):
        if os.path.samefile(version, published):
            return index
    published_digest = _digest(published)
    for index, version in enumerate(versions):
        if _digest(version) == published_digest:
            return index
    return None


def rollback(published: Path) -> int:
    """Put the version published before the current one back in place (atomic)."""
    with run_lock(published):
        versions = sorted(versions_dir(published).glob("*.duckdb"))
        current = _current_version(published, versions)
        if current is None or current == 0:
            kept = ", ".join(v.stem for v in versions) or "none"
            print(
                f"nothing to roll back to: no version of {published} older than the current "
                f"one is kept (kept versions: {kept})"
            )
            return 1
        target = versions[current - 1]
        staging = published.with_name(f".{published.stem}.rollback-{os.getpid()}.duckdb")
        _link_or_copy(target, staging)
        os.replace(staging, published)
        _fsync_directory(published.parent)
        print(f"rolled back {published} to version {target.stem} (was {versions[current].stem})")
        return 0


def build(
    published: Path,
    raw_path: str | None,
    as_of_date: str,
    keep: int,
    extra_vars: dict[str, object],
) -> int:
    """Build into a new file, gate it, and publish it; the published file changes only on
    success."""
    with run_lock(published):
        remove_stale_builds(published)
        build_file = published.with_name(
            f".{published.stem}.building-{_stamp()}-{os.getpid()}{published.suffix}"
        )
        dbt_vars: dict[str, object] = {**extra_vars, "as_of_date": as_of_date}
        if raw_path:
            dbt_vars["raw_path"] = str(Path(raw_path).resolve())
        print(f"as_of_date: {as_of_date}", flush=True)
        print(f"building into {build_file} (published: {published})", flush=True)
        dbt = Path(sys.executable).with_name("dbt")
        command = [
            str(dbt if dbt.exists() else "dbt"),
            "build",
            "--full-refresh",
            "--vars",
            json.dumps(dbt_vars),
        ]
        print("+ " + " ".join(command), flush=True)
        code = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "DBT_DUCKDB_PATH": str(build_file)}
        ).returncode
        report, gate_passed = gate_report(build_file)
        print(report, flush=True)
        problems = []
        if code != 0:
            problems.append(f"dbt build failed (exit {code}; see the errors above)")
        if not gate_passed:
            problems.append("the reject-rate gate failed")
        if not problems:
            try:
                results = quality_checks.run_checks(build_file)
            except quality_checks.WarehouseUnavailable as error:
                problems.append(str(error))
            else:
                text, checks_code = quality_checks.summary(results)
                print(text, flush=True)
                if checks_code:
                    problems.append("a critical quality check failed")
        if problems:
            kept = failed_path(published)
            if build_file.exists():
                os.replace(build_file, kept)
            print(
                f"NOT PUBLISHED: {'; '.join(problems)}. {published} is unchanged"
                + (
                    f"; the failed build is kept at {kept} for inspection."
                    if kept.exists()
                    else "."
                )
            )
            return 1
        version = publish(build_file, published, keep)
        print(f"published {published} (version {version.stem}; keeping the last {keep})")
        return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build")
    build_parser.add_argument("--published", required=True, type=Path)
    build_parser.add_argument("--raw-path")
    build_parser.add_argument("--as-of-date", required=True)
    build_parser.add_argument("--keep", type=int, default=DEFAULT_KEEP)
    build_parser.add_argument("--vars", default="{}", help="more dbt vars, as JSON")
    rollback_parser = commands.add_parser("rollback")
    rollback_parser.add_argument("--published", required=True, type=Path)
    args = parser.parse_args(argv)
    published = args.published.resolve()
    try:
        if args.command == "rollback":
            return rollback(published)
        if args.keep < 1:
            print(f"--keep must be 1 or more (got {args.keep})")
            return 2
        return build(published, args.raw_path, args.as_of_date, args.keep, json.loads(args.vars))
    except LockHeld as error:
        print(error)
        return LOCKED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
