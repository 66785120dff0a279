"""Write the self-contained HTML report of a built warehouse: `python scripts/report.py FILE`.

Every number comes from the marts through SQL (the queries below); Python only arranges
them into Plotly charts. The page inlines plotly.js (no CDN, opens offline) and holds each
chart's Plotly spec as JSON in a `<script type="application/json" class="chart-spec">`
tag, which a small script draws on load; tests read the same JSON.

Sections: the quarterly waterfall (per type and for all types, with the value-change
breakdown on hover and the largest movements of each bar), the pipeline trend (starting
and ending pipeline, coverage, win rate), the stage conversion funnel with stage velocity,
the lead funnel, buying groups and, when the planning marts exist, plan vs actual, next
quarter's funnel requirements, the forecast backtest and stalled deals.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
import yaml
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

ROOT = Path(__file__).resolve().parents[1]
TYPE_ORDER = ["acquisition", "retention", "upsell", "cross_sell", "unknown"]
ALL_TYPES = "all"
DRILL_DOWN_ROWS = 10
COLORS = {
    "starting_pipeline": "#5b6b8c",
    "new_pipeline": "#3b82c4",
    "value_change": "#e0a526",
    "closed_won": "#2e9e5b",
    "closed_lost": "#d1495b",
    "ending_pipeline": "#5b6b8c",
}
BAR_LABELS = {
    "starting_pipeline": "Start",
    "new_pipeline": "New",
    "value_change": "Value chg",
    "closed_won": "Won",
    "closed_lost": "Lost",
    "ending_pipeline": "End",
}
VALUE_CHANGE_PARTS = [
    "value_increase",
    "value_decrease",
    "pulled_in",
    "pushed_out",
    "rolled_in",
    "slipped",
    "reopened",
    "removed",
    "fx_revaluation",
]
PLANNING_MARTS = (
    "fct_pipeline_plan",
    "fct_funnel_requirements",
    "fct_bookings_forecast",
    "fct_open_pipeline_aging",
)

Rows = list[dict[str, Any]]


@dataclass
class Section:
    """One report section: a heading, a definition, one chart and optional extra HTML."""

    section_id: str
    title: str
    description: str
    figure: go.Figure | None
    extra_html: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Rows:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _number(value: Decimal | float | int | None) -> float | None:
    """A chart value: amounts stay exact in the marts; charts draw floats."""
    return None if value is None else float(value)


def _money(value: Decimal | float | None) -> str:
    if value is None:
        return "-"
    amount = float(value)
    if abs(amount) >= 1_000_000:
        return f"{amount / 1_000_000:,.2f}M"
    if abs(amount) >= 1_000:
        return f"{amount / 1_000:,.1f}k"
    return f"{amount:,.0f}"


def _types(con: duckdb.DuckDBPyConnection) -> list[str]:
    present = {r["opportunity_type"] for r in _rows(con, WATERFALL_TYPES_SQL)}
    known = [t for t in TYPE_ORDER if t in present]
    return [ALL_TYPES, *known, *sorted(present - set(known))]


def _type_label(opportunity_type: str) -> str:
    return "All types" if opportunity_type == ALL_TYPES else opportunity_type.replace("_", " ")


def _dropdown(labels: list[str], traces_per_option: int, y: float = 1.16) -> list[dict[str, Any]]:
    """A Plotly dropdown showing one option's traces at a time."""
    total = len(labels) * traces_per_option
    buttons = []
    for index, label in enumerate(labels):
        visible = [
            index * traces_per_option <= i < (index + 1) * traces_per_option for i in range(total)
        ]
        buttons.append({"label": label, "method": "restyle", "args": [{"visible": visible}]})
    return [
        {
            "buttons": buttons,
            "direction": "down",
            "showactive": True,
            "x": 0,
            "xanchor": "left",
            "y": y,
            "yanchor": "top",
        }
    ]


def _layout(figure: go.Figure, height: int, **extra: Any) -> go.Figure:
    figure.update_layout(
        template="plotly_white",
        height=height,
        margin={"l": 70, "r": 30, "t": 80, "b": 60},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        legend={"orientation": "h", "y": -0.12, "x": 0},
        hoverlabel={"align": "left"},
        **extra,
    )
    return figure


# --- waterfall -----------------------------------------------------------------------

WATERFALL_TYPES_SQL = "select distinct opportunity_type from fct_pipeline_waterfall"

REPORT_QUARTERS_SQL = """
    -- the quarter containing as_of_date and the four complete quarters before it
    select quarter_start_date, fiscal_quarter, bool_and(is_complete) as is_complete
    from fct_pipeline_waterfall
    group by quarter_start_date, fiscal_quarter
    order by quarter_start_date desc
    limit 5
"""

