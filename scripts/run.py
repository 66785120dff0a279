"""Set up and run the project: `python3 scripts/run.py demo` or `python3 scripts/run.py test`.

Needs only Python 3.11. The first call creates `.venv` in the project root and installs
the pinned dependencies (pyproject.toml, versions fixed by constraints.txt); later calls
reuse it while those two files are unchanged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
# the demo exports' as-of date, kept once beside them
DEMO_AS_OF_DATE: str = json.loads((ROOT / "data" / "demo" / "vars.json").read_text())["as_of_date"]


def _requirements_digest() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()[:16]


def bootstrap() -> None:
    """Create .venv and install the pinned dependencies unless already done."""
    marker = VENV / f".installed-{_requirements_digest()}"
    if marker.exists():
        return
    if not (BIN / "python").exists():
        print(f"creating virtual environment {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    print("installing pinned dependencies (first run only, about a minute)", flush=True)
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            *dependencies,
        ],
        check=True,
    )
    for old in VENV.glob(".installed-*"):
        old.unlink()
    marker.touch()


SPARK_VENV = ROOT / ".venv-spark"
SPARK_BIN = SPARK_VENV / ("Scripts" if os.name == "nt" else "bin")
# Only `spark-setup` installs these (into .venv-spark): pyspark is a 456 MB download.
SPARK_REQUIREMENTS = [
    "dbt-core",
    "dbt-duckdb",
    "duckdb",
    "dbt-spark[session]",
    "pyspark",
]


def spark_setup() -> int:
    """Create .venv-spark with dbt-duckdb and dbt-spark[session] (pinned) unless already done."""
    marker = SPARK_VENV / f".installed-{_requirements_digest()}"
    if marker.exists():
        return 0
    if not (SPARK_BIN / "python").exists():
        print(f"creating virtual environment {SPARK_VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(SPARK_VENV)
    print("installing pyspark and dbt-spark (first run only, a few minutes)", flush=True)
    code = _run(
        [
            str(SPARK_BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            *SPARK_REQUIREMENTS,
        ]
    )
    if code == 0:
        for old in SPARK_VENV.glob(".installed-*"):
            old.unlink()
        marker.touch()
    return code


def spark_test(compare_args: list[str]) -> int:
    """Build on DuckDB and on Spark from the same exports and compare every mart."""
    code = spark_setup()
    if code != 0:
        return code
    return _run(
        [str(SPARK_BIN / "python"), str(ROOT / "scripts" / "spark_compare.py"), *compare_args]
    )


def _run(command: list[str], env: dict[str, str] | None = None) -> int:
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def _published_path(db_path: str | None) -> Path:
    default = os.environ.get("DBT_DUCKDB_PATH") or ROOT / "target" / "warehouse.duckdb"
    return Path(db_path or default).resolve()


def build(
    raw_path: str | None,
    as_of_date: str | None,
    db_path: str | None,
    keep: int,
    show_summary: bool,
) -> int:
    """Build into a new file beside the published warehouse, run the reject-rate gate and the
    quality checks, publish atomically (scripts/publish.py), then print the summary."""
    warehouse = _published_path(db_path)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    as_of = as_of_date or (today if raw_path else DEMO_AS_OF_DATE)
    command = [str(BIN / "python"), str(ROOT / "scripts" / "publish.py"), "build"]
    command += ["--published", str(warehouse), "--as-of-date", as_of, "--keep", str(keep)]
    if raw_path:
        command += ["--raw-path", str(Path(raw_path).resolve())]
    code = _run(command)
    if code != 0 or not show_summary:
        return code
    code = _run([str(BIN / "python"), str(ROOT / "scripts" / "summary.py"), str(warehouse)])
    print(f"as_of_date used: {as_of}" + (" (today, UTC)" if as_of == today else ""))
    return code or report(str(warehouse), None)


def report(db_path: str | None, output: str | None) -> int:
    """Write the self-contained HTML report of a built warehouse (report.html beside it)."""
    warehouse = db_path or os.environ.get("DBT_DUCKDB_PATH") or ROOT / "target" / "warehouse.duckdb"
    command = [str(BIN / "python"), str(ROOT / "scripts" / "report.py"), str(warehouse)]
    return _run(command + (["--output", output] if output else []))


def docs(db_path: str | None, port: int, serve: bool) -> int:
    """Generate the dbt docs site of a built warehouse and serve it on localhost."""
    env = dict(os.environ)
    if db_path:
        env["DBT_DUCKDB_PATH"] = db_path
    code = _run([str(BIN / "dbt"), "docs", "generate"], env=env)
    if code != 0 or not serve:
        return code
    print(f"serving the docs site at http://localhost:{port}/ (Ctrl-C to stop)", flush=True)
    command = [str(BIN / "python"), "-m", "http.server", str(port), "--bind", "127.0.0.1",
               "--directory", str(ROOT / "target")]
    try:
        return _run(command)
    except KeyboardInterrupt:
        return 0


def rollback(db_path: str | None) -> int:
    """Put the previously published warehouse back in place."""
    warehouse = _published_path(db_path)
    command = [str(BIN / "python"), str(ROOT / "scripts" / "publish.py"), "rollback"]
    return _run([*command, "--published", str(warehouse)])


def check(db_path: str | None) -> int:
    """Run the Great Expectations checks on a built warehouse."""
    warehouse = _published_path(db_path)
    # not echoed: on a missing or half-built warehouse the output is one line
    command = [str(BIN / "python"), str(ROOT / "scripts" / "quality_checks.py"), str(warehouse)]
    return subprocess.run(command, cwd=ROOT).returncode


SQL_LINT_PATHS = ("models", "analyses", "tests")
# Files whose change can change how every SQL file renders (the dbt templater compiles each
# file with the project's macros and config), so a change to any of them relints everything.
SQL_LINT_INPUTS = (".sqlfluff", "dbt_project.yml", "profiles.yml", "pyproject.toml", "macros")
SQL_LINT_CACHE = ROOT / "target" / "sqlfluff-clean.json"


def _sql_files(paths: tuple[str, ...]) -> list[Path]:
    """The SQL files under ``paths`` (relative to the project root), sorted."""
    return sorted(
        path for name in paths if (ROOT / name).exists() for path in (ROOT / name).rglob("*.sql")
    )


def _sql_lint_keys(files: list[Path]) -> dict[str, str]:
    """File -> digest of its content and of everything that changes how it renders."""
    shared = hashlib.sha256()
    for name in SQL_LINT_INPUTS:
        top = ROOT / name
        for path in sorted(top.rglob("*") if top.is_dir() else [top]):
            if path.is_file():
                shared.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    prefix = shared.hexdigest()
    return {
        str(path.relative_to(ROOT)): hashlib.sha256(prefix.encode() + path.read_bytes()).hexdigest()
        for path in files
    }


def lint_sql() -> int:
    """``sqlfluff lint`` the models, analyses and singular tests (macros are linted through
    the models that call them).

    Files that passed before and whose inputs have not changed since are skipped (digests in
    target/sqlfluff-clean.json), so the quick loop does not pay for the whole lint each time;
    a clean checkout (CI) lints everything.
    """
    keys = _sql_lint_keys(_sql_files(SQL_LINT_PATHS))
    try:
        clean = set(json.loads(SQL_LINT_CACHE.read_text()))
    except (OSError, ValueError):
        clean = set()
    todo = sorted(name for name, key in keys.items() if key not in clean)
    if not todo:
        print(f"sqlfluff: {len(keys)} SQL files unchanged since their last clean lint", flush=True)
        return 0
    if len(todo) < len(keys):
        print(f"sqlfluff: {len(keys) - len(todo)} unchanged SQL files skipped", flush=True)
    env = dict(os.environ)
    # the dbt templater opens the profile's database: keep it away from the real warehouse
    env["DBT_DUCKDB_PATH"] = str(ROOT / "target" / "sqlfluff.duckdb")
    code = _run([str(BIN / "sqlfluff"), "lint", *todo], env=env)
    if code == 0:
        SQL_LINT_CACHE.parent.mkdir(parents=True, exist_ok=True)
        SQL_LINT_CACHE.write_text(json.dumps(sorted(clean | {keys[name] for name in todo})))
    return code


def test(pytest_args: list[str]) -> int:
    """Lint the Python and the SQL, then run the test suite (which builds and tests the dbt
    project); ``pytest_args`` go to pytest unchanged."""
    code = _run([str(BIN / "ruff"), "check", "scripts", "tests/python"])
    if code != 0:
        return code
    code = lint_sql()
    if code != 0:
        print("sqlfluff found problems (above); `.venv/bin/sqlfluff fix <file>` fixes most")
        return code
    return _run([str(BIN / "python"), "-m", "pytest", *pytest_args])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    keep_default = int(os.environ.get("CRM_KEEP_VERSIONS", "3"))
    for name, text in (
        ("demo", "build, gate, check and publish the warehouse, then print a summary"),
        ("build", "as demo, without the summary (for pipelines)"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--raw-path", help="directory of CRM exports (default: demo data)")
        sub.add_argument(
            "--as-of-date", help=f"YYYY-MM-DD (demo data: {DEMO_AS_OF_DATE}, else today UTC)"
        )
        sub.add_argument(
            "--db-path",
            help="published DuckDB file (default: DBT_DUCKDB_PATH or target/warehouse.duckdb)",
        )
        sub.add_argument(
            "--keep",
            type=int,
            default=keep_default,
            help="published versions to keep (default: CRM_KEEP_VERSIONS or 3)",
        )
    rollback_parser = commands.add_parser("rollback", help="restore the previous published one")
    rollback_parser.add_argument("--db-path", help="published DuckDB file (default: as for demo)")
    check_parser = commands.add_parser("check", help="Great Expectations checks on a warehouse")
    check_parser.add_argument("--db-path", help="DuckDB file (default: as for demo)")
    report_parser = commands.add_parser("report", help="write the HTML report of a warehouse")
    report_parser.add_argument("--db-path", help="DuckDB file (default: as for demo)")
    report_parser.add_argument("--output", help="HTML file (default: beside the warehouse)")
    docs_parser = commands.add_parser("docs", help="generate and serve the dbt docs site")
    docs_parser.add_argument("--db-path", help="DuckDB file (default: as for demo)")
    docs_parser.add_argument("--port", type=int, default=8080, help="default 8080")
    docs_parser.add_argument("--no-serve", action="store_true", help="only generate target/")
    test_parser = commands.add_parser(
        "test",
        help="run ruff, sqlfluff and the test suite",
        description="Lint, then run pytest; every argument after `test` goes to pytest as "
        'given, e.g. `run.py test -q -k reference` or `run.py test -m "not slow"`.',
    )
    test_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="passed to pytest")
    commands.add_parser("spark-setup", help="create .venv-spark (pyspark, dbt-spark)")
    spark_parser = commands.add_parser(
        "spark-test", help="build on DuckDB and Spark, compare every mart"
    )
    spark_parser.add_argument(
        "compare_args", nargs=argparse.REMAINDER, help="passed to scripts/spark_compare.py"
    )
    return parser


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line. After ``test`` everything is pytest's, options included
    (argparse's REMAINDER alone rejects a leading ``-q``), except a lone ``-h``/``--help``."""
    parser = build_parser()
    if argv[:1] == ["test"] and argv[1:] not in (["-h"], ["--help"]):
        args = parser.parse_args(["test"])
        args.pytest_args = argv[1:]
        return args
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "spark-setup":
        return spark_setup()
    if args.command == "spark-test":
        return spark_test(args.compare_args)
    bootstrap()
    if args.command in ("demo", "build"):
        show_summary = args.command == "demo"
        return build(args.raw_path, args.as_of_date, args.db_path, args.keep, show_summary)
    if args.command == "rollback":
        return rollback(args.db_path)
    if args.command == "check":
        return check(args.db_path)
    if args.command == "report":
        return report(args.db_path, args.output)
    if args.command == "docs":
        return docs(args.db_path, args.port, not args.no_serve)
    return test(args.pytest_args)


if __name__ == "__main__":
    sys.exit(main())
