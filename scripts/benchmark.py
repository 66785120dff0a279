"""Benchmark harness: the build against the I/O floor and a daily-history baseline.

For each scale it writes Parquet exports with the demo generator (CLI, with a progress
bar), then measures each step as its own process on the same files, recording wall time
and the peak RSS of the whole process tree (polled from /proc), median of N runs:

- floor: DuckDB reads every raw file once and aggregates each column;
- run: `dbt run` of every model (full refresh); test: `dbt test`;
- waterfall: `dbt run --select +fct_pipeline_waterfall`;
- baseline: one row per opportunity per day from its first state through as_of_date,
  carrying its latest state, built the way Fivetran's Salesforce package builds its
  opportunity daily history (per-day states range-joined to a date spine); the quarterly
  starting and ending pipeline per type are read from it at the quarter boundaries and must
  equal fct_pipeline_waterfall's (asserted);
- incremental: a day of changes appended, then `dbt run` incremental (see README, Scale).

Writes benchmarks/<stamp>.json, benchmarks/latest.json and benchmarks/latest.md.

    python scripts/benchmark.py --scales 35.5,355 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GENERATOR = ROOT / "scripts" / "generate_demo_data.py"
AS_OF_DATE = "2026-11-30"
SEED = 42
OBJECTS = (
    "account",
    "user",
    "opportunity",
    "opportunity_history",
    "opportunity_contact_role",
    "lead",
    "dated_conversion_rate",
)


@dataclass
class Measurement:
    seconds: float
    peak_rss_bytes: int


@dataclass
class StepResult:
    runs: list[Measurement] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(m.seconds for m in self.runs)

    @property
    def peak_rss_bytes(self) -> int:
        return int(statistics.median(m.peak_rss_bytes for m in self.runs))


# --- process-tree measurement -----------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB; zeros once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def measure(command: list[str], env: dict[str, str], log: Path) -> Measurement:
    """Runs a command; wall time and peak RSS of its process tree (sum over the tree at
    each 50 ms poll, or the largest single process high-water mark if larger)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        began = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak_kib = 0
        while process.poll() is None:
            tree = [process.pid]
            index = 0
            while index < len(tree):
                tree.extend(_children(tree[index]))
                index += 1
            readings = [_memory_kib(pid) for pid in tree]
            peak_kib = max(peak_kib, sum(r for r, _ in readings), *(h for _, h in readings))
            time.sleep(0.05)
        seconds = time.perf_counter() - began
    if process.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-40:])
        raise RuntimeError(f"step failed ({process.returncode}): {' '.join(command)}\n{tail}")
    return Measurement(round(seconds, 3), peak_kib * 1024)


# --- data generation --------------------------------------------------------------------


def _blocks(scale: float) -> int:
    return math.ceil(max(10, round(600 * scale)) / 600)


def _progress(label: str, done: int, total: int, seconds: float) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    bar = "#" * filled + "." * (width - filled)
    sys.stderr.write(f"\r{label} [{bar}] {done}/{total} blocks {seconds:5.0f}s")
    sys.stderr.flush()


