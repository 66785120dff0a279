"""The benchmark harness end to end at a tiny scale: every step runs as its own process,
the daily-history baseline equals the waterfall's starting and ending pipeline (the harness
asserts it), and the JSON and Markdown reports are written. Figures are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the whole harness (generator, dbt builds) in processes

ROOT = Path(__file__).resolve().parents[2]
STEPS = {"floor", "run", "test", "waterfall", "baseline"}


def test_benchmark_harness_tiny_scale(tmp_path: Path) -> None:
    out = tmp_path / "out"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "benchmark.py"),
            "--scales",
            "0.05",
            "--repeats",
            "1",
            "--data-dir",
            str(tmp_path / "data"),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = json.loads((out / "latest.json").read_text())
    (result,) = report["results"]
    assert result["rows"]["opportunity"] > 0 and result["rows"]["opportunity_history"] > 0
    assert STEPS <= set(result["steps"])
    for name in STEPS:
        step = result["steps"][name]
        assert step["seconds"] > 0 and step["peak_rss_bytes"] > 0, name
    assert result["baseline_check"]["cells_compared"] > 0
    assert result["baseline_check"]["daily_rows"] > result["rows"]["opportunity"]
    assert {p["model"] for p in result["profile"]["run"]} & {"int_opportunity_states"}
    assert set(result["ratios"]) >= {
        "run_over_floor",
        "waterfall_over_floor",
        "baseline_over_waterfall",
    }
    table = (out / "latest.md").read_text()
    assert "| 0.05 |" in table and "waterfall path" in table