WATERFALL_SQL = """
    with per_type as (
        select * from fct_pipeline_waterfall
        where quarter_start_date >= ?
    ),

    all_types as (
        select
            quarter_start_date, fiscal_quarter, bool_and(is_complete) as is_complete,
            'all' as opportunity_type,
            sum(starting_pipeline) as starting_pipeline, sum(new_pipeline) as new_pipeline,
            sum(value_change) as value_change, sum(closed_won) as closed_won,
            sum(closed_lost) as closed_lost, sum(ending_pipeline) as ending_pipeline,
            sum(value_increase) as value_increase, sum(value_decrease) as value_decrease,
            sum(pulled_in) as pulled_in, sum(pushed_out) as pushed_out,
            sum(rolled_in) as rolled_in, sum(slipped) as slipped, sum(reopened) as reopened,
            sum(removed) as removed, sum(fx_revaluation) as fx_revaluation,
            sum(new_opportunities) as new_opportunities,
            sum(won_opportunities) as won_opportunities,
            sum(lost_opportunities) as lost_opportunities
        from per_type
        group by quarter_start_date, fiscal_quarter
    )

    select
        quarter_start_date, fiscal_quarter, is_complete, opportunity_type,
        starting_pipeline, new_pipeline, value_change, closed_won, closed_lost, ending_pipeline,
        value_increase, value_decrease, pulled_in, pushed_out, rolled_in, slipped, reopened,
        removed, fx_revaluation, new_opportunities, won_opportunities, lost_opportunities,
        -- where each floating bar starts on the axis
        starting_pipeline + new_pipeline as value_change_base,
        starting_pipeline + new_pipeline + value_change as closed_won_base,
        starting_pipeline + new_pipeline + value_change - closed_won as closed_lost_base
    from per_type
    union all
    select
        quarter_start_date, fiscal_quarter, is_complete, opportunity_type,
        starting_pipeline, new_pipeline, value_change, closed_won, closed_lost, ending_pipeline,
        value_increase, value_decrease, pulled_in, pushed_out, rolled_in, slipped, reopened,
        removed, fx_revaluation, new_opportunities, won_opportunities, lost_opportunities,
        starting_pipeline + new_pipeline,
        starting_pipeline + new_pipeline + value_change,
        starting_pipeline + new_pipeline + value_change - closed_won
    from all_types
    order by quarter_start_date, opportunity_type
"""

DRILL_DOWN_SQL = """
    -- the largest movements (by absolute amount) of every bar, per type and for all types
    with movements as (
        select
            movements.opportunity_type,
            movements.fiscal_quarter,
            movements.element,
            movements.sub_element,
            movements.opportunity_id,
            opportunities.opportunity_name,
            movements.amount_corporate,
            movements.moved_at
        from fct_pipeline_movements as movements
        left join fct_opportunities as opportunities
            on movements.opportunity_id = opportunities.opportunity_id
        where movements.quarter_start_date >= ?
    ),

    scoped as (
        select opportunity_type as scope, * from movements
        union all
        select 'all' as scope, * from movements
    ),

    ranked as (
        select
            *,
            row_number() over (
                partition by scope, fiscal_quarter, element
                order by abs(amount_corporate) desc, opportunity_id, sub_element, moved_at
            ) as movement_rank
        from scoped
    )

    select
        scope, fiscal_quarter, element, movement_rank, opportunity_id, opportunity_name,
        opportunity_type, sub_element, amount_corporate, moved_at
    from ranked
    where movement_rank <= ?
    order by scope, fiscal_quarter, element, movement_rank
"""


def _waterfall_bars(row: dict[str, Any]) -> list[tuple[str, Decimal, Decimal]]:
    """(element, base, signed height) of the six bars of one quarter, from the mart row."""
    return [
        ("starting_pipeline", Decimal(0), row["starting_pipeline"]),
        ("new_pipeline", row["starting_pipeline"], row["new_pipeline"]),
        ("value_change", row["value_change_base"], row["value_change"]),
        ("closed_won", row["closed_won_base"], -row["closed_won"]),
        ("closed_lost", row["closed_lost_base"], -row["closed_lost"]),
        ("ending_pipeline", Decimal(0), row["ending_pipeline"]),
    ]


def _waterfall_hover(row: dict[str, Any], element: str) -> str:
    quarter = row["fiscal_quarter"] + ("" if row["is_complete"] else " (in progress)")
    lines = [f"<b>{quarter} · {BAR_LABELS[element]}</b>", f"{_money(row[element])}"]
    if element == "value_change":
        lines += [f"{part.replace('_', ' ')}: {_money(row[part])}" for part in VALUE_CHANGE_PARTS]
    counts = {
        "new_pipeline": "new_opportunities",
        "closed_won": "won_opportunities",
        "closed_lost": "lost_opportunities",
    }
    if element in counts:
        lines.append(f"{row[counts[element]]:,} opportunities")
    lines.append("<i>click for the largest movements</i>")
    return "<br>".join(lines)


def waterfall_section(con: duckdb.DuckDBPyConnection) -> Section:
    quarters = list(reversed(_rows(con, REPORT_QUARTERS_SQL)))
    first = quarters[0]["quarter_start_date"]
    rows = _rows(con, WATERFALL_SQL, [first])
    types = _types(con)
    figure = go.Figure()
    chart_rows: dict[str, list[dict[str, Any]]] = {}
    for index, opportunity_type in enumerate(types):
        type_rows = [r for r in rows if r["opportunity_type"] == opportunity_type]
        outer, inner, bases, heights, colors, hovers, keys = [], [], [], [], [], [], []
        chart_rows[opportunity_type] = []
        for row in type_rows:
            quarter = row["fiscal_quarter"] + ("" if row["is_complete"] else "*")
            for element, base, height in _waterfall_bars(row):
                outer.append(quarter)
                inner.append(BAR_LABELS[element])
                bases.append(_number(base))
                heights.append(_number(height))
                colors.append(COLORS[element])
                hovers.append(_waterfall_hover(row, element))
                keys.append(f"{opportunity_type}|{row['fiscal_quarter']}|{element}")
                chart_rows[opportunity_type].append(
                    {
                        "fiscal_quarter": row["fiscal_quarter"],
                        "element": element,
                        "amount": _number(row[element]),
                    }
                )
        figure.add_trace(
            go.Bar(
                name=_type_label(opportunity_type),
                x=[outer, inner],
                y=heights,
                base=bases,
                marker={"color": colors},
                customdata=keys,
                hovertext=hovers,
                hoverinfo="text",
                visible=index == 0,
                showlegend=False,
            )
        )
    _layout(
        figure,
        560,
        updatemenus=_dropdown([_type_label(t) for t in types], 1),
        yaxis={"title": "corporate currency", "tickformat": "~s", "rangemode": "tozero"},
        xaxis={"tickfont": {"size": 11}},
        bargap=0.25,
        annotations=[
            {
                "text": "* = quarter in progress · hover a bar for its breakdown, click it for its"
                " largest movements",
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1.13,
                "xanchor": "right",
                "showarrow": False,
                "font": {"size": 11, "color": "#555"},
            }
        ],
    )
    drill_rows = _rows(con, DRILL_DOWN_SQL, [first, DRILL_DOWN_ROWS])
    drill_down: dict[str, list[dict[str, Any]]] = {}
    for row in drill_rows:
        key = f"{row['scope']}|{row['fiscal_quarter']}|{row['element']}"
        drill_down.setdefault(key, []).append(
            {
                "opportunity_id": row["opportunity_id"],
                "opportunity_name": row["opportunity_name"],
                "opportunity_type": row["opportunity_type"],
                "sub_element": row["sub_element"],
                "amount_corporate": str(row["amount_corporate"]),
                "moved_at": str(row["moved_at"]),
            }
        )
    current = quarters[-1]["fiscal_quarter"]
    extra = (
        '<h3 id="drill-down-title">Largest movements</h3>'
        f'<p class="hint">Click a bar above. Showing: all types, {html.escape(current)}, new '
        "pipeline.</p>"
        '<table class="drill-down" id="drill-down-table"><thead><tr><th>#</th>'
        "<th>opportunity</th><th>name</th><th>type</th><th>movement</th>"
        '<th class="num">amount</th><th>at (UTC)</th></tr></thead><tbody></tbody></table>'
        '<script type="application/json" id="drill-down-data">'
        + _json_for_html(drill_down)
        + "</script>"
    )
    return Section(
        "waterfall",
        "Quarterly pipeline waterfall",
        "Starting pipeline + new pipeline + value change - closed won - closed lost = ending "
        "pipeline, to the cent (fct_pipeline_waterfall), for the last four complete quarters "
        "and the current one. Pick a type in the menu. Corporate currency.",
        figure,
        extra,
        {
            "rows": chart_rows,
            "drill_down": drill_down,
            "default_drill_down": f"{ALL_TYPES}|{current}|new_pipeline",
        },
    )