def generate(scale: float, directory: Path, jobs: int) -> dict[str, int]:
    """Parquet exports at `scale` (kept and reused while the marker matches)."""
    marker = directory / ".benchmark-data.json"
    wanted = {"scale": scale, "seed": SEED, "format": "parquet"}
    if not (marker.exists() and json.loads(marker.read_text()).get("spec") == wanted):
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
        command = [
            sys.executable,
            str(GENERATOR),
            "--out",
            str(directory),
            "--scale",
            str(scale),
            "--seed",
            str(SEED),
            "--format",
            "parquet",
            "--jobs",
            str(jobs),
        ]
        total = _blocks(scale)
        began = time.perf_counter()
        log = directory.parent / f"generate-{scale:g}.log"
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
            done = 0
            while process.poll() is None:
                # the generator writes one part directory per block of accounts
                done = max(
                    done,
                    sum(
                        1
                        for tmp in directory.glob(".generate-*")
                        for block in tmp.glob("block-*")
                        if (block / "opportunity.csv").exists()
                    ),
                )
                _progress(
                    f"generate scale {scale:g}",
                    min(done, total),
                    total,
                    time.perf_counter() - began,
                )
                time.sleep(0.5)
        _progress(f"generate scale {scale:g}", total, total, time.perf_counter() - began)
        sys.stderr.write("\n")
        if process.returncode != 0:
            raise RuntimeError(f"generator failed, see {log}")
        marker.write_text(json.dumps({"spec": wanted}))
    import duckdb

    con = duckdb.connect()
    counts = {}
    for name in OBJECTS:
        path = directory / f"{name}.parquet"
        if path.exists():
            row = con.execute(
                "select sum(num_rows) from (select distinct file_name, row_group_id, "
                "row_group_num_rows as num_rows from parquet_metadata(?))",
                [str(path)],
            ).fetchone()
            counts[name] = int(row[0]) if row and row[0] is not None else 0
    return counts


# --- the floor and the baseline (run as their own processes) ----------------------------


def _connect_settings(con: Any) -> None:
    threads = os.environ.get("DBT_DUCKDB_THREADS")
    memory = os.environ.get("DBT_DUCKDB_MEMORY_LIMIT")
    if threads:
        con.execute(f"set threads = {int(threads)}")
    if memory:
        con.execute(f"set memory_limit = '{memory}'")


def floor(raw: Path) -> int:
    """Reads every raw file once and aggregates each of its columns."""
    import duckdb

    con = duckdb.connect()
    _connect_settings(con)
    for path in sorted(raw.glob("*.parquet")):
        columns = [
            r[0]
            for r in con.execute("describe select * from read_parquet(?)", [str(path)]).fetchall()
        ]
        aggregates = ", ".join(f'count("{c}"), max("{c}")' for c in columns)
        con.execute(f"select count(*), {aggregates} from read_parquet('{path}')").fetchall()
    return 0


def _to_corporate(amount: str, rate: str) -> str:
    """amount / rate rounded half-even to 6 decimals, on integers (exact)."""
    numerator = (
        f"(abs(cast(cast({amount} as decimal(38, 6)) * 1000000 as hugeint)) * 1000000000000)"
    )
    denominator = f"cast(cast({rate} as decimal(38, 12)) * 1000000000000 as hugeint)"
    quotient = f"({numerator} // {denominator})"
    twice_rest = f"(2 * ({numerator} % {denominator}))"
    return (
        f"cast(sign({amount}) * ({quotient} + case when {twice_rest} > {denominator} then 1 "
        f"when {twice_rest} = {denominator} and {quotient} % 2 = 1 then 1 else 0 end) "
        "as decimal(38, 0)) * cast(0.000001 as decimal(38, 6))"
    )


