"""The HTML report of the demo warehouse: every section present with one chart, opens
offline (plotly.js inlined, nothing fetched), and every charted number equals the marts
(read here with independent SQL)."""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
import report  # noqa: E402

BASE_SECTIONS = ["waterfall", "trend", "stage-funnel", "lead-funnel", "buying-groups"]
PLANNING_SECTIONS = ["plan-vs-actual", "funnel-requirements", "forecast-backtest", "stalled-deals"]


@pytest.fixture(scope="module")
def report_html(demo_warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    output = tmp_path_factory.mktemp("report") / "report.html"
    messages: list[str] = []
    report.write_report(demo_warehouse_file, output, progress=messages.append)
    assert any("waterfall" in m for m in messages), messages  # progress is shown
    return output.read_text(encoding="utf-8")


def _specs(page: str) -> dict[str, list[dict[str, Any]]]:
    """section id -> the Plotly specs (data + layout) of its charts."""
    found: dict[str, list[dict[str, Any]]] = {}
    pattern = re.compile(
        r'<script type="application/json" class="chart-spec" data-target="[^"]+" '
        r'data-section="([^"]+)">(.*?)</script>',
        re.S,
    )
    for section, text in pattern.findall(page):
        found.setdefault(section, []).append(json.loads(text))
    return found


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _f(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def _expected_sections(warehouse: Path) -> list[str]:
    tables = {r[0] for r in _rows(warehouse, "select table_name from information_schema.tables")}
    planning = all(t in tables for t in report.PLANNING_MARTS)
    return BASE_SECTIONS + (PLANNING_SECTIONS if planning else [])


def test_every_section_is_present_with_one_chart(
    report_html: str, demo_warehouse_file: Path
) -> None:
    sections = re.findall(r'<section id="([^"]+)" class="report-section"', report_html)
    assert sections == _expected_sections(demo_warehouse_file)
    specs = _specs(report_html)
    assert sorted(specs) == sorted(sections)
    assert all(len(charts) == 1 and charts[0]["data"] for charts in specs.values())


def test_the_page_is_self_contained(report_html: str) -> None:
    assert report_html.count("<script") >= 2
    assert re.search(r"plotly\.js v\d", report_html)  # the library itself is inlined
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?(https?:)?//""", report_html)


def test_waterfall_bars_equal_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    spec = _specs(report_html)["waterfall"][0]
    quarters = _rows(
        demo_warehouse_file,
        """
        select distinct quarter_start_date, fiscal_quarter from fct_pipeline_waterfall
        order by quarter_start_date desc limit 5""",
    )
    labels = [q[1] for q in reversed(quarters)]
    mart = _rows(
        demo_warehouse_file,
        f"""
        select coalesce(opportunity_type, 'all'), fiscal_quarter,
            sum(starting_pipeline), sum(new_pipeline), sum(value_change), sum(closed_won),
            sum(closed_lost), sum(ending_pipeline)
        from fct_pipeline_waterfall
        where fiscal_quarter in ({", ".join(f"'{q}'" for q in labels)})
        group by grouping sets ((opportunity_type, fiscal_quarter), (fiscal_quarter))""",
    )
    expected = {(r[0], r[1]): r[2:] for r in mart}
    types = {r[0] for r in mart}
    traces = spec["data"]
    assert len(traces) == len(types)
    assert [t["name"] for t in traces][0] == "All types" and traces[0]["visible"] is True
    checked = 0
    for trace in traces:
        outer, inner = trace["x"]
        assert [q.rstrip("*") for q in outer[::6]] == labels
        assert inner[:6] == ["Start", "New", "Value chg", "Won", "Lost", "End"]
        opportunity_type = trace["customdata"][0].split("|")[0]
        for index, quarter in enumerate(labels):
            start, new, change, won, lost, end = expected[(opportunity_type, quarter)]
            heights = trace["y"][index * 6 : (index + 1) * 6]
            bases = trace["base"][index * 6 : (index + 1) * 6]
            assert heights == [_f(start), _f(new), _f(change), _f(-won), _f(-lost), _f(end)]
            # floating bars: each starts where the previous one ended; lost ends at the end bar
            assert bases[:3] == [0, _f(start), _f(start + new)]
            assert bases[3] == _f(start + new + change) and bases[4] == _f(
                start + new + change - won
            )
            assert bases[5] == 0 and _f(start + new + change - won - lost) == _f(end)
            checked += 1
    assert checked == len(types) * 5
    # the current quarter is marked and the value-change bar carries its breakdown on hover
    assert traces[0]["x"][0][-1].endswith("*")
    assert (
        "pulled in" in traces[0]["hovertext"][2] and "fx revaluation" in traces[0]["hovertext"][2]
    )


def test_drill_down_lists_the_largest_movements_of_each_bar(
    report_html: str, demo_warehouse_file: Path
) -> None:
    data = json.loads(
        re.search(
            r'<script type="application/json" id="drill-down-data">(.*?)</script>',
            report_html,
            re.S,
        ).group(1)
    )
    quarter = _rows(
        demo_warehouse_file,
        """
        select fiscal_quarter from fct_pipeline_waterfall where not is_complete limit 1""",
    )[0][0]
    for scope, element in [
        ("all", "closed_won"),
        ("acquisition", "value_change"),
        ("retention", "starting_pipeline"),
    ]:
        where = "" if scope == "all" else f"and opportunity_type = '{scope}'"
        expected = _rows(
            demo_warehouse_file,
            f"""
            select opportunity_id, amount_corporate from fct_pipeline_movements
            where fiscal_quarter = '{quarter}' and element = '{element}' {where}
            order by abs(amount_corporate) desc, opportunity_id, sub_element, moved_at
            limit 10""",
        )
        got = data[f"{scope}|{quarter}|{element}"]
        assert [(r["opportunity_id"], Decimal(r["amount_corporate"])) for r in got] == expected
    assert len(data) >= 5 * 6 * 2


def test_trend_equals_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = {t["name"]: t for t in _specs(report_html)["trend"][0]["data"]}
    mart = _rows(
        demo_warehouse_file,
        """
        select sum(starting_pipeline), sum(ending_pipeline), sum(closed_won),
            sum(won_opportunities), sum(lost_opportunities)
        from fct_pipeline_waterfall group by quarter_start_date
        having sum(starting_pipeline) + sum(ending_pipeline) > 0 order by quarter_start_date""",
    )
    assert traces["Starting pipeline"]["y"] == [_f(r[0]) for r in mart]
    assert traces["Ending pipeline"]["y"] == [_f(r[1]) for r in mart]
    coverage = [None if r[2] == 0 else r[0] / r[2] for r in mart]
    assert traces["Coverage (starting / won)"]["y"] == pytest.approx(
        [_f(c) for c in coverage], rel=1e-12
    )
    win_rates = [r[3] / (r[3] + r[4]) if r[3] + r[4] else None for r in mart]
    assert traces["Win rate"]["y"] == pytest.approx(win_rates, rel=1e-12)


def test_stage_funnel_equals_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _specs(report_html)["stage-funnel"][0]["data"]
    funnel = next(t for t in traces if t["type"] == "funnel" and t["name"].startswith("All"))
    mart = _rows(
        demo_warehouse_file,
        """
        select from_stage, to_stage, sum(entered_count), sum(converted_count)
        from fct_stage_conversion where is_next_stage and not is_maturing
        group by from_stage, to_stage, from_stage_order order by from_stage_order""",
    )
    assert funnel["y"] == [r[0] for r in mart] + [mart[-1][1]]
    assert funnel["x"] == [r[2] for r in mart] + [mart[-1][3]]
    velocity = {
        r[0]: r[1:]
        for r in _rows(
            demo_warehouse_file,
            """
        select canonical_stage, median(days_in_stage), quantile_cont(days_in_stage, 0.75)
        from fct_opportunity_stage_history
        where move_direction in ('forward', 'skip') group by canonical_stage""",
        )
    }
    median = next(t for t in traces if t["name"] == "median days" and t.get("visible"))
    assert median["x"] == [_f(velocity[s][0]) for s in median["y"]]


def test_lead_funnel_equals_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = {t["name"]: t for t in _specs(report_html)["lead-funnel"][0]["data"]}
    mart = _rows(
        demo_warehouse_file,
        """
        select leads, mqls, sals, mql_to_sal_rate, lead_velocity_rate
        from fct_lead_funnel_all_sources order by month_start_date""",
    )
    assert traces["Leads"]["y"] == [r[0] for r in mart]
    assert traces["MQLs"]["y"] == [r[1] for r in mart]
    assert traces["SALs"]["y"] == [r[2] for r in mart]
    assert traces["MQL to SAL rate"]["y"] == [_f(r[3]) for r in mart]
    assert traces["Lead velocity rate"]["y"] == [_f(r[4]) for r in mart]
    threshold = next(t for t in traces.values() if t["name"].startswith("threshold"))
    assert set(threshold["y"]) == {report.mql_to_sal_threshold()}


def test_buying_groups_equal_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _specs(report_html)["buying-groups"][0]["data"]
    mart = _rows(
        demo_warehouse_file,
        """
        select opportunity_type, breakdown, bucket, win_rate from fct_buying_group_conversion""",
    )
    expected = {(r[0], r[1], r[2].replace("_", " ")): _f(r[3]) for r in mart}
    seen = 0
    for trace in traces:
        breakdown = "size_bucket" if trace["xaxis"] == "x" else "role_coverage"
        opportunity_type = trace["legendgroup"]
        for bucket, value in zip(trace["x"], trace["y"], strict=True):
            assert expected[(opportunity_type, breakdown, bucket)] == value
            seen += 1
    assert seen == len(expected)


def _planning(report_html: str, warehouse: Path, section: str) -> list[dict[str, Any]]:
    if "plan-vs-actual" not in _expected_sections(warehouse):
        pytest.skip("this warehouse has no planning marts")
    return _specs(report_html)[section][0]["data"]


def test_plan_vs_actual_equals_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _planning(report_html, demo_warehouse_file, "plan-vs-actual")
    mart = _rows(
        demo_warehouse_file,
        """
        select fiscal_quarter, closed_won_target, actual_closed_won, required_new_pipeline,
            actual_new_pipeline
        from fct_pipeline_plan where opportunity_type = 'all' order by quarter_start_date""",
    )
    shown = {t["name"]: t for t in traces if t["visible"] is True}
    assert [q.split("*")[0].split(" ")[0] for q in shown["Won target"]["x"]] == [r[0] for r in mart]
    for index, name in enumerate(
        ["Won target", "Won actual", "Required new pipeline", "Actual new pipeline"], start=1
    ):
        assert shown[name]["y"] == [_f(r[index]) for r in mart], name


def test_funnel_requirements_equal_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _planning(report_html, demo_warehouse_file, "funnel-requirements")
    mart = _rows(
        demo_warehouse_file,
        """
        select opportunity_type, required_count from fct_funnel_requirements
        where quarter_start_date = (
            select min(quarter_start_date) from fct_pipeline_plan where quarter_status = 'future')
        order by opportunity_type, step_order""",
    )
    for trace in traces:
        opportunity_type = (
            "all" if trace["name"] == "All types" else trace["name"].replace(" ", "_")
        )
        assert trace["x"] == [r[1] for r in mart if r[0] == opportunity_type]
    assert len(traces) == len({r[0] for r in mart})


def test_forecast_backtest_equals_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _planning(report_html, demo_warehouse_file, "forecast-backtest")
    mart = _rows(
        demo_warehouse_file,
        """
        select weighted_forecast, historical_forecast, actual_closed_won,
            actual_closed_won_from_open_pipeline
        from fct_bookings_forecast where opportunity_type = 'all' order by quarter_start_date""",
    )
    shown = {t["name"]: t["y"] for t in traces if t["visible"] is True}
    assert shown["Weighted forecast (stage probability)"] == [_f(r[0]) for r in mart]
    assert shown["Historical forecast (trailing conversion)"] == [_f(r[1]) for r in mart]
    assert shown["Closed won (all)"] == [_f(r[2]) for r in mart]
    assert shown["Won from the open pipeline"] == [_f(r[3]) for r in mart]


def test_stalled_deals_equal_the_mart(report_html: str, demo_warehouse_file: Path) -> None:
    traces = _planning(report_html, demo_warehouse_file, "stalled-deals")
    mart = {
        (r[0], r[1]): r[2]
        for r in _rows(
            demo_warehouse_file,
            """
            select opportunity_type, canonical_stage, sum(amount_corporate)
            from fct_open_pipeline_aging where is_stalled group by all""",
        )
    }
    drawn = {}
    for trace in traces:
        for stage, value in zip(trace["x"], trace["y"], strict=True):
            if value:
                drawn[(trace["name"].replace(" ", "_"), stage)] = value
    assert drawn == {key: _f(value) for key, value in mart.items()}
    assert "Largest stalled deals" in report_html


def test_the_demo_command_ends_with_the_report_path(demo_warehouse: tuple[Path, str]) -> None:
    db_path, output = demo_warehouse
    last = [line for line in output.splitlines() if line.strip()][-1]
    assert last.startswith(f"report: {db_path.parent / 'report.html'} ("), last
    assert (db_path.parent / "report.html").stat().st_size > 1_000_000