# --- trend ---------------------------------------------------------------------------

TREND_SQL = """
    select
        quarter_start_date,
        fiscal_quarter,
        bool_and(is_complete) as is_complete,
        sum(starting_pipeline) as starting_pipeline,
        sum(ending_pipeline) as ending_pipeline,
        sum(closed_won) as closed_won,
        -- coverage: the pipeline the quarter started with per unit booked in it
        sum(starting_pipeline) / nullif(sum(closed_won), 0) as pipeline_coverage,
        -- win rate: opportunities won / (won + lost out of the pipeline) in the quarter
        cast(sum(won_opportunities) as double)
            / nullif(sum(won_opportunities) + sum(lost_opportunities), 0) as win_rate
    from fct_pipeline_waterfall
    group by quarter_start_date, fiscal_quarter
    having sum(starting_pipeline) > 0 or sum(ending_pipeline) > 0
    order by quarter_start_date
"""


def trend_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, TREND_SQL)
    quarters = [r["fiscal_quarter"] + ("" if r["is_complete"] else "*") for r in rows]
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        row_heights=[0.55, 0.45],
        specs=[[{}], [{"secondary_y": True}]],
        subplot_titles=("Starting and ending pipeline", "Coverage and win rate"),
    )
    for name, column, color in [
        ("Starting pipeline", "starting_pipeline", "#5b6b8c"),
        ("Ending pipeline", "ending_pipeline", "#3b82c4"),
        ("Closed won", "closed_won", "#2e9e5b"),
    ]:
        figure.add_trace(
            go.Scatter(
                x=quarters,
                y=[_number(r[column]) for r in rows],
                name=name,
                mode="lines+markers",
                line={"color": color, "dash": "dot" if column == "closed_won" else "solid"},
            ),
            row=1,
            col=1,
        )
    figure.add_trace(
        go.Bar(
            x=quarters,
            y=[_number(r["pipeline_coverage"]) for r in rows],
            name="Coverage (starting / won)",
            marker={"color": "#9db4d6"},
            hovertemplate="%{x}: %{y:.2f}x<extra>coverage</extra>",
        ),
        row=2,
        col=1,
        secondary_y=False,
    )
    figure.add_trace(
        go.Scatter(
            x=quarters,
            y=[_number(r["win_rate"]) for r in rows],
            name="Win rate",
            mode="lines+markers",
            line={"color": "#d1495b"},
            hovertemplate="%{x}: %{y:.1%}<extra>win rate</extra>",
        ),
        row=2,
        col=1,
        secondary_y=True,
    )
    _layout(figure, 620)
    figure.update_yaxes(title_text="corporate currency", tickformat="~s", row=1, col=1)
    figure.update_yaxes(
        title_text="coverage (x)", row=2, col=1, secondary_y=False, rangemode="tozero"
    )
    figure.update_yaxes(
        title_text="win rate",
        tickformat=".0%",
        row=2,
        col=1,
        secondary_y=True,
        range=[0, 1],
        dtick=0.25,
        showgrid=False,
    )
    return Section(
        "trend",
        "Pipeline trend, coverage and win rate",
        "All opportunity types. Coverage = starting pipeline / closed won of the quarter; win "
        "rate = opportunities won / (won + lost out of the pipeline) in the quarter.",
        figure,
        data={"rows": rows},
    )


# --- stage funnel ----------------------------------------------------------------------

STAGE_FUNNEL_SQL = """
    -- matured cohorts only (is_maturing = false): recent cohorts are still converting
    with pairs as (
        select
            opportunity_type, from_stage, to_stage, from_stage_order,
            entered_count, converted_count
        from fct_stage_conversion
        where is_next_stage and not is_maturing
    ),

    scoped as (
        select opportunity_type as scope, * from pairs
        union all
        select 'all' as scope, * from pairs
    )

    select
        scope,
        from_stage,
        to_stage,
        from_stage_order,
        sum(entered_count) as entered_count,
        sum(converted_count) as converted_count,
        cast(sum(converted_count) as double) / nullif(sum(entered_count), 0)
            as conversion_rate
    from scoped
    group by scope, from_stage, to_stage, from_stage_order
    order by scope, from_stage_order
"""