def baseline(warehouse: Path, work: Path, result: Path) -> int:
    """The daily-history method. Reads the opportunity timeline, the reported quarters and
    their rates from a built warehouse (read only), materialises one row per opportunity
    per day (Fivetran's way: states collapsed to the last one of each day, range-joined to
    a date spine), and reads the starting and ending pipeline per quarter and type from it:
    a quarter starts with the end-of-day state of the day before its first day, and ends
    with the next quarter's start (the as-of day's end for the incomplete quarter)."""
    import duckdb

    work.unlink(missing_ok=True)
    con = duckdb.connect(str(work))
    _connect_settings(con)
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    con.execute(f"""
        create table daily_states as
        with states as (
            select
                opportunity_id, state_sequence, cast(valid_from as date) as state_date,
                opportunity_type, stage_group, is_deleted, amount, close_date, currency_iso_code
            from wh.main.int_opportunity_states
        ),
        last_of_day as (
            select * from states
            qualify row_number() over (
                partition by opportunity_id, state_date order by state_sequence desc) = 1
        ),
        ranged as (
            select
                *,
                coalesce(
                    lead(state_date) over (partition by opportunity_id order by state_date),
                    date '{AS_OF_DATE}' + 1
                ) as next_state_date
            from last_of_day
        ),
        spine as (
            select cast(range as date) as date_day
            from range(
                (select min(state_date) from states), date '{AS_OF_DATE}' + 1, interval 1 day)
        )
        select spine.date_day, ranged.*
        from spine
        inner join ranged
            on spine.date_day >= ranged.state_date and spine.date_day < ranged.next_state_date
    """)
    rows = con.execute(f"""
        with quarters as (select * from wh.main.int_pipeline_quarters),
        rates as (select * from wh.main.int_pipeline_currency_rates),
        readings as (
            select quarter_start_date, 'starting_pipeline' as element,
                quarter_start_date - 1 as read_day, quarter_start_date as rate_quarter,
                quarter_start_date as window_start, window_end_date as window_end
            from quarters
            union all
            select quarter_start_date, 'ending_pipeline',
                case when is_complete then next_quarter_start_date - 1 else date '{AS_OF_DATE}' end,
                case when is_complete then next_quarter_start_date else quarter_start_date end,
                case when is_complete then next_quarter_start_date else quarter_start_date end,
                case when is_complete then next_window_end_date else window_end_date end
            from quarters
        )
        select
            readings.quarter_start_date, daily.opportunity_type, readings.element,
            cast(sum({_to_corporate("coalesce(daily.amount, 0)", "rates.currency_conversion_rate")})
                as varchar) as amount
        from readings
        inner join daily_states as daily on daily.date_day = readings.read_day
        inner join rates
            on rates.quarter_start_date = readings.rate_quarter
            and rates.currency_iso_code = daily.currency_iso_code
        where daily.stage_group = 'pipeline' and not daily.is_deleted
            and daily.close_date >= readings.window_start and daily.close_date < readings.window_end
        group by all
    """).fetchall()
    daily_rows = con.execute("select count(*) from daily_states").fetchone()
    con.close()
    work.unlink(missing_ok=True)
    payload = {
        "daily_rows": int(daily_rows[0]) if daily_rows else 0,
        "pipeline": [[str(q), t, e, a] for q, t, e, a in rows],
    }
    result.write_text(json.dumps(payload))
    return 0


def compare_with_waterfall(warehouse: Path, baseline_json: Path) -> dict[str, Any]:
    """Baseline starting/ending pipeline per quarter and type vs fct_pipeline_waterfall."""
    import duckdb

    payload = json.loads(baseline_json.read_text())
    expected: dict[tuple[str, str, str], Decimal] = {}
    for quarter, opportunity_type, element, amount in payload["pipeline"]:
        expected[(quarter, opportunity_type, element)] = Decimal(amount)
    con = duckdb.connect(str(warehouse), read_only=True)
    waterfall = con.execute(
        "select cast(quarter_start_date as varchar), opportunity_type, "
        "cast(starting_pipeline as varchar), cast(ending_pipeline as varchar) "
        "from fct_pipeline_waterfall"
    ).fetchall()
    con.close()
    mismatches = []
    for quarter, opportunity_type, starting, ending in waterfall:
        for element, value in (("starting_pipeline", starting), ("ending_pipeline", ending)):
            base = expected.pop((quarter, opportunity_type, element), Decimal(0))
            if base != Decimal(value):
                mismatches.append([quarter, opportunity_type, element, value, str(base)])
    mismatches.extend([*key, "0", str(v)] for key, v in expected.items() if v != 0)
    if mismatches:
        raise AssertionError(f"baseline != waterfall in {len(mismatches)} cells: {mismatches[:5]}")
    return {"daily_rows": payload["daily_rows"], "cells_compared": 2 * len(waterfall)}


# --- the benchmark ----------------------------------------------------------------------


