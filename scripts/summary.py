"""Print where the warehouse is and a short summary of what the build produced."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import duckdb

WATERFALL_QUERY = """
    select
        fiscal_quarter,
        sum(starting_pipeline), sum(new_pipeline), sum(value_change),
        sum(closed_won), sum(closed_lost), sum(ending_pipeline), bool_and(is_complete)
    from fct_pipeline_waterfall
    group by fiscal_quarter, quarter_start_date
    order by quarter_start_date desc
    limit 5
"""


PLAN_QUERY = """
    select
        fiscal_quarter, opportunity_type, starting_pipeline, closed_won_target,
        ending_pipeline_target, required_new_pipeline_simple, required_new_pipeline
    from fct_pipeline_plan
    where quarter_status = 'future'
        and quarter_start_date in (
            select distinct quarter_start_date from fct_pipeline_plan
            where quarter_status = 'future' order by quarter_start_date limit 4
        )
    order by quarter_start_date, opportunity_type = 'all', opportunity_type
"""


def _money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _plan_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The plan worked backwards for the next four quarters with targets."""
    tables = con.execute(
        "select count(*) from information_schema.tables where table_name = 'fct_pipeline_plan'"
    ).fetchone()[0]
    rows = con.execute(PLAN_QUERY).fetchall() if tables else []
    if not rows:
        return ["pipeline plan: no targets for future quarters (seeds/pipeline_targets.csv)"]
    header = ("quarter", "type", "starting", "won target", "end target", "new 3-2-1", "new req.")
    lines = ["pipeline plan, next four quarters (required new pipeline = 3-2-1-6-5=4):"]
    lines.append("  " + " ".join(f"{h:>12}" for h in header))
    for row in rows:
        cells = [f"{row[0]:>12}", f"{row[1]:>12}"] + [f"{_money(v):>12}" for v in row[2:7]]
        lines.append("  " + " ".join(cells))
    return lines


def summarize(warehouse: Path) -> str:
    """The summary text for a built warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    lines = [f"warehouse: {warehouse}"]
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_name like 'fct_%' or table_name like 'audit_%' order by 1"
        ).fetchall()
    ]
    for table in tables:
        count = con.execute(f'select count(*) from "{table}"').fetchone()[0]
        lines.append(f"  {table:<40} {count:>9,} rows")
    rejected = con.execute(
        "select source_object, rejection_reason, count(*) from audit_rejected_rows "
        "group by all order by 1, 2"
    ).fetchall()
    lines.append("rejected raw rows (see audit_rejected_rows):" + ("" if rejected else " none"))
    lines += [f"  {obj:<26} {reason:<32} {n:>6}" for obj, reason, n in rejected]
    header = ("quarter", "starting", "new", "value chg", "won", "lost", "ending")
    lines.append("pipeline waterfall, all opportunity types (corporate currency):")
    lines.append("  " + " ".join(f"{h:>12}" for h in header))
    for row in reversed(con.execute(WATERFALL_QUERY).fetchall()):
        label = row[0] + ("" if row[7] else "*")
        lines.append("  " + " ".join([f"{label:>12}"] + [f"{_money(v):>12}" for v in row[1:7]]))
    lines.append("  (* = quarter still in progress)")
    lines += _plan_lines(con)
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: summary.py WAREHOUSE.duckdb", file=sys.stderr)
        return 2
    print(summarize(Path(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