STAGE_VELOCITY_SQL = """
    -- days in the stage of the visits that moved on to a later stage
    with visits as (
        select opportunity_type, canonical_stage, stage_order, days_in_stage
        from fct_opportunity_stage_history
        where move_direction in ('forward', 'skip') and days_in_stage is not null
    ),

    scoped as (
        select opportunity_type as scope, * from visits
        union all
        select 'all' as scope, * from visits
    )

    select
        scope,
        canonical_stage,
        stage_order,
        count(*) as visits,
        quantile_cont(days_in_stage, 0.5) as median_days,
        quantile_cont(days_in_stage, 0.75) as p75_days
    from scoped
    group by scope, canonical_stage, stage_order
    order by scope, stage_order
"""


def stage_funnel_section(con: duckdb.DuckDBPyConnection) -> Section:
    funnel = _rows(con, STAGE_FUNNEL_SQL)
    velocity = _rows(con, STAGE_VELOCITY_SQL)
    scopes = [t for t in _types(con) if any(r["scope"] == t for r in funnel)]
    figure = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.6, 0.4],
        horizontal_spacing=0.12,
        subplot_titles=(
            "Opportunities entering each stage (matured cohorts)",
            "Days in stage before moving on",
        ),
    )
    for index, scope in enumerate(scopes):
        rows = [r for r in funnel if r["scope"] == scope]
        stages = [r["from_stage"] for r in rows]
        closing = rows[-1] if rows else None
        counts = [r["entered_count"] for r in rows]
        texts = [
            f"{r['from_stage']}: {r['entered_count']:,} · {r['conversion_rate']:.0%} to next"
            if r["conversion_rate"] is not None
            else f"{r['from_stage']}: {r['entered_count']:,}"
            for r in rows
        ]
        if closing is not None:
            stages.append(closing["to_stage"])
            counts.append(closing["converted_count"])
            texts.append(f"{closing['to_stage']}: {closing['converted_count']:,}")
        figure.add_trace(
            go.Funnel(
                name=f"{_type_label(scope)}: entered",
                y=stages,
                x=counts,
                text=texts,
                textinfo="text",
                textposition="inside",
                marker={"color": "#3b82c4"},
                textfont={"size": 12},
                visible=index == 0,
                showlegend=False,
                hovertemplate="%{y}: %{x:,} entered<extra></extra>",
            ),
            row=1,
            col=1,
        )
        by_stage = {r["canonical_stage"]: r for r in velocity if r["scope"] == scope}
        for measure, label, color in [
            ("median_days", "median", "#5b6b8c"),
            ("p75_days", "p75", "#e0a526"),
        ]:
            open_stages = [r["from_stage"] for r in rows]
            figure.add_trace(
                go.Bar(
                    name=f"{label} days",
                    orientation="h",
                    y=open_stages,
                    x=[
                        _number(by_stage[s][measure]) if s in by_stage else None
                        for s in open_stages
                    ],
                    marker={"color": color},
                    visible=index == 0,
                    legendgroup=label,
                    offsetgroup=label,
                    showlegend=index == 0,
                    hovertemplate="%{y}: %{x:.0f} days<extra>" + label + "</extra>",
                ),
                row=1,
                col=2,
            )
    _layout(
        figure,
        520,
        updatemenus=_dropdown([_type_label(s) for s in scopes], 3),
        barmode="group",
    )
    figure.update_yaxes(autorange="reversed", row=1, col=2)
    figure.update_xaxes(title_text="days", row=1, col=2)
    return Section(
        "stage-funnel",
        "Stage conversion funnel and stage velocity",
        "Entered = reached or passed the stage (fct_stage_conversion, next-stage pairs, "
        "matured cohorts); the rate is converted / entered to the next stage. Velocity: "
        "median and p75 whole days in the stage of visits that moved forward "
        "(fct_opportunity_stage_history).",
        figure,
        data={"funnel": funnel, "velocity": velocity},
    )


# --- lead funnel -----------------------------------------------------------------------

LEAD_FUNNEL_SQL = """
    select
        month_start_date, leads, mqls, sals, mql_to_sal_rate, lead_velocity_rate,
        is_below_mql_to_sal_threshold
    from fct_lead_funnel_all_sources
    order by month_start_date
"""


def mql_to_sal_threshold() -> float:
    """The var mql_to_sal_threshold as dbt_project.yml sets it (the report's threshold line)."""
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    return float(project.get("vars", {}).get("mql_to_sal_threshold", 0.5))


