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


def _money(value: Decimal) -> str:
    return f"{value:,.0f}"


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
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: summary.py WAREHOUSE.duckdb", file=sys.stderr)
        return 2
    print(summarize(Path(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
