"""The semantic layer answers like the marts: `mf query` (the MetricFlow CLI) for metric x
group-by combinations on the demo warehouse, compared with SQL on the marts to the cent
(amounts) or to 1e-6 (rates, which the marts round to 6 decimals).

MetricFlow reads `<project>/target/semantic_manifest.json`, so the test parses the project in
a scratch copy (symlinks to the project's files) and never touches the project's target/.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import _release_duckdb, symlinked_project

CENT = Decimal("0.01")
RATE_TOLERANCE = 1e-6


@pytest.fixture(scope="module")
def mf_project(demo_warehouse_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project (symlinks) with the semantic manifest parsed into its target/."""
    project = symlinked_project(tmp_path_factory.mktemp("mf-project"))
    env = {**os.environ, "DBT_DUCKDB_PATH": str(demo_warehouse_file)}
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--quiet", "--no-use-colors"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (project / "target" / "semantic_manifest.json").exists()
    return project


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


MfQuery = Callable[[str, str], list[dict[str, str]]]


@pytest.fixture(scope="module")
def mf_query(mf_project: Path, demo_warehouse_file: Path) -> Iterator[MfQuery]:
    """Run `mf query --metrics M --group-by G --csv FILE` and return the CSV rows (text).

    The `mf query` command runs in-process (click's runner) with one CLI configuration, so the
    project is loaded once rather than once per query (about 10 s each); the test below also
    runs the `mf` executable itself once.
    """
    from click.testing import CliRunner
    from dbt_metricflow.cli.cli_configuration import CLIConfiguration
    from dbt_metricflow.cli.main import cli

    # MetricFlow's in-process adapter keeps its own (read-write) connection open; the marts are
    # read from the original file, so MetricFlow queries a copy of it. Same file name: the
    # semantic manifest names tables by database, and DuckDB's database is the file's stem.
    warehouse_copy = mf_project / "target" / "mf-copy" / demo_warehouse_file.name
    warehouse_copy.parent.mkdir()
    shutil.copyfile(demo_warehouse_file, warehouse_copy)
    saved = {
        k: os.environ.get(k) for k in ("DBT_DUCKDB_PATH", "DBT_PROJECT_DIR", "DBT_PROFILES_DIR")
    }
    os.environ.update(
        DBT_DUCKDB_PATH=str(warehouse_copy),
        DBT_PROJECT_DIR=str(mf_project),
        DBT_PROFILES_DIR=str(mf_project),
    )
    config = CLIConfiguration()
    outputs = mf_project / "target" / "mf"
    outputs.mkdir()

    def query(metrics: str, group_by: str) -> list[dict[str, str]]:
        output = outputs / f"{len(list(outputs.iterdir()))}.csv"
        result = CliRunner().invoke(
            cli,
            [
                "query",
                "--metrics",
                metrics,
                "--group-by",
                group_by,
                "--csv",
                str(output),
                "--quiet",
            ],
            obj=config,
        )
        assert result.exit_code == 0, (result.output, result.exception)
        return _read_csv(output)

    try:
        yield query
    finally:
        if config.is_setup:
            config.sql_client.close()
        _release_duckdb()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def mart(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _date(text: str) -> str:
    return text[:10]


def _decimal(text: str | None) -> Decimal:
    return Decimal(text) if text not in (None, "") else Decimal(0)


def _assert_amounts_match(
    mf_rows: list[dict[str, str]], keys: list[str], expected: dict[tuple, dict[str, Decimal]]
) -> None:
    """Every mart cell equals MetricFlow's to the cent; a key MetricFlow has no row for must be
    all zeros in the mart (MetricFlow returns only groups with rows)."""
    got = {tuple(_date(r[k]) if "metric_time" in k else r[k] for k in keys): r for r in mf_rows}
    assert set(got) <= set(expected), sorted(set(got) - set(expected))[:5]
    checked = 0
    for key, values in expected.items():
        row = got.get(key)
        for metric, value in values.items():
            actual = _decimal(row.get(metric)) if row else Decimal(0)
            assert abs(actual - value) < CENT, (key, metric, actual, value)
            checked += 1
    assert checked > 0


def test_the_mf_executable_answers_like_the_mart(
    mf_project: Path, demo_warehouse_file: Path
) -> None:
    """The issue's example, through the `mf` command line."""
    output = mf_project / "target" / "mf-executable.csv"
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("mf")),
            "query",
            "--metrics",
            "closed_won,new_pipeline",
            "--group-by",
            "metric_time__quarter,opportunity__opportunity_type",
            "--csv",
            str(output),
            "--quiet",
        ],
        cwd=mf_project,
        env={**os.environ, "DBT_DUCKDB_PATH": str(demo_warehouse_file)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    expected = {
        (str(r[0]), r[1]): {"closed_won": r[2], "new_pipeline": r[3]}
        for r in mart(
            demo_warehouse_file,
            """
            select quarter_start_date, opportunity_type, closed_won, new_pipeline
            from fct_pipeline_waterfall""",
        )
    }
    _assert_amounts_match(
        _read_csv(output), ["metric_time__quarter", "opportunity__opportunity_type"], expected
    )


ELEMENTS = [
    "starting_pipeline",
    "new_pipeline",
    "value_change",
    "closed_won",
    "closed_lost",
    "ending_pipeline",
]
PARTS = [
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


def test_waterfall_elements_by_quarter_and_type(
    mf_query: MfQuery, demo_warehouse_file: Path
) -> None:
    rows = mf_query(
        ",".join(ELEMENTS),
        "metric_time__quarter,opportunity__opportunity_type",
    )
    expected = {
        (str(r[0]), r[1]): dict(zip(ELEMENTS, r[2:], strict=True))
        for r in mart(
            demo_warehouse_file,
            f"""
            select quarter_start_date, opportunity_type, {", ".join(ELEMENTS)}
            from fct_pipeline_waterfall""",
        )
    }
    _assert_amounts_match(rows, ["metric_time__quarter", "opportunity__opportunity_type"], expected)
    assert len(rows) >= 40


def test_value_change_breakdown_by_fiscal_quarter(
    mf_query: MfQuery, demo_warehouse_file: Path
) -> None:
    rows = mf_query(
        ",".join(["value_change", *PARTS]),
        "metric_time__fiscal_quarter",
    )
    expected = {
        (str(r[0]),): dict(zip(["value_change", *PARTS], r[1:], strict=True))
        for r in mart(
            demo_warehouse_file,
            f"""
            select quarter_start_date, sum(value_change), {", ".join(f"sum({p})" for p in PARTS)}
            from fct_pipeline_waterfall group by quarter_start_date""",
        )
    }
    _assert_amounts_match(rows, ["metric_time__fiscal_quarter"], expected)


def test_starting_and_ending_pipeline_are_not_summed_over_a_year(
    mf_query: MfQuery, demo_warehouse_file: Path
) -> None:
    """Over a fiscal year: the first quarter's starting and the last quarter's ending
    pipeline; the flows are sums."""
    rows = mf_query(
        "starting_pipeline,ending_pipeline,closed_won",
        "metric_time__fiscal_year",
    )
    expected = {
        (str(r[0]),): {"starting_pipeline": r[1], "ending_pipeline": r[2], "closed_won": r[3]}
        for r in mart(
            demo_warehouse_file,
            """
            with totals as (
                select q.fiscal_year, w.quarter_start_date, sum(w.starting_pipeline) as s,
                    sum(w.ending_pipeline) as e, sum(w.closed_won) as won
                from fct_pipeline_waterfall as w
                inner join int_fiscal_quarters as q using (quarter_start_date)
                group by q.fiscal_year, w.quarter_start_date
            )
            select min(quarter_start_date), arg_min(s, quarter_start_date),
                arg_max(e, quarter_start_date), sum(won)
            from totals group by fiscal_year""",
        )
    }
    _assert_amounts_match(rows, ["metric_time__fiscal_year"], expected)
    summed = mart(demo_warehouse_file, "select sum(ending_pipeline) from fct_pipeline_waterfall")
    assert sum(_decimal(r["ending_pipeline"]) for r in rows) < summed[0][0]


@pytest.mark.parametrize(
    ("dimension", "mf_dimension"),
    [
        ("account_segment", "opportunity__account_segment"),
        ("account_industry", "opportunity__account_industry"),
        ("owner", "opportunity__owner"),
        ("lead_source", "opportunity__lead_source"),
    ],
)
def test_waterfall_by_dimension(
    mf_query: MfQuery, demo_warehouse_file: Path, dimension: str, mf_dimension: str
) -> None:
    metrics = ["starting_pipeline", "new_pipeline", "closed_won", "closed_lost"]
    rows = mf_query(",".join(metrics), f"metric_time__quarter,{mf_dimension}")
    expected = {
        (str(r[0]), r[1]): dict(zip(metrics, r[2:], strict=True))
        for r in mart(
            demo_warehouse_file,
            f"""
            select quarter_start_date, dimension_value, {", ".join(f"sum({m})" for m in metrics)}
            from fct_pipeline_waterfall_by_dimension where dimension_name = '{dimension}'
            group by quarter_start_date, dimension_value""",
        )
    }
    _assert_amounts_match(rows, ["metric_time__quarter", mf_dimension], expected)


def _assert_rates(got: dict[tuple, float | None], expected: dict[tuple, float | None]) -> None:
    assert got.keys() == expected.keys(), sorted(set(got) ^ set(expected))[:5]
    for key, value in expected.items():
        if value is None:
            assert got[key] is None, key
        else:
            assert got[key] is not None and abs(got[key] - value) < RATE_TOLERANCE, (
                key,
                got[key],
                value,
            )


def _rate(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def test_win_rate_coverage_and_bookings_by_fiscal_quarter(
    mf_query: MfQuery, demo_warehouse_file: Path
) -> None:
    rows = mf_query(
        "win_rate,pipeline_coverage,bookings",
        "metric_time__fiscal_quarter",
    )
    expected = mart(
        demo_warehouse_file,
        """
        select quarter_start_date,
            cast(sum(won_opportunities) as double)
                / nullif(sum(won_opportunities) + sum(lost_opportunities), 0),
            cast(sum(starting_pipeline) as double) / nullif(sum(closed_won), 0),
            sum(closed_won)
        from fct_pipeline_waterfall group by quarter_start_date""",
    )
    by_quarter = {_date(r["metric_time__fiscal_quarter"]): r for r in rows}
    _assert_rates(
        {(q,): _rate(r["win_rate"]) for q, r in by_quarter.items()},
        {(str(r[0]),): r[1] for r in expected if str(r[0]) in by_quarter},
    )
    for quarter, _, coverage, bookings in expected:
        row = by_quarter[str(quarter)]
        assert abs(_decimal(row["bookings"]) - bookings) < CENT
        if coverage is not None and row["pipeline_coverage"]:
            assert abs(float(row["pipeline_coverage"]) - coverage) < RATE_TOLERANCE
        else:
            assert coverage in (None, 0) and row["pipeline_coverage"] in ("", "0.0")


def test_lead_funnel_by_month(mf_query: MfQuery, demo_warehouse_file: Path) -> None:
    rows = mf_query(
        "leads,mqls,sals,mql_to_sal_rate,lead_velocity_rate",
        "metric_time__month",
    )
    expected = mart(
        demo_warehouse_file,
        """
        select month_start_date, leads, mqls, sals, mql_to_sal_rate, lead_velocity_rate
        from fct_lead_funnel_all_sources""",
    )
    by_month = {_date(r["metric_time__month"]): r for r in rows}
    months = {str(r[0]) for r in expected}
    # MetricFlow also returns time-spine months around the data (zeros, no rates)
    extra = {m: r for m, r in by_month.items() if m not in months}
    assert all(_decimal(r["leads"]) == 0 and _decimal(r["mqls"]) == 0 for r in extra.values())
    for month, leads, mqls, sals, _rate_value, _velocity in expected:
        row = by_month[str(month)]
        assert (int(row["leads"]), int(row["mqls"]), int(row["sals"])) == (leads, mqls, sals)
    _assert_rates(
        {(m,): _rate(by_month[m]["mql_to_sal_rate"]) for m in months},
        {(str(r[0]),): _number(r[4]) for r in expected},
    )
    _assert_rates(
        {(m,): _rate(by_month[m]["lead_velocity_rate"]) for m in months},
        {(str(r[0]),): _number(r[5]) for r in expected},
    )


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def test_lead_funnel_by_lead_source(mf_query: MfQuery, demo_warehouse_file: Path) -> None:
    rows = mf_query(
        "mqls,mql_to_sal_rate",
        "metric_time__month,lead_funnel_month__lead_source",
    )
    expected = mart(
        demo_warehouse_file,
        """
        select month_start_date, lead_source, mqls, mql_to_sal_rate from fct_lead_funnel""",
    )
    got = {(_date(r["metric_time__month"]), r["lead_funnel_month__lead_source"]): r for r in rows}
    for month, source, mqls, rate in expected:
        row = got[(str(month), source)]
        assert int(row["mqls"]) == mqls
        assert (_rate(row["mql_to_sal_rate"]) is None) == (rate is None), (month, source)
        if rate is not None:
            assert abs(float(row["mql_to_sal_rate"]) - float(rate)) < RATE_TOLERANCE


def test_stage_conversion_rate(mf_query: MfQuery, demo_warehouse_file: Path) -> None:
    keys = [
        "metric_time__fiscal_quarter",
        "stage_conversion_cohort__opportunity_type",
        "stage_conversion_cohort__from_stage",
        "stage_conversion_cohort__to_stage",
    ]
    rows = mf_query("stage_conversion_rate", ",".join(keys))
    expected = mart(
        demo_warehouse_file,
        """
        select cohort_quarter_start_date, opportunity_type, from_stage, to_stage,
            count_conversion_rate
        from fct_stage_conversion""",
    )
    _assert_rates(
        {
            (_date(r[keys[0]]), r[keys[1]], r[keys[2]], r[keys[3]]): _rate(
                r["stage_conversion_rate"]
            )
            for r in rows
        },
        {(str(r[0]), r[1], r[2], r[3]): _number(r[4]) for r in expected},
    )


def test_planning_metrics_match_the_all_rows_and_the_type_rows(
    mf_query: MfQuery, demo_warehouse_file: Path
) -> None:
    amounts = ["required_new_pipeline", "won_target", "weighted_forecast", "historical_forecast"]
    plan = {
        str(r[0]): r[1:]
        for r in mart(
            demo_warehouse_file,
            """
            select plan.quarter_start_date, plan.required_new_pipeline, plan.closed_won_target,
                forecast.weighted_forecast, forecast.historical_forecast, plan.won_attainment,
                plan.new_pipeline_attainment
            from fct_pipeline_plan as plan
            left join fct_bookings_forecast as forecast
                on plan.quarter_start_date = forecast.quarter_start_date
                and forecast.opportunity_type = 'all'
            where plan.opportunity_type = 'all'""",
        )
    }
    rows = mf_query(
        ",".join([*amounts, "won_attainment", "new_pipeline_attainment"]),
        "metric_time__fiscal_quarter",
    )
    got = {_date(r["metric_time__fiscal_quarter"]): r for r in rows}
    for quarter, values in plan.items():
        row = got[quarter]
        for metric, value in zip(amounts, values[:4], strict=True):
            if value is None:
                assert row[metric] == "", (quarter, metric)
            else:
                assert abs(_decimal(row[metric]) - value) < CENT, (quarter, metric)
        for metric, value in zip(
            ["won_attainment", "new_pipeline_attainment"], values[4:], strict=True
        ):
            assert (_rate(row[metric]) is None) == (value is None), (quarter, metric)
            if value is not None:
                assert abs(float(row[metric]) - float(value)) < RATE_TOLERANCE, (quarter, metric)
    by_type = mf_query(
        "required_new_pipeline_by_type,won_target_by_type",
        "metric_time__fiscal_quarter,pipeline_plan__opportunity_type",
    )
    expected = {
        (str(r[0]), r[1]): {"required_new_pipeline_by_type": r[2], "won_target_by_type": r[3]}
        for r in mart(
            demo_warehouse_file,
            """
            select quarter_start_date, opportunity_type, coalesce(required_new_pipeline, 0),
                closed_won_target
            from fct_pipeline_plan where opportunity_type <> 'all'""",
        )
    }
    _assert_amounts_match(
        by_type, ["metric_time__fiscal_quarter", "pipeline_plan__opportunity_type"], expected
    )