def lead_funnel_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, LEAD_FUNNEL_SQL)
    months = [r["month_start_date"].strftime("%Y-%m") for r in rows]
    threshold = mql_to_sal_threshold()
    figure = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.45, 0.3, 0.25],
        subplot_titles=(
            "Leads, MQLs and SALs per month",
            "MQL to SAL rate",
            "Lead velocity rate (MQLs vs the month before)",
        ),
    )
    for column, name, color in [
        ("leads", "Leads", "#9db4d6"),
        ("mqls", "MQLs", "#3b82c4"),
        ("sals", "SALs", "#2e9e5b"),
    ]:
        figure.add_trace(
            go.Bar(x=months, y=[r[column] for r in rows], name=name, marker={"color": color}),
            row=1,
            col=1,
        )
    figure.add_trace(
        go.Scatter(
            x=months,
            y=[_number(r["mql_to_sal_rate"]) for r in rows],
            name="MQL to SAL rate",
            mode="lines+markers",
            line={"color": "#5b6b8c"},
            marker={
                "color": [
                    "#d1495b" if r["is_below_mql_to_sal_threshold"] else "#5b6b8c" for r in rows
                ]
            },
            hovertemplate="%{x}: %{y:.1%}<extra>MQL to SAL</extra>",
        ),
        row=2,
        col=1,
    )
    figure.add_trace(
        go.Scatter(
            x=[months[0], months[-1]] if months else [],
            y=[threshold, threshold],
            name=f"threshold {threshold:.0%}",
            mode="lines",
            line={"color": "#d1495b", "dash": "dash"},
            hoverinfo="skip",
        ),
        row=2,
        col=1,
    )
    figure.add_trace(
        go.Bar(
            x=months,
            y=[_number(r["lead_velocity_rate"]) for r in rows],
            name="Lead velocity rate",
            marker={
                "color": [
                    "#2e9e5b" if (r["lead_velocity_rate"] or 0) >= 0 else "#d1495b" for r in rows
                ]
            },
            hovertemplate="%{x}: %{y:.1%}<extra>LVR</extra>",
        ),
        row=3,
        col=1,
    )
    _layout(figure, 720, barmode="group")
    figure.update_yaxes(title_text="count", row=1, col=1)
    figure.update_yaxes(tickformat=".0%", range=[0, 1.05], row=2, col=1)
    figure.update_yaxes(tickformat=".0%", row=3, col=1)
    return Section(
        "lead-funnel",
        "Lead funnel",
        "All lead sources (fct_lead_funnel_all_sources). Volumes count each step in the month "
        "it happened; the MQL to SAL rate is the share of the month's MQLs that reached SAL "
        f"(red markers: below the threshold {threshold:.0%}, the var mql_to_sal_threshold; "
        "recent months are still maturing); lead velocity rate = (MQLs - MQLs the month "
        "before) / MQLs the month before.",
        figure,
        data={"rows": rows, "threshold": threshold},
    )


# --- buying groups ---------------------------------------------------------------------

BUYING_GROUPS_SQL = """
    select opportunity_type, breakdown, bucket, bucket_order, opportunity_count, won_count,
        lost_count, win_rate
    from fct_buying_group_conversion
    order by breakdown, bucket_order, opportunity_type
"""


def buying_groups_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, BUYING_GROUPS_SQL)
    present = {r["opportunity_type"] for r in rows}
    types = [t for t in [ALL_TYPES, *TYPE_ORDER] if t in present]
    types += sorted(present - set(types))
    figure = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.08,
        subplot_titles=("Win rate by buying-group size (contacts)", "Win rate by role coverage"),
    )
    palette = ["#1f2937", "#3b82c4", "#2e9e5b", "#e0a526", "#8e6bbf", "#9aa5b1"]
    for index, opportunity_type in enumerate(types):
        for column, breakdown in [(1, "size_bucket"), (2, "role_coverage")]:
            selected = [
                r
                for r in rows
                if r["opportunity_type"] == opportunity_type and r["breakdown"] == breakdown
            ]
            figure.add_trace(
                go.Bar(
                    x=[r["bucket"].replace("_", " ") for r in selected],
                    y=[_number(r["win_rate"]) for r in selected],
                    customdata=[r["opportunity_count"] for r in selected],
                    name=_type_label(opportunity_type),
                    legendgroup=opportunity_type,
                    showlegend=column == 1,
                    marker={"color": palette[index % len(palette)]},
                    hovertemplate="%{x}: %{y:.1%} of %{customdata:,} opportunities<extra>"
                    + _type_label(opportunity_type)
                    + "</extra>",
                ),
                row=1,
                col=column,
            )
    _layout(figure, 480, barmode="group")
    figure.update_yaxes(tickformat=".0%", range=[0, 1], title_text="win rate", row=1, col=1)
    figure.update_yaxes(tickformat=".0%", range=[0, 1], row=1, col=2)
    return Section(
        "buying-groups",
        "Buying groups",
        "Win rate = won / (won + lost) of the opportunities with the group size or role "
        "coverage (fct_buying_group_conversion).",
        figure,
        data={"rows": rows},
    )


# --- planning (issue 10 marts) ---------------------------------------------------------

PLAN_SQL = """
    select
        quarter_start_date, fiscal_quarter, opportunity_type, quarter_status,
        closed_won_target, actual_closed_won, won_attainment,
        required_new_pipeline, actual_new_pipeline, new_pipeline_attainment,
        ending_pipeline_target, actual_ending_pipeline, starting_pipeline, pipeline_coverage
    from fct_pipeline_plan
    order by quarter_start_date
"""


def _plan_types(rows: Rows) -> list[str]:
    present = {r["opportunity_type"] for r in rows}
    ordered = [t for t in [ALL_TYPES, *TYPE_ORDER] if t in present]
    return ordered + sorted(present - set(ordered))


def _quarter_label(row: dict[str, Any]) -> str:
    marks = {"current": "*", "future": " (plan)"}
    return row["fiscal_quarter"] + marks.get(row["quarter_status"], "")


