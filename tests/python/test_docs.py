"""The documentation site: `dbt docs generate` works on the demo warehouse, every model and
every mart column has a description, and the exposures declare what the report reads."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import PROJECT_ROOT, symlinked_project


@pytest.fixture(scope="module")
def docs_site(demo_warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = symlinked_project(tmp_path_factory.mktemp("docs-project"))
    warehouse = project / "target" / "docs-copy" / demo_warehouse_file.name
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(demo_warehouse_file, warehouse)
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "docs",
            "generate",
            "--no-use-colors",
            "--vars",
            json.dumps({"as_of_date": "2026-11-30"}),
        ],
        cwd=project,
        env={**os.environ, "DBT_DUCKDB_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    return project / "target"


def _load(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / name).read_text())


def test_the_site_is_generated(docs_site: Path) -> None:
    assert (docs_site / "index.html").stat().st_size > 10_000
    catalog = _load(docs_site, "catalog.json")
    manifest = _load(docs_site, "manifest.json")
    models = {k for k, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    assert models and models <= set(catalog["nodes"])


def test_every_model_and_mart_column_is_described(docs_site: Path) -> None:
    catalog = _load(docs_site, "catalog.json")
    manifest = _load(docs_site, "manifest.json")
    undescribed = []
    for key, node in manifest["nodes"].items():
        if node["resource_type"] != "model":
            continue
        if not node["description"].strip():
            undescribed.append(node["name"])
        if not node["original_file_path"].startswith("models/marts/"):
            continue
        described = {n for n, c in node["columns"].items() if c["description"].strip()}
        for column in catalog["nodes"][key]["columns"]:
            if column not in described:
                undescribed.append(f"{node['name']}.{column}")
    assert undescribed == []


def test_exposures_declare_what_the_report_reads(docs_site: Path) -> None:
    manifest = _load(docs_site, "manifest.json")
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"revenue_report", "pipeline_bi_dashboard"} <= set(exposures)
    models = {k.split(".")[-1]: k for k in manifest["nodes"] if k.startswith("model.")}
    report_source = (PROJECT_ROOT / "scripts" / "report.py").read_text()
    read = {name for name in re.findall(r"\b(fct_\w+|dim_\w+)\b", report_source) if name in models}
    declared = {d.split(".")[-1] for d in exposures["revenue_report"]["depends_on"]["nodes"]}
    assert read == declared
    dashboard = exposures["pipeline_bi_dashboard"]["depends_on"]["nodes"]
    assert any(d.startswith("metric.") for d in dashboard)
