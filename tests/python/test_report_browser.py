"""The report in a real browser: headless Chromium loads it from a local file, draws every
chart, logs no console error and fetches nothing from the network. Writes the screenshot
target/report_screenshot.png (and one per section under target/report_sections/).

Needs the Debian packages chromium and chromium-driver (`.ci/run` installs them) and
Selenium (installed into the running environment on first use, pinned by constraints.txt).
Without Chromium the test is skipped, unless REQUIRE_BROWSER_TEST=1 (set by `.ci/run`),
where it fails.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT_ROOT
from report_browser import chromium_paths, view_report

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import report  # noqa: E402

SCREENSHOT = PROJECT_ROOT / "target" / "report_screenshot.png"
SECTION_SHOTS = PROJECT_ROOT / "target" / "report_sections"


def _require_browser() -> None:
    if chromium_paths() is None:
        message = "chromium/chromedriver not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("REQUIRE_BROWSER_TEST") == "1":
            pytest.fail(message)
        pytest.skip(message)
    if importlib.util.find_spec("selenium") is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-c",
                str(PROJECT_ROOT / "constraints.txt"),
                "selenium",
            ],
            check=True,
        )


def test_report_renders_in_headless_chromium(demo_warehouse_file: Path, tmp_path: Path) -> None:
    _require_browser()
    page = report.write_report(demo_warehouse_file, tmp_path / "report.html", progress=print)
    view = view_report(page, SCREENSHOT, SECTION_SHOTS)
    assert view.chart_count == len(view.section_ids) >= 5
    assert view.drawn_charts == view.chart_count
    assert sorted(view.charts_with_plot) == sorted(f"chart-{s}" for s in view.section_ids)
    assert view.console_errors == []
    assert view.network_requests == []
    assert view.drill_down_rows > 0
    assert SCREENSHOT.stat().st_size > 50_000