def plan_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, PLAN_SQL)
    types = _plan_types(rows)
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=(
            "Bookings: target vs actual (closed won)",
            "New pipeline: required (3-2-1-6-5=4) vs actual",
        ),
    )
    series = [
        (1, "closed_won_target", "Won target", "#9db4d6", "won_attainment"),
        (1, "actual_closed_won", "Won actual", "#2e9e5b", "won_attainment"),
        (2, "required_new_pipeline", "Required new pipeline", "#e0a526", "new_pipeline_attainment"),
        (2, "actual_new_pipeline", "Actual new pipeline", "#3b82c4", "new_pipeline_attainment"),
    ]
    for index, opportunity_type in enumerate(types):
        selected = [r for r in rows if r["opportunity_type"] == opportunity_type]
        quarters = [_quarter_label(r) for r in selected]
        for row_number, column, name, color, attainment in series:
            figure.add_trace(
                go.Bar(
                    x=quarters,
                    y=[_number(r[column]) for r in selected],
                    name=name,
                    legendgroup=name,
                    showlegend=index == 0,
                    marker={"color": color},
                    visible=index == 0,
                    customdata=[
                        "-" if r[attainment] is None else f"{float(r[attainment]):.0%}"
                        for r in selected
                    ],
                    hovertemplate="%{x}: %{y:,.0f}<br>attainment %{customdata}<extra>"
                    + name
                    + "</extra>",
                ),
                row=row_number,
                col=1,
            )
    _layout(
        figure,
        620,
        barmode="group",
        updatemenus=_dropdown([_type_label(t) for t in types], len(series), y=1.14),
    )
    figure.update_yaxes(tickformat="~s", title_text="corporate currency")
    return Section(
        "plan-vs-actual",
        "Plan vs actual",
        "fct_pipeline_plan: the bookings target and the new pipeline the plan requires (solved "
        "from the waterfall identity with the trailing lost and value-change ratios), against "
        "the actuals; * = quarter in progress, (plan) = future quarter. Hover for attainment.",
        figure,
        data={"rows": rows},
    )


REQUIREMENTS_SQL = """
    -- the first future quarter of the plan: what marketing and sales must produce for it
    with next_quarter as (
        select min(quarter_start_date) as quarter_start_date
        from fct_funnel_requirements
        where quarter_status = 'future'
    )

    select
        requirements.fiscal_quarter, requirements.opportunity_type, requirements.funnel_step,
        requirements.step_order, requirements.required_count, requirements.due_fiscal_quarter,
        requirements.conversion_rate_used, requirements.rate_basis,
        requirements.marketing_sourced_required_count, requirements.required_new_pipeline
    from fct_funnel_requirements as requirements
    inner join next_quarter
        on requirements.quarter_start_date = next_quarter.quarter_start_date
    order by requirements.opportunity_type, requirements.step_order
"""


def requirements_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, REQUIREMENTS_SQL)
    types = _plan_types(rows)
    quarter = rows[0]["fiscal_quarter"] if rows else "-"
    figure = go.Figure()
    for index, opportunity_type in enumerate(types):
        selected = [r for r in rows if r["opportunity_type"] == opportunity_type]
        texts = [
            f"{r['funnel_step'].replace('_', ' ')}: {r['required_count']:,} by "
            f"{r['due_fiscal_quarter']}"
            + (
                f" ({r['marketing_sourced_required_count']:,} marketing)"
                if r["marketing_sourced_required_count"] is not None
                else ""
            )
            for r in selected
        ]
        figure.add_trace(
            go.Funnel(
                name=_type_label(opportunity_type),
                y=[r["funnel_step"].replace("_", " ") for r in selected],
                x=[r["required_count"] for r in selected],
                text=texts,
                textinfo="text",
                textposition="inside",
                textfont={"size": 12},
                marker={"color": "#3b82c4"},
                visible=index == 0,
                showlegend=False,
                hovertemplate="%{y}: %{x:,} required<extra></extra>",
            )
        )
    _layout(figure, 500, updatemenus=_dropdown([_type_label(t) for t in types], 1, y=1.14))
    figure.update_yaxes(showticklabels=False)
    return Section(
        "funnel-requirements",
        f"Funnel requirements for {quarter}",
        "fct_funnel_requirements: the required new pipeline walked back through the trailing "
        "conversion rates of matured cohorts, with the quarter each step is due (median days "
        "between steps). Types whose deals start from customers stop at their first stage.",
        figure,
        data={"rows": rows},
    )


FORECAST_SQL = """
    select
        quarter_start_date, fiscal_quarter, opportunity_type, quarter_status, is_backtest,
        weighted_forecast, historical_forecast, actual_closed_won,
        actual_closed_won_from_open_pipeline,
        weighted_absolute_percentage_error, historical_absolute_percentage_error
    from fct_bookings_forecast
    order by quarter_start_date
"""


def forecast_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, FORECAST_SQL)
    types = _plan_types(rows)
    figure = go.Figure()
    series = [
        ("actual_closed_won_from_open_pipeline", "Won from the open pipeline", "bar", "#9db4d6"),
        ("weighted_forecast", "Weighted forecast (stage probability)", "line", "#e0a526"),
        ("historical_forecast", "Historical forecast (trailing conversion)", "line", "#d1495b"),
        ("actual_closed_won", "Closed won (all)", "line", "#2e9e5b"),
    ]
    for index, opportunity_type in enumerate(types):
        selected = [r for r in rows if r["opportunity_type"] == opportunity_type]
        quarters = [_quarter_label(r) for r in selected]
        for column, name, kind, color in series:
            common = {
                "x": quarters,
                "y": [_number(r[column]) for r in selected],
                "name": name,
                "legendgroup": name,
                "showlegend": index == 0,
                "visible": index == 0,
            }
            if kind == "bar":
                figure.add_trace(go.Bar(marker={"color": color}, **common))
            else:
                figure.add_trace(
                    go.Scatter(
                        mode="lines+markers",
                        line={
                            "color": color,
                            "dash": "dot" if column == "actual_closed_won" else "solid",
                        },
                        **common,
                    )
                )
    _layout(
        figure, 500, updatemenus=_dropdown([_type_label(t) for t in types], len(series), y=1.16)
    )
    figure.update_layout(margin={"b": 130}, legend={"y": -0.3})
    figure.update_xaxes(tickangle=-40)
    figure.update_yaxes(tickformat="~s", title_text="corporate currency")
    return Section(
        "forecast-backtest",
        "Bookings forecast and its backtest",
        "fct_bookings_forecast: for every complete past quarter both forecasts made at the "
        "quarter's first instant from the open pipeline closing in it, against what that "
        "pipeline actually booked (bars) and all closed won (dotted); the current and future "
        "quarters show the forecast from the pipeline open at as_of_date.",
        figure,
        data={"rows": rows},
    )


