"""Open a report in headless Chromium (Selenium + the Debian chromium / chromium-driver
packages) and return what a reader would see: charts drawn, console errors, a screenshot.

Used by test_report_browser.py; also runnable by hand:
`python tests/python/report_browser.py target/report.html target/report_screenshot.png`.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--window-size=1400,1000",
)


def chromium_paths() -> tuple[str, str] | None:
    """(browser, driver) executables, or None when Chromium is not installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@dataclass
class PageView:
    chart_count: int
    drawn_charts: int
    charts_with_plot: list[str]
    console_errors: list[str]
    network_requests: list[str]
    drill_down_rows: int
    section_ids: list[str]


def view_report(report: Path, screenshot: Path, section_dir: Path | None = None) -> PageView:
    """Load `report` from a file:// URL, wait for every chart, write the page screenshot
    (and one per section into `section_dir`, e.g. the README's waterfall picture)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    paths = chromium_paths()
    if paths is None:
        raise RuntimeError("chromium and chromedriver are not installed")
    browser, driver_path = paths
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        driver.get(report.resolve().as_uri())
        deadline = time.monotonic() + 60
        expected = driver.execute_script(
            "return document.querySelectorAll('script.chart-spec').length"
        )
        while time.monotonic() < deadline:
            drawn = driver.execute_script("return window.reportChartsDrawn || 0")
            if drawn >= expected:
                break
            time.sleep(0.2)
        drawn = driver.execute_script("return window.reportChartsDrawn || 0")
        with_plot = driver.execute_script(
            "return Array.from(document.querySelectorAll('.chart'))"
            ".filter(d => d.querySelector('.main-svg') && d.querySelectorAll('.point, .bars path,"
            " .scatterlayer path, .funnellayer path').length > 0).map(d => d.id)"
        )
        sections = driver.execute_script(
            "return Array.from(document.querySelectorAll('section.report-section')).map(s => s.id)"
        )
        drill_rows = len(driver.find_elements(By.CSS_SELECTOR, "#drill-down-table tbody tr"))
        driver.set_window_size(
            1400, driver.execute_script("return document.body.scrollHeight") + 100
        )
        time.sleep(0.5)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshot))
        if section_dir is not None:
            section_dir.mkdir(parents=True, exist_ok=True)
            for section_id in sections:
                element = driver.find_element(By.ID, section_id)
                element.screenshot(str(section_dir / f"{section_id}.png"))
                chart = driver.find_element(By.ID, f"chart-{section_id}")
                chart.screenshot(str(section_dir / f"chart-{section_id}.png"))
        logs = driver.get_log("browser")
        errors = [entry["message"] for entry in logs if entry["level"] == "SEVERE"]
        requests = []
        for entry in driver.get_log("performance"):
            message = entry["message"]
            if '"Network.requestWillBeSent"' in message:
                start = message.find('"url":"')
                url = message[start + 7 : message.find('"', start + 7)]
                if not url.startswith(("file:", "data:", "blob:", "about:")):
                    requests.append(url)
    finally:
        driver.quit()
    return PageView(expected, drawn, with_plot, errors, requests, drill_rows, sections)


if __name__ == "__main__":
    view = view_report(
        Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None
    )
    print(view)
