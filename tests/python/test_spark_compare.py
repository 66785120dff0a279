"""The Spark-vs-DuckDB comparison itself (scripts/spark_compare.py): it must see a one-cent
difference, a missing row, a duplicated row and a renamed column, and pair floats that differ
only in the last bits. Plain Python: runs without pyspark."""

from __future__ import annotations

import sys
from decimal import Decimal

from conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
from spark_compare import compare_tables  # noqa: E402

COLUMNS = ["quarter_start_date", "opportunity_type", "closed_won", "win_rate"]
ROWS = [
    ("2026-01-01", "acquisition", Decimal("1234.560000"), 0.25),
    ("2026-01-01", "upsell", Decimal("99.990000"), 1 / 3),
    ("2026-04-01", "upsell", Decimal("0.000001"), None),
]


def test_equal_tables_in_any_row_order_and_column_order_compare_equal() -> None:
    spark_columns = list(reversed(COLUMNS))
    spark_rows = [tuple(reversed(row)) for row in reversed(ROWS)]
    entry = compare_tables("fct_x", COLUMNS, ROWS, spark_columns, spark_rows)
    assert entry["equal"], entry
    assert entry["rows_duckdb"] == entry["rows_spark"] == 3


def test_decimals_compare_by_value_not_scale() -> None:
    spark_rows = [(*row[:2], row[2].quantize(Decimal("0.01")), row[3]) for row in ROWS[:2]]
    assert compare_tables("fct_x", COLUMNS, ROWS[:2], COLUMNS, spark_rows)["equal"]


def test_one_cent_off_is_a_difference() -> None:
    spark_rows = [ROWS[0], (*ROWS[1][:2], Decimal("99.980000"), ROWS[1][3]), ROWS[2]]
    entry = compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, spark_rows)
    assert not entry["equal"]
    assert entry["rows_only_duckdb"] == entry["rows_only_spark"] == 1
    assert entry["only_spark"][0][2] == "99.98"


def test_one_micro_unit_off_is_a_difference() -> None:
    spark_rows = [ROWS[0], ROWS[1], (*ROWS[2][:2], Decimal("0.000002"), None)]
    assert not compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, spark_rows)["equal"]


def test_floats_within_tolerance_pair_off_but_not_beyond() -> None:
    close = [ROWS[0], (*ROWS[1][:3], 0.333333333333334), ROWS[2]]
    assert compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, close)["equal"]
    far = [ROWS[0], (*ROWS[1][:3], 0.3334), ROWS[2]]
    assert not compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, far)["equal"]


def test_missing_and_duplicated_rows_are_differences() -> None:
    assert not compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, ROWS[:2])["equal"]
    doubled = [ROWS[0], ROWS[0], ROWS[1]]
    entry = compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, doubled)
    assert not entry["equal"]
    assert entry["rows_spark"] == 3


def test_null_against_a_value_is_a_difference() -> None:
    spark_rows = [ROWS[0], ROWS[1], (*ROWS[2][:3], 0.0)]
    assert not compare_tables("fct_x", COLUMNS, ROWS, COLUMNS, spark_rows)["equal"]


def test_renamed_column_is_a_difference() -> None:
    entry = compare_tables("fct_x", COLUMNS, ROWS, [*COLUMNS[:3], "win_ratio"], ROWS)
    assert not entry["equal"]
    assert entry["only_duckdb"] == ["win_rate"]
    assert entry["only_spark"] == ["win_ratio"]