STALLED_SQL = """
    select
        opportunity_type, canonical_stage, min(stage_order) as stage_order,
        count(*) as open_opportunities,
        count(case when is_stalled then 1 end) as stalled_opportunities,
        sum(case when is_stalled then amount_corporate else 0 end) as stalled_amount,
        sum(amount_corporate) as open_amount
    from (
        select aging.*, stages.stage_order
        from fct_open_pipeline_aging as aging
        left join (
            select distinct canonical_stage, stage_order from fct_opportunity_stage_history
        ) as stages
            on aging.canonical_stage = stages.canonical_stage
    ) as open_deals
    group by opportunity_type, canonical_stage
    order by stage_order, opportunity_type
"""

STALLED_DEALS_SQL = """
    select
        opportunity_id, opportunity_name, opportunity_type, canonical_stage, amount_corporate,
        days_in_current_stage, stage_p75_days, close_date, is_past_due
    from fct_open_pipeline_aging
    where is_stalled
    order by amount_corporate desc, opportunity_id
    limit 15
"""


def stalled_section(con: duckdb.DuckDBPyConnection) -> Section:
    rows = _rows(con, STALLED_SQL)
    deals = _rows(con, STALLED_DEALS_SQL)
    stages = list(dict.fromkeys(r["canonical_stage"] for r in rows))
    present = {r["opportunity_type"] for r in rows}
    types = [t for t in TYPE_ORDER if t in present] + sorted(present - set(TYPE_ORDER))
    palette = ["#3b82c4", "#2e9e5b", "#e0a526", "#8e6bbf", "#9aa5b1"]
    figure = go.Figure()
    for index, opportunity_type in enumerate(types):
        by_stage = {
            r["canonical_stage"]: r for r in rows if r["opportunity_type"] == opportunity_type
        }
        figure.add_trace(
            go.Bar(
                x=stages,
                y=[_number(by_stage[s]["stalled_amount"]) if s in by_stage else 0 for s in stages],
                customdata=[
                    f"{by_stage[s]['stalled_opportunities']} of {by_stage[s]['open_opportunities']}"
                    if s in by_stage
                    else "0 of 0"
                    for s in stages
                ],
                name=_type_label(opportunity_type),
                marker={"color": palette[index % len(palette)]},
                hovertemplate="%{x}: %{y:,.0f} stalled (%{customdata} open deals)<extra>"
                + _type_label(opportunity_type)
                + "</extra>",
            )
        )
    _layout(figure, 440, barmode="stack")
    figure.update_yaxes(tickformat="~s", title_text="stalled pipeline (corporate currency)")
    table = [
        "<h3>Largest stalled deals</h3>",
        '<table class="stalled"><thead><tr><th>opportunity</th><th>name</th><th>type</th>'
        '<th>stage</th><th class="num">amount</th><th class="num">days in stage</th>'
        '<th class="num">stage p75</th><th>close date</th></tr></thead><tbody>',
    ]
    for deal in deals:
        past_due = " (past due)" if deal["is_past_due"] else ""
        table.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(v))}</td>"
                for v in (
                    deal["opportunity_id"],
                    deal["opportunity_name"] or "",
                    deal["opportunity_type"],
                    deal["canonical_stage"],
                )
            )
            + f'<td class="num">{float(deal["amount_corporate"]):,.2f}</td>'
            + f'<td class="num">{deal["days_in_current_stage"]}</td>'
            + f'<td class="num">{_number(deal["stage_p75_days"]) or 0:.0f}</td>'
            + f"<td>{deal['close_date']}{past_due}</td></tr>"
        )
    table.append("</tbody></table>")
    return Section(
        "stalled-deals",
        "Stalled deals",
        "fct_open_pipeline_aging: open deals at as_of_date whose days in the current stage "
        "exceed that stage's p75 for the type; stalled amount by stage and type.",
        figure,
        "".join(table),
        data={"rows": rows, "deals": deals},
    )


# --- page ------------------------------------------------------------------------------

SECTION_BUILDERS: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], Section]]] = [
    ("waterfall", waterfall_section),
    ("trend", trend_section),
    ("stage funnel", stage_funnel_section),
    ("lead funnel", lead_funnel_section),
    ("buying groups", buying_groups_section),
]


