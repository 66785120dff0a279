"""The README's example queries live in analyses/ as dbt analyses: compiled with dbt and run
on the demo warehouse, they return rows and reproduce the README's demo tables."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import DEMO_AS_OF_DATE, PROJECT_ROOT, run_dbt

README = (PROJECT_ROOT / "README.md").read_text()
ANALYSES = sorted(path.stem for path in (PROJECT_ROOT / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def analysis_results(
    demo_warehouse: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """Every analysis compiled by dbt and run on the demo warehouse: name -> rows."""
    db_path, _ = demo_warehouse
    target = tmp_path_factory.mktemp("analyses") / "target"
    run_dbt(
        ["compile", "--select", "resource_type:analysis"],
        raw_path=PROJECT_ROOT / "data" / "demo",
        db_path=db_path,
        vars={"as_of_date": DEMO_AS_OF_DATE},
        target_path=target,
    )
    compiled = target / "compiled" / "crm_revenue" / "analyses"
    results = {}
    with duckdb.connect(str(db_path), read_only=True) as connection:
        for name in ANALYSES:
            cursor = connection.execute((compiled / f"{name}.sql").read_text())
            columns = [column[0] for column in cursor.description]
            results[name] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return results


def _readme_table(header_start: str) -> list[list[str]]:
    """The body rows of the README table whose header line starts with ``header_start``."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    assert rows, f"README table {header_start!r} is empty"
    return rows


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").rstrip("%"))


def test_every_readme_example_query_is_an_analysis(
    analysis_results: dict[str, list[dict[str, Any]]],
) -> None:
    assert set(ANALYSES) >= {
        "waterfall_bar_drilldown",
        "stage_conversion_funnel",
        "stage_win_rate_and_velocity",
        "lead_funnel_last_twelve_months",
    }
    for name in ANALYSES:
        assert f"analyses/{name}.sql" in README, f"the README does not link analyses/{name}.sql"
        assert analysis_results[name], f"{name} returned no rows on the demo"


def test_drilldown_adds_up_to_the_readme_bar(
    analysis_results: dict[str, list[dict[str, Any]]],
) -> None:
    rows = analysis_results["waterfall_bar_drilldown"]
    assert {row["sub_element"] for row in rows} == {"slipped"}
    header_line = next(line for line in README.splitlines() if line.startswith("| type | value_"))
    slipped_column = [cell.strip() for cell in header_line.strip("|").split("|")].index("slipped")
    breakdown = _readme_table("| type | value_increase |")
    acquisition = next(row for row in breakdown if row[0] == "acquisition")
    total = sum(row["amount_corporate"] for row in rows)
    assert total.quantize(Decimal("0.01")) == _number(acquisition[slipped_column])


def test_conversion_funnel_pivot_is_the_readme_table(
    analysis_results: dict[str, list[dict[str, Any]]],
) -> None:
    types = ["acquisition", "retention", "upsell", "cross_sell"]
    got = {
        row["transition"]: [
            f"{row[f'{t}_conversion_pct']:.1f}% ({row[f'{t}_converted']}/{row[f'{t}_entered']})"
            for t in types
        ]
        for row in analysis_results["stage_conversion_funnel"]
    }
    want = {row[0]: row[1:] for row in _readme_table("| transition | acquisition |")}
    assert got == want


def test_win_rate_and_velocity_is_the_readme_table(
    analysis_results: dict[str, list[dict[str, Any]]],
) -> None:
    got = [
        [
            row["opportunity_type"],
            row["cohort_fiscal_quarter"],
            str(row["entered_count"]),
            str(row["won"]),
            str(row["lost"]),
            str(row["still_open"]),
            str(row["win_pct"]),
            str(row["median_days"]),
            str(row["p75_days"]),
        ]
        for row in analysis_results["stage_win_rate_and_velocity"]
    ]
    assert got == _readme_table("| opportunity_type | cohort | entered |")


def test_lead_funnel_is_the_readme_table(
    analysis_results: dict[str, list[dict[str, Any]]],
) -> None:
    rows = analysis_results["lead_funnel_last_twelve_months"]
    assert len(rows) == 12
    assert str(rows[-1]["month_start_date"])[:7] == DEMO_AS_OF_DATE[:7]
    got = [
        [
            str(row["month_start_date"])[:7],
            *(str(row[c]) for c in ("leads", "mqls", "sals", "converted_leads", "opportunities")),
            str(row["won_opportunities"]),
            str(row["mql_to_sal_pct"]),
            str(row["lead_velocity_pct"]),
            str(row["below_threshold"]).lower(),
        ]
        for row in rows
    ]
    assert got == _readme_table("| month | leads | MQLs |")


def test_readme_table_parser_sees_the_tables() -> None:
    # guards the comparisons above against a parser that silently finds nothing
    assert len(_readme_table("| transition | acquisition |")) == 8
    assert re.search(r"^\| month \| leads \| MQLs \|", README, re.MULTILINE)


def _same_cell(value: Any, cell: str) -> bool:
    """A README cell shows a query value: '-' for null, amounts of 1,000 or more rounded to
    whole units, smaller numbers as they are."""
    if cell == "-":
        return value is None
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        number = Decimal(str(value))
        shown = _number(cell)
        return abs(number - shown) <= Decimal("0.5") if abs(shown) >= 1000 else number == shown
    return str(value) == cell


@pytest.mark.parametrize(
    ("analysis", "header_start"),
    [
        (
            "planning_plan_next_quarters",
            "| fiscal_quarter | opportunity_type | starting_pipeline |",
        ),
        ("planning_plan_vs_actual", "| fiscal_quarter | quarter_status | closed_won_target |"),
        ("planning_funnel_requirements_next_quarter", "| opportunity_type | funnel_step |"),
        ("planning_forecast_backtest", "| fiscal_quarter | open_pipeline | weighted_forecast |"),
        ("planning_forecast_backtest_accuracy", "| opportunity_type | quarters |"),
        ("planning_bookings_forecast", "| fiscal_quarter | quarter_status | open_pipeline |"),
        ("planning_stalled_pipeline", "| opportunity_type | canonical_stage | open_deals |"),
    ],
)
def test_planning_analysis_is_the_readme_table(
    analysis_results: dict[str, list[dict[str, Any]]], analysis: str, header_start: str
) -> None:
    rows = analysis_results[analysis]
    table = _readme_table(header_start)
    assert len(rows) == len(table), analysis
    for row, cells in zip(rows, table, strict=True):
        values = list(row.values())
        assert len(values) == len(cells), (analysis, cells)
        mismatched = [
            (value, cell)
            for value, cell in zip(values, cells, strict=True)
            if not _same_cell(value, cell)
        ]
        assert not mismatched, (analysis, cells, mismatched)
