"""The README restates a few facts that live elsewhere; these tests catch them drifting.

Checked: the dbt vars table against `dbt_project.yml` (every var listed, with its default),
the demo as-of date against `data/demo/vars.json`, and the list of marts against the model
files (every mart named, no name of a mart that does not exist). Fast: no dbt run.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import DEMO_AS_OF_DATE, PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text()
VAR_ROW = re.compile(r"^\| `([a-z_]+)`(?: / `([a-z_]+)`)? \| ([^|]+) \|", re.MULTILINE)
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _vars_table() -> str:
    start = README.index("| var | default | meaning |")
    end = README.find("\n\n", start)
    return README[start : end if end != -1 else len(README)]


def _readme_var_defaults() -> dict[str, str]:
    defaults: dict[str, str] = {}
    for first, second, default in VAR_ROW.findall(_vars_table()):
        values = [v.strip().strip("`") for v in default.split(" / ")] if second else [default]
        for name, value in zip([first, second] if second else [first], values, strict=True):
            defaults[name] = value.strip().strip("`")
    return defaults


def _as_readme_default(value: object) -> str:
    if value is None:
        return "today (UTC)"
    if isinstance(value, dict) and not value:
        return "{}"
    return str(value)


def test_every_var_is_in_the_readme_with_its_default() -> None:
    project_vars = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text())["vars"]
    listed = _readme_var_defaults()
    problems = [
        f"{name}: dbt_project.yml {_as_readme_default(value)!r}, README {listed.get(name)!r}"
        for name, value in project_vars.items()
        if listed.get(name) != _as_readme_default(value)
    ]
    problems += [f"{name}: in the README, not a var" for name in set(listed) - set(project_vars)]
    assert not problems, "\n".join(problems)


def test_the_readme_names_the_demo_as_of_date_of_data_demo_vars_json() -> None:
    mentions = [
        line for line in README.splitlines() if "as_of_date" in line or "--as-of-date" in line
    ]
    dates = {date for line in mentions for date in DATE.findall(line)}
    assert dates == {DEMO_AS_OF_DATE}, (dates, mentions)


def _mart_models() -> set[str]:
    return {path.stem for path in (PROJECT_ROOT / "models" / "marts").rglob("*.sql")}


def test_the_readme_names_every_mart_and_no_missing_one() -> None:
    marts = _mart_models()
    named = set(re.findall(r"\b(?:fct|dim)_[a-z_]+[a-z]\b", README))
    assert marts, "no mart models found"
    assert not marts - named, f"marts the README never names: {sorted(marts - named)}"
    assert not named - marts, f"README names marts that do not exist: {sorted(named - marts)}"


def test_the_scan_reads_the_tables_it_checks() -> None:
    # a guard against the parsers above silently matching nothing
    assert {"raw_path", "as_of_date", "calendar_end_date"} <= set(_readme_var_defaults())
    assert Path(PROJECT_ROOT / "data" / "demo" / "vars.json").exists()