def _json_for_html(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, default=str, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _figure_json(figure: go.Figure) -> str:
    return figure.to_json(pretty=False).replace("</", "<\\/")


PAGE_SCRIPT = """
(function () {
  var specs = document.querySelectorAll('script.chart-spec');
  var drawn = 0;
  specs.forEach(function (tag) {
    var spec = JSON.parse(tag.textContent);
    var target = document.getElementById(tag.dataset.target);
    Plotly.newPlot(target, spec.data, spec.layout, {responsive: true, displaylogo: false})
      .then(function () { drawn += 1; window.reportChartsDrawn = drawn; });
  });
  var drillTag = document.getElementById('drill-down-data');
  if (!drillTag) { return; }
  var drill = JSON.parse(drillTag.textContent);
  var labels = {starting_pipeline: 'starting pipeline', new_pipeline: 'new pipeline',
    value_change: 'value change', closed_won: 'closed won', closed_lost: 'closed lost',
    ending_pipeline: 'ending pipeline'};
  function money(text) {
    return Number(text).toLocaleString('en-US', {maximumFractionDigits: 2,
      minimumFractionDigits: 2});
  }
  function show(key) {
    var parts = key.split('|');
    var rows = drill[key] || [];
    var body = document.querySelector('#drill-down-table tbody');
    body.textContent = '';
    rows.forEach(function (row, index) {
      var tr = document.createElement('tr');
      [String(index + 1), row.opportunity_id, row.opportunity_name || '', row.opportunity_type,
       row.sub_element.replace(/_/g, ' '), money(row.amount_corporate), row.moved_at]
        .forEach(function (value, column) {
          var td = document.createElement('td');
          td.textContent = value;
          if (column === 5) { td.className = 'num'; }
          tr.appendChild(td);
        });
      body.appendChild(tr);
    });
    document.querySelector('#waterfall .hint').textContent = 'Showing: ' +
      (parts[0] === 'all' ? 'all types' : parts[0].replace(/_/g, ' ')) + ', ' + parts[1] +
      ', ' + labels[parts[2]] + ' (' + rows.length + ' largest by absolute amount).';
  }
  var chart = document.getElementById('chart-waterfall');
  show(document.getElementById('waterfall').dataset.defaultDrillDown);
  var waitForChart = setInterval(function () {
    if (chart.on) {
      clearInterval(waitForChart);
      chart.on('plotly_click', function (event) { show(event.points[0].customdata); });
    }
  }, 50);
})();
"""

PAGE_STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0;
  color: #1f2937; background: #f5f6f8; }
header { background: #1f2937; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #cbd5e1; font-size: 13px; }
nav { padding: 10px 32px; background: #e5e7eb; font-size: 13px; }
nav a { margin-right: 14px; color: #1f2937; }
main { padding: 8px 32px 40px; max-width: 1400px; }
section { background: #fff; border-radius: 6px; margin: 18px 0; padding: 16px 20px;
  box-shadow: 0 1px 2px rgba(0,0,0,.08); }
section h2 { margin: 0 0 4px; font-size: 18px; }
section p.definition { margin: 0 0 8px; color: #4b5563; font-size: 13px; }
.chart { width: 100%; }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 6px; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
p.hint { font-size: 12px; color: #4b5563; }
p.missing { color: #9a3412; }
"""


def render(sections: list[Section], subtitle: str) -> str:
    """The complete HTML page (plotly.js inlined)."""
    nav = " ".join(f'<a href="#{s.section_id}">{html.escape(s.title)}</a>' for s in sections)
    parts = []
    for section in sections:
        default = section.data.get("default_drill_down", "")
        attributes = f' data-default-drill-down="{html.escape(default)}"' if default else ""
        body = [
            f'<section id="{section.section_id}" class="report-section"{attributes}>',
            f"<h2>{html.escape(section.title)}</h2>",
            f'<p class="definition">{html.escape(section.description)}</p>',
        ]
        if section.figure is not None:
            chart_id = f"chart-{section.section_id}"
            body.append(f'<div class="chart" id="{chart_id}"></div>')
            body.append(
                f'<script type="application/json" class="chart-spec" '
                f'data-target="{chart_id}" data-section="{section.section_id}">'
                f"{_figure_json(section.figure)}</script>"
            )
        body.append(section.extra_html)
        body.append("</section>")
        parts.append("\n".join(body))
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>CRM revenue report</title>",
            f"<style>{PAGE_STYLE}</style>",
            f'<script type="text/javascript">{get_plotlyjs()}</script>',
            "</head><body>",
            f"<header><h1>CRM revenue report</h1><p>{html.escape(subtitle)}</p></header>",
            f"<nav>{nav}</nav>",
            "<main>",
            *parts,
            "</main>",
            f"<script>{PAGE_SCRIPT}</script>",
            "</body></html>",
        ]
    )


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }


def build_sections(
    con: duckdb.DuckDBPyConnection, progress: Callable[[str], None] = print
) -> list[Section]:
    """Query the marts and build every section, reporting progress."""
    builders = list(SECTION_BUILDERS)
    tables = _tables(con)
    builders += [(name, builder) for name, builder in PLANNING_BUILDERS]
    sections = []
    for index, (name, builder) in enumerate(builders, start=1):
        started = time.perf_counter()
        missing = [t for t in REQUIRED_TABLES.get(name, ()) if t not in tables]
        if missing:
            progress(f"  [{index}/{len(builders)}] {name}: skipped, missing {', '.join(missing)}")
            continue
        sections.append(builder(con))
        progress(f"  [{index}/{len(builders)}] {name} ({time.perf_counter() - started:.1f} s)")
    return sections


PLANNING_BUILDERS: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], Section]]] = [
    ("plan vs actual", plan_section),
    ("funnel requirements", requirements_section),
    ("forecast backtest", forecast_section),
    ("stalled deals", stalled_section),
]
# A warehouse built before the planning marts existed gets the other sections only.
REQUIRED_TABLES: dict[str, tuple[str, ...]] = {
    "plan vs actual": ("fct_pipeline_plan",),
    "funnel requirements": ("fct_funnel_requirements",),
    "forecast backtest": ("fct_bookings_forecast",),
    "stalled deals": ("fct_open_pipeline_aging", "fct_opportunity_stage_history"),
}


def write_report(warehouse: Path, output: Path, progress: Callable[[str], None] = print) -> Path:
    """Write the report of `warehouse` to `output` and return its path."""
    progress(f"report: reading {warehouse}")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sections = build_sections(con, progress)
        quarter = con.execute(
            "select max(fiscal_quarter) filter (where not is_complete) from fct_pipeline_waterfall"
        ).fetchone()
    finally:
        con.close()
    subtitle = (
        f"Warehouse {warehouse.name} · current quarter {quarter[0] if quarter else '?'}"
        " (in progress) · amounts in the corporate currency"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(sections, subtitle), encoding="utf-8")
    progress(
        f"report: {output} ({output.stat().st_size / 1_000_000:.1f} MB, {len(sections)} sections)"
    )
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path, help="DuckDB file built by dbt")
    parser.add_argument("--output", type=Path, help="HTML file (default: beside the warehouse)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"report: no warehouse at {args.warehouse}; run `run.py demo` first", file=sys.stderr)
        return 2
    warehouse = args.warehouse.resolve()
    write_report(warehouse, args.output or warehouse.parent / "report.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
