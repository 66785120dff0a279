"""Every dbt unit test pins every var its model depends on (issue 9).

A unit test that leaves a var to the project default passes or fails with the user's
``--vars`` (e.g. ``fiscal_year_start_month: 2`` once broke six unit tests and skipped every
model downstream). This reads the unit tests from every YAML file under models/, follows the
model's SQL through every project macro it may call (statically, so macros called only in one
Jinja branch count too) and asserts each var used is in ``overrides: vars:``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import PROJECT_ROOT

VAR_CALL = re.compile(r"""\bvar\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")
MACRO_DEF = re.compile(r"\{%-?\s*macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def _macro_bodies() -> dict[str, str]:
    bodies: dict[str, str] = {}
    for path in sorted((PROJECT_ROOT / "macros").rglob("*.sql")):
        text = path.read_text()
        starts = list(MACRO_DEF.finditer(text))
        for index, match in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            bodies[match.group(1)] = text[match.start() : end]
    return bodies


def _vars_used(sql: str, macros: dict[str, str]) -> set[str]:
    used: set[str] = set()
    pending, seen = [sql], set()
    while pending:
        text = pending.pop()
        used |= set(VAR_CALL.findall(text))
        for name, body in macros.items():
            if name not in seen and re.search(rf"\b{name}\s*\(", text):
                seen.add(name)
                pending.append(body)
    return used


def _unit_tests() -> list[tuple[Path, dict]]:
    found = []
    for path in sorted((PROJECT_ROOT / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        found += [(path, test) for test in document.get("unit_tests") or []]
    return found


def _model_sql() -> dict[str, str]:
    return {path.stem: path.read_text() for path in (PROJECT_ROOT / "models").rglob("*.sql")}


def test_the_scan_sees_the_unit_tests_and_vars() -> None:
    tests = _unit_tests()
    assert len(tests) >= 10
    used = _vars_used(_model_sql()["int_pipeline_states"], _macro_bodies())
    # close_grace_days directly; fiscal_year_start_month through fiscal_quarter_start,
    # called only when the grace is on.
    assert {"close_grace_days", "fiscal_year_start_month"} <= used


def test_every_unit_test_pins_every_var_its_model_uses() -> None:
    macros, models = _macro_bodies(), _model_sql()
    unpinned = []
    for path, test in _unit_tests():
        needed = _vars_used(models[test["model"]], macros)
        pinned = set(((test.get("overrides") or {}).get("vars")) or {})
        if needed - pinned:
            unpinned.append(
                f"{path.relative_to(PROJECT_ROOT)}: {test['name']} ({test['model']}) "
                f"does not pin {sorted(needed - pinned)}"
            )
    assert not unpinned, "\n".join(unpinned)