def _dbt(*arguments: str) -> list[str]:
    return [str(BIN / "dbt"), *arguments, "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]


def _profile(target: Path) -> list[dict[str, Any]]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    ranked = sorted(results, key=lambda r: -r["execution_time"])
    return [
        {"model": r["unique_id"].split(".")[-1], "seconds": round(r["execution_time"], 2)}
        for r in ranked
    ]


def bench_scale(
    scale: float, data_root: Path, repeats: int, jobs: int, env: dict[str, str]
) -> dict[str, Any]:
    raw = data_root / f"scale-{scale:g}"
    counts = generate(scale, raw, jobs)
    work = data_root / f"work-{scale:g}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    warehouse = work / "warehouse.duckdb"
    target = work / "target"
    env = {**env, "DBT_DUCKDB_PATH": str(warehouse), "DBT_TARGET_PATH": str(target)}
    dbt_vars = json.dumps({"raw_path": str(raw), "as_of_date": AS_OF_DATE})
    logs = work / "logs"
    env["DBT_LOG_PATH"] = str(logs)
    # setup (not measured): parse once so every measured step uses partial parsing; seeds
    subprocess.run(_dbt("seed", "--vars", dbt_vars, "-q"), cwd=ROOT, env=env, check=True)
    commands = {
        "floor": [sys.executable, __file__, "floor", str(raw)],
        "run": _dbt("run", "--full-refresh", "--vars", dbt_vars),
        "test": _dbt("test", "--vars", dbt_vars),
        "waterfall": _dbt(
            "run", "--full-refresh", "--select", "+fct_pipeline_waterfall", "--vars", dbt_vars
        ),
        "baseline": [
            sys.executable,
            __file__,
            "baseline",
            str(warehouse),
            str(work / "baseline.duckdb"),
            str(work / "baseline.json"),
        ],
    }
    steps: dict[str, StepResult] = {name: StepResult() for name in commands}
    profile: dict[str, list[dict[str, Any]]] = {}
    for repeat in range(repeats):
        for name, command in commands.items():
            sys.stderr.write(f"scale {scale:g} run {repeat + 1}/{repeats}: {name} ... ")
            sys.stderr.flush()
            measurement = measure(command, env, logs / f"{name}-{repeat}.log")
            steps[name].runs.append(measurement)
            sys.stderr.write(
                f"{measurement.seconds:.1f}s {measurement.peak_rss_bytes / 2**30:.2f} GiB\n"
            )
            if name in ("run", "waterfall"):
                profile[name] = _profile(target)
    check = compare_with_waterfall(warehouse, work / "baseline.json")
    return {
        "scale": scale,
        "rows": counts,
        "steps": {
            name: {
                "seconds": s.seconds,
                "peak_rss_bytes": s.peak_rss_bytes,
                "runs": [asdict(m) for m in s.runs],
            }
            for name, s in steps.items()
        },
        "baseline_check": check,
        "profile": profile,
    }


def ratios(result: dict[str, Any]) -> dict[str, float]:
    s = result["steps"]

    def r(a: str, b: str, key: str = "seconds") -> float:
        return round(s[a][key] / max(s[b][key], 1e-9), 2)

    return {
        "run_over_floor": r("run", "floor"),
        "waterfall_over_floor": r("waterfall", "floor"),
        "test_over_floor": r("test", "floor"),
        "baseline_over_waterfall": r("baseline", "waterfall"),
        "run_over_baseline": r("run", "baseline"),
        "run_rss_over_floor_rss": r("run", "floor", "peak_rss_bytes"),
        "waterfall_rss_over_floor_rss": r("waterfall", "floor", "peak_rss_bytes"),
        "baseline_rss_over_waterfall_rss": r("baseline", "waterfall", "peak_rss_bytes"),
    }


def growth(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for small, large in zip(results, results[1:], strict=False):
        data = large["rows"]["opportunity_history"] / max(small["rows"]["opportunity_history"], 1)
        times = {
            name: round(
                large["steps"][name]["seconds"] / max(small["steps"][name]["seconds"], 1e-9), 2
            )
            for name in large["steps"]
            if name in small["steps"]
        }
        rows.append(
            {
                "from_scale": small["scale"],
                "to_scale": large["scale"],
                "data_ratio": round(data, 2),
                "time_ratios": times,
            }
        )
    return rows


def machine() -> dict[str, Any]:
    import duckdb

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().split("\n", 1)[0].split()[1]
        memory_gib = round(int(memory) / 2**20, 1)
    except OSError:
        memory_gib = 0.0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "load_average_at_start": list(os.getloadavg()),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "threads": os.environ.get("DBT_DUCKDB_THREADS", "default"),
        "memory_limit": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "default"),
    }


def _gib(value: int) -> str:
    return f"{value / 2**30:.2f}"


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Benchmark {report['started_at']} on {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores, {report['machine']['memory_gib']} GiB "
        f"(threads {report['machine']['threads']}, "
        f"memory_limit {report['machine']['memory_limit']}); "
        "median seconds / peak RSS GiB of the process tree.",
        "",
        "| scale | opportunities | history rows | floor | dbt run | dbt test | waterfall path "
        "| baseline (daily rows) | run/floor | waterfall/floor | baseline/waterfall |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in report["results"]:
        s, q = result["steps"], result["ratios"]

        def cell(name: str, s: dict[str, Any] = s) -> str:
            return f"{s[name]['seconds']:.1f} s / {_gib(s[name]['peak_rss_bytes'])}"

        lines.append(
            f"| {result['scale']:g} | {result['rows']['opportunity']:,} "
            f"| {result['rows']['opportunity_history']:,} | {cell('floor')} | {cell('run')} "
            f"| {cell('test')} | {cell('waterfall')} "
            f"| {cell('baseline')} ({result['baseline_check']['daily_rows']:,}) "
            f"| {q['run_over_floor']}x | {q['waterfall_over_floor']}x "
            f"| {q['baseline_over_waterfall']}x |"
        )
    for g in report["growth"]:
        times = ", ".join(f"{k} x{v}" for k, v in g["time_ratios"].items())
        lines.append(
            f"\nGrowth scale {g['from_scale']:g} -> {g['to_scale']:g}: "
            f"data x{g['data_ratio']}, {times}"
        )
    largest = report["results"][-1]
    lines.append(f"\nSlowest models of `dbt run` at scale {largest['scale']:g}:\n")
    lines.append("| model | seconds |\n|---|---|")
    lines.extend(
        f"| {p['model']} | {p['seconds']} |" for p in largest["profile"].get("run", [])[:10]
    )
    return "\n".join(lines) + "\n"


def bench(args: argparse.Namespace) -> int:
    scales = sorted(float(s) for s in args.scales.split(","))
    env = dict(os.environ)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    report: dict[str, Any] = {"started_at": started, "machine": machine(), "results": []}
    for scale in scales:
        repeats = 1 if scale == scales[-1] and len(scales) > 1 else args.repeats
        result = bench_scale(scale, args.data_dir.resolve(), repeats, args.jobs, env)
        result["ratios"] = ratios(result)
        report["results"].append(result)
    report["growth"] = growth(report["results"])
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    stamp = started.replace(":", "").replace("-", "")
    text = json.dumps(report, indent=2)
    (out / f"{stamp}.json").write_text(text)
    (out / "latest.json").write_text(text)
    table = markdown(report)
    (out / "latest.md").write_text(table)
    print(table)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "floor":
        return floor(Path(argv[1]))
    if argv and argv[0] == "baseline":
        return baseline(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="35.5,355", help="comma-separated generator scales")
    parser.add_argument("--repeats", type=int, default=3, help="runs per step (1 at the largest)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks")
    parser.add_argument("--jobs", type=int, default=2, help="generator worker processes")
    return bench(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
