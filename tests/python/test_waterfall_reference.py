"""Hand-computed examples for the plain-Python waterfall reference (issue 5 rules).

Each test builds a tiny raw export, runs the reference and compares its movement rows with
amounts worked out by hand. Quarters are calendar quarters (fiscal year starting in January)
and the window is four quarters unless a test says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import write_raw_export
from reference.waterfall import (
    AMOUNT_COLUMNS,
    VALUE_CHANGE_SUB_ELEMENTS,
    RateRow,
    RateTable,
    WaterfallConfig,
    WaterfallResult,
    add_quarters,
    compute_waterfall,
    load_opportunities,
    quarter_start_of,
)

Q4_23 = date(2023, 10, 1)
Q1_24 = date(2024, 1, 1)
Q2_24 = date(2024, 4, 1)

Step = tuple[str, str | None, str | None, str | None]  # when, stage, amount, close date


def ts(day: str, clock: str = "12:00:00.000") -> str:
    return f"{day}T{clock}Z"


@dataclass
class Export:
    """Builds the raw CSV tables of a small test case."""

    opportunities: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    rates: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        opportunity_id: str,
        steps: list[Step],
        type_: str = "New Business",
        currency: str = "USD",
        deleted: bool = False,
        current: tuple[str | None, str | None, str | None] | None = None,
        last_modified: str | None = None,
    ) -> None:
        for index, (when, stage, amount, close) in enumerate(steps, start=1):
            self.history.append(
                {
                    "Id": f"{opportunity_id}-h{index:02d}",
                    "OpportunityId": opportunity_id,
                    "CreatedDate": when,
                    "StageName": stage,
                    "Amount": amount,
                    "CloseDate": close,
                    "IsDeleted": "false",
                }
            )
        stage, amount, close = current if current is not None else steps[-1][1:]
        self.opportunities.append(
            {
                "Id": opportunity_id,
                "Name": opportunity_id,
                "Type": type_,
                "StageName": stage,
                "Amount": amount,
                "CurrencyIsoCode": currency,
                "CloseDate": close,
                "CreatedDate": steps[0][0],
                "LastModifiedDate": last_modified or steps[-1][0],
                "IsDeleted": "true" if deleted else "false",
            }
        )

    def rate(self, iso: str, rate: str, start: str, next_start: str | None) -> None:
        self.rates.append(
            {
                "IsoCode": iso,
                "ConversionRate": rate,
                "StartDate": start,
                "NextStartDate": next_start,
            }
        )

    def compute(self, directory: Path, as_of: date, **config: Any) -> WaterfallResult:
        tables: dict[str, list[dict[str, Any]]] = {
            "opportunity": self.opportunities,
            "opportunity_history": self.history,
        }
        if self.rates:
            tables["dated_conversion_rate"] = self.rates
        write_raw_export(directory, tables)
        return compute_waterfall(directory, WaterfallConfig(as_of_date=as_of, **config))


Move = tuple[date, str, str, Decimal]


def moves(result: WaterfallResult, opportunity_id: str) -> list[Move]:
    return sorted(
        (m.quarter_start_date, m.element, m.sub_element, m.amount)
        for m in result.movements
        if m.opportunity_id == opportunity_id
    )


def expect(*rows: tuple[date, str, str, str]) -> list[Move]:
    return sorted(
        (quarter, element, sub, Decimal(amount)) for quarter, element, sub, amount in rows
    )


def start(quarter: date, amount: str, split: str = "this_quarter") -> tuple[date, str, str, str]:
    return (quarter, "starting_pipeline", split, amount)


def end(quarter: date, amount: str, split: str = "this_quarter") -> tuple[date, str, str, str]:
    return (quarter, "ending_pipeline", split, amount)


def change(quarter: date, sub: str, amount: str) -> tuple[date, str, str, str]:
    return (quarter, "value_change", sub, amount)


def element(quarter: date, name: str, amount: str) -> tuple[date, str, str, str]:
    return (quarter, name, name, amount)


def assert_reconciles(result: WaterfallResult) -> None:
    """Identity, breakdown, splits and the chain ending(Q) = starting(Q+1), exactly."""
    for (quarter, type_), row in result.waterfall.items():
        amounts = {column: row[column] for column in AMOUNT_COLUMNS}
        assert all(isinstance(value, Decimal) for value in amounts.values())
        identity = (
            amounts["starting_pipeline"]
            + amounts["new_pipeline"]
            + amounts["value_change"]
            - amounts["closed_won"]
            - amounts["closed_lost"]
        )
        assert identity == amounts["ending_pipeline"], (quarter, type_, row)
        assert sum(amounts[c] for c in VALUE_CHANGE_SUB_ELEMENTS) == amounts["value_change"]
        assert (
            amounts["starting_pipeline_this_quarter"] + amounts["starting_pipeline_later_quarters"]
            == amounts["starting_pipeline"]
        )
        assert (
            amounts["ending_pipeline_this_quarter"] + amounts["ending_pipeline_later_quarters"]
            == amounts["ending_pipeline"]
        )
        for column in ("starting_pipeline", "new_pipeline", "closed_won", "closed_lost"):
            assert amounts[column] >= 0
        for column in ("value_decrease", "pushed_out", "slipped", "removed"):
            assert amounts[column] <= 0
        following = (add_quarters(quarter, 1), type_)
        if following in result.waterfall:
            assert row["is_complete"] is True
            next_row = result.waterfall[following]
            assert row["ending_pipeline"] == next_row["starting_pipeline"]
            assert row["ending_opportunities"] == next_row["starting_opportunities"]
        else:
            assert row["is_complete"] is False


# --------------------------------------------------------------------------------------------
# one test per classification rule
# --------------------------------------------------------------------------------------------


def test_new_pipeline(tmp_path: Path) -> None:
    export = Export()
    export.add("new", [(ts("2024-02-10"), "Qualification", "1000", "2024-06-30")])
    result = export.compute(tmp_path, date(2024, 5, 15))
    assert result.quarters == [Q1_24, Q2_24]
    assert moves(result, "new") == expect(
        element(Q1_24, "new_pipeline", "1000"),
        end(Q1_24, "1000"),  # closes in Q2, the quarter after Q1
        start(Q2_24, "1000"),
        end(Q2_24, "1000"),  # incomplete quarter: against its own quarter
    )
    row = result.waterfall[(Q1_24, "acquisition")]
    assert row["new_opportunities"] == 1 and row["ending_opportunities"] == 1
    assert_reconciles(result)


def test_pushed_out_and_pulled_back_in_within_a_quarter(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "push",
        [
            (ts("2023-12-01"), "Qualification", "500", "2024-03-15"),
            (ts("2024-01-10"), "Qualification", "500", "2025-06-30"),  # beyond W(Q1)
            (ts("2024-02-10"), "Qualification", "500", "2024-09-30"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 4, 1))
    assert moves(result, "push") == expect(
        element(Q4_23, "new_pipeline", "500"),
        end(Q4_23, "500"),
        start(Q1_24, "500"),
        change(Q1_24, "pushed_out", "-500"),
        change(Q1_24, "pulled_in", "500"),
        end(Q1_24, "500", "later_quarters"),
        start(Q2_24, "500", "later_quarters"),
        end(Q2_24, "500", "later_quarters"),
    )
    assert_reconciles(result)


def test_won_with_amount_change(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "won",
        [
            (ts("2023-11-15"), "Proposal/Price Quote", "1000", "2024-02-15"),
            (ts("2024-02-01"), "Closed Won", "1200", "2024-02-01"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 3, 31))
    assert moves(result, "won") == expect(
        element(Q4_23, "new_pipeline", "1000"),
        end(Q4_23, "1000"),
        start(Q1_24, "1000"),
        change(Q1_24, "value_increase", "200"),
        element(Q1_24, "closed_won", "1200"),
    )
    assert result.waterfall[(Q1_24, "acquisition")]["won_opportunities"] == 1
    assert_reconciles(result)


def test_lost_with_amount_zeroed_counts_the_amount_before(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "lost",
        [
            (ts("2023-11-15"), "Negotiation/Review", "800", "2024-03-20"),
            (ts("2024-02-01"), "Closed Lost", "0", "2024-02-01"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 3, 31))
    assert moves(result, "lost") == expect(
        element(Q4_23, "new_pipeline", "800"),
        end(Q4_23, "800"),
        start(Q1_24, "800"),
        element(Q1_24, "closed_lost", "800"),  # no value_decrease for the zeroed amount
    )
    assert_reconciles(result)


def test_reopened_after_lost(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "reopen",
        [
            (ts("2023-10-15"), "Qualification", "300", "2024-01-31"),
            (ts("2023-11-20"), "Closed Lost", "300", "2024-01-31"),
            (ts("2024-01-15"), "Negotiation/Review", "300", "2024-03-31"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 2, 15))
    assert moves(result, "reopen") == expect(
        element(Q4_23, "new_pipeline", "300"),
        element(Q4_23, "closed_lost", "300"),
        change(Q1_24, "reopened", "300"),  # not new: first reached pipeline in Q4
        end(Q1_24, "300"),
    )
    assert_reconciles(result)


def test_deleted_is_removed(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "gone",
        [(ts("2023-11-01"), "Needs Analysis", "400", "2024-06-30")],
        deleted=True,
        last_modified=ts("2024-01-20"),
    )
    result = export.compute(tmp_path, date(2024, 2, 1))
    assert moves(result, "gone") == expect(
        element(Q4_23, "new_pipeline", "400"),
        end(Q4_23, "400", "later_quarters"),
        start(Q1_24, "400", "later_quarters"),
        change(Q1_24, "removed", "-400"),
    )
    assert_reconciles(result)


def test_regressed_to_pre_pipeline_then_requalified(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "back",
        [
            (ts("2023-11-01"), "Qualification", "250", "2024-03-31"),
            (ts("2024-01-15"), "Prospecting", "250", "2024-03-31"),
            (ts("2024-02-15"), "Qualification", "250", "2024-03-31"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 3, 1))
    assert moves(result, "back") == expect(
        element(Q4_23, "new_pipeline", "250"),
        end(Q4_23, "250"),
        start(Q1_24, "250"),
        change(Q1_24, "removed", "-250"),
        change(Q1_24, "reopened", "250"),
        end(Q1_24, "250"),
    )
    assert_reconciles(result)


def test_unmapped_stage_counts_as_pre_pipeline(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "odd",
        [
            (ts("2024-01-10"), "Qualification", "100", "2024-03-31"),
            (ts("2024-02-10"), "Some Custom Stage", "100", "2024-03-31"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 3, 1))
    assert moves(result, "odd") == expect(
        element(Q1_24, "new_pipeline", "100"),
        change(Q1_24, "removed", "-100"),
    )


def test_created_already_won(tmp_path: Path) -> None:
    export = Export()
    export.add("instant", [(ts("2024-02-01"), "Closed Won", "900", "2024-02-01")])
    export.add("nothing", [(ts("2024-02-02"), "Closed Won", None, "2024-02-02")])
    result = export.compute(tmp_path, date(2024, 3, 1))
    assert moves(result, "instant") == expect(
        element(Q1_24, "new_pipeline", "900"),
        element(Q1_24, "closed_won", "900"),
    )
    # a win without amount still emits a (zero) closed_won row, so it is counted
    assert moves(result, "nothing") == expect(element(Q1_24, "closed_won", "0"))
    row = result.waterfall[(Q1_24, "acquisition")]
    assert row["won_opportunities"] == 2 and row["new_opportunities"] == 1
    assert_reconciles(result)


def test_past_due_slips_at_quarter_end(tmp_path: Path) -> None:
    export = Export()
    export.add("late", [(ts("2024-01-05"), "Qualification", "700", "2024-02-15")])
    result = export.compute(tmp_path, date(2024, 4, 10))
    assert moves(result, "late") == expect(
        element(Q1_24, "new_pipeline", "700"),
        change(Q1_24, "slipped", "-700"),
    )
    assert result.waterfall[(Q2_24, "acquisition")]["starting_pipeline"] == 0
    assert_reconciles(result)


def test_roll_in_at_quarter_end(tmp_path: Path) -> None:
    export = Export()
    export.add("far", [(ts("2024-01-05"), "Qualification", "600", "2025-02-10")])
    result = export.compute(tmp_path, date(2024, 4, 10))
    assert moves(result, "far") == expect(
        change(Q1_24, "rolled_in", "600"),  # Q1 2025 enters the window of Q2 2024
        end(Q1_24, "600", "later_quarters"),
        start(Q2_24, "600", "later_quarters"),
        end(Q2_24, "600", "later_quarters"),
    )
    assert_reconciles(result)


def test_two_currencies_with_a_rate_change(tmp_path: Path) -> None:
    export = Export()
    export.rate("EUR", "0.8", "2023-10-01", "2024-01-01")
    export.rate("EUR", "0.9", "2024-01-01", "2024-04-01")
    export.rate("EUR", "1.0", "2024-04-01", None)
    export.rate("GBP", "0.3", "2023-01-01", None)
    export.add(
        "eur",
        [
            (ts("2023-11-01"), "Qualification", "900", "2024-05-15"),
            (ts("2024-02-01"), "Qualification", "990", "2024-05-15"),
        ],
        currency="EUR",
    )
    export.add(
        "gbp",
        [
            (ts("2024-01-10"), "Qualification", "100", "2024-03-31"),
            (ts("2024-02-10"), "Qualification", "200", "2024-03-31"),
        ],
        currency="GBP",
    )
    export.add("usd", [(ts("2024-01-10"), "Qualification", "50", "2024-12-31")])
    result = export.compute(tmp_path, date(2024, 4, 15))
    assert moves(result, "eur") == expect(
        element(Q4_23, "new_pipeline", "1125"),  # 900 / 0.8
        change(Q4_23, "fx_revaluation", "-125"),  # 900 / 0.9 - 1125
        end(Q4_23, "1000", "later_quarters"),
        start(Q1_24, "1000", "later_quarters"),
        change(Q1_24, "value_increase", "100"),  # 990 / 0.9 - 1000
        change(Q1_24, "fx_revaluation", "-110"),  # 990 / 1.0 - 1100
        end(Q1_24, "990"),
        start(Q2_24, "990"),
        end(Q2_24, "990"),
    )
    # each state is converted once and rounded to 6 dp: 333.333333, then 666.666667
    assert moves(result, "gbp") == expect(
        element(Q1_24, "new_pipeline", "333.333333"),
        change(Q1_24, "value_increase", "333.333334"),
        change(Q1_24, "slipped", "-666.666667"),
    )
    assert moves(result, "usd") == expect(
        element(Q1_24, "new_pipeline", "50"),
        end(Q1_24, "50", "later_quarters"),
        start(Q2_24, "50", "later_quarters"),
        end(Q2_24, "50", "later_quarters"),
    )
    assert result.rounding_ties == set()
    assert_reconciles(result)


# --------------------------------------------------------------------------------------------
# the timeline: current record, deletion, ordering, boundaries, as_of cut-off
# --------------------------------------------------------------------------------------------


def test_current_record_differing_from_history_is_one_more_state(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "bump",
        [(ts("2024-01-10"), "Qualification", "100", "2024-03-31")],
        current=("Qualification", "150.00", "2024-03-31"),
        last_modified=ts("2024-02-01"),
    )
    export.add(
        "same",  # 100.00 equals 100 as a decimal: no extra state
        [(ts("2024-01-10"), "Qualification", "100", "2024-03-31")],
        current=("Qualification", "100.00", "2024-03-31"),
        last_modified=ts("2024-02-01"),
    )
    export.add(
        "early",  # LastModifiedDate before the last history row: just after that row
        [(ts("2024-01-10"), "Qualification", "100", "2024-03-31")],
        current=("Closed Won", "100", "2024-03-31"),
        last_modified=ts("2024-01-05"),
    )
    result = export.compute(tmp_path, date(2024, 3, 1))
    assert moves(result, "bump") == expect(
        element(Q1_24, "new_pipeline", "100"),
        change(Q1_24, "value_increase", "50"),
        end(Q1_24, "150"),
    )
    assert moves(result, "same") == expect(element(Q1_24, "new_pipeline", "100"), end(Q1_24, "100"))
    assert moves(result, "early") == expect(
        element(Q1_24, "new_pipeline", "100"),
        element(Q1_24, "closed_won", "100"),
    )
    states = {o.opportunity_id: o.states for o in load_opportunities(tmp_path, _config())}
    assert [s.valid_from for s in states["early"]] == [
        datetime(2024, 1, 10, 12),
        datetime(2024, 1, 10, 12, 0, 0, 1),
    ]
    assert len(states["same"]) == 1


def test_opportunity_without_history_exists_from_created_date(tmp_path: Path) -> None:
    export = Export()
    export.opportunities.append(
        {
            "Id": "bare",
            "Type": "Renewal",
            "StageName": "Negotiation",
            "Amount": "75.5",
            "CloseDate": "2024-02-29",
            "CreatedDate": ts("2024-01-20"),
            "LastModifiedDate": ts("2024-02-20"),
            "IsDeleted": "false",
        }
    )
    result = export.compute(tmp_path, date(2024, 2, 29))
    assert moves(result, "bare") == expect(
        element(Q1_24, "new_pipeline", "75.5"), end(Q1_24, "75.5")
    )
    assert result.opportunity_types == ["retention"]


def test_same_timestamp_rows_are_ordered_by_id(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "tie",
        [
            (ts("2024-01-10"), "Qualification", "100", "2024-03-31"),
            (ts("2024-02-01", "00:00:00.000"), "Closed Lost", "100", "2024-03-31"),
            (ts("2024-02-01", "00:00:00.000"), "Qualification", "100", "2024-03-31"),
        ],
    )
    export.history.reverse()  # file order must not matter
    result = export.compute(tmp_path, date(2024, 3, 1))
    assert moves(result, "tie") == expect(
        element(Q1_24, "new_pipeline", "100"),
        element(Q1_24, "closed_lost", "100"),
        change(Q1_24, "reopened", "100"),
        end(Q1_24, "100"),
    )
    collapsed = compute_waterfall(
        tmp_path, WaterfallConfig(as_of_date=date(2024, 3, 1), collapse_same_instant=True)
    )
    assert moves(collapsed, "tie") == expect(
        element(Q1_24, "new_pipeline", "100"), end(Q1_24, "100")
    )


def test_event_at_the_quarter_start_instant_belongs_to_the_new_quarter(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "edge",
        [
            (ts("2024-02-01"), "Qualification", "100", "2024-05-31"),
            (ts("2024-04-01", "00:00:00.000"), "Qualification", "100", "2025-06-30"),
        ],
    )
    result = export.compute(tmp_path, date(2024, 4, 1))
    assert moves(result, "edge") == expect(
        element(Q1_24, "new_pipeline", "100"),
        end(Q1_24, "100"),
        start(Q2_24, "100"),
        change(Q2_24, "pushed_out", "-100"),
    )


def test_as_of_date_cuts_off_later_states(tmp_path: Path) -> None:
    export = Export()
    export.add(
        "cut",
        [
            (ts("2024-01-10"), "Qualification", "100", "2024-03-31"),
            (ts("2024-02-15", "23:59:59.999"), "Qualification", "120", "2024-03-31"),
            (ts("2024-02-16", "00:00:00.000"), "Closed Won", "120", "2024-03-31"),
        ],
    )
    export.add("future", [(ts("2024-05-01"), "Qualification", "5", "2024-06-30")], type_="Upsell")
    result = export.compute(tmp_path, date(2024, 2, 15))
    assert moves(result, "cut") == expect(
        element(Q1_24, "new_pipeline", "100"),
        change(Q1_24, "value_increase", "20"),
        end(Q1_24, "120"),
    )
    assert moves(result, "future") == []
    assert result.quarters == [Q1_24]
    # every mapped type of the export gets a row, zeros included
    assert set(result.waterfall) == {(Q1_24, "acquisition"), (Q1_24, "upsell")}
    assert result.waterfall[(Q1_24, "upsell")]["ending_pipeline"] == 0


def test_types_map_and_unknown(tmp_path: Path) -> None:
    export = Export()
    for index, crm_type in enumerate(["New Business", "Renewal", "Upsell", "Cross-sell", "", "X"]):
        export.add(f"t{index}", [(ts("2024-01-10"), "Qualification", "1", "2024-03-31")], crm_type)
    result = export.compute(tmp_path, date(2024, 1, 31))
    assert result.opportunity_types == [
        "acquisition",
        "cross_sell",
        "retention",
        "unknown",
        "upsell",
    ]
    assert result.waterfall[(Q1_24, "unknown")]["new_opportunities"] == 2


# --------------------------------------------------------------------------------------------
# building blocks
# --------------------------------------------------------------------------------------------


def _config() -> WaterfallConfig:
    return WaterfallConfig(as_of_date=date(2024, 3, 1))


@pytest.mark.parametrize(
    ("day", "start_month", "expected"),
    [
        (date(2024, 1, 15), 1, date(2024, 1, 1)),
        (date(2024, 12, 31), 1, date(2024, 10, 1)),
        (date(2024, 1, 15), 2, date(2023, 11, 1)),
        (date(2024, 2, 1), 2, date(2024, 2, 1)),
        (date(2024, 3, 31), 3, date(2024, 3, 1)),
        (date(2024, 2, 29), 4, date(2024, 1, 1)),
    ],
)
def test_quarter_start_of(day: date, start_month: int, expected: date) -> None:
    assert quarter_start_of(day, start_month) == expected


def test_fiscal_year_start_month_moves_the_quarters(tmp_path: Path) -> None:
    export = Export()
    export.add("fy", [(ts("2024-01-10"), "Qualification", "10", "2024-01-20")])
    result = export.compute(tmp_path, date(2024, 2, 5), fiscal_year_start_month=2)
    assert result.quarters == [date(2023, 11, 1), date(2024, 2, 1)]
    assert moves(result, "fy") == expect(
        element(date(2023, 11, 1), "new_pipeline", "10"),
        change(date(2023, 11, 1), "slipped", "-10"),
    )


def test_rate_lookup_rules() -> None:
    rows = [
        RateRow("EUR", Decimal("0.8"), date(2024, 1, 1), date(2024, 2, 1)),
        RateRow("EUR", Decimal("0.9"), date(2024, 4, 1), date(2024, 7, 1)),
    ]
    table = RateTable(corporate_currency="USD", rows={"EUR": rows})
    assert table.rate_for("EUR", date(2024, 1, 1)) == Decimal("0.8")  # covering row
    assert table.rate_for("EUR", date(2024, 3, 1)) == Decimal("0.8")  # gap: latest started
    assert table.rate_for("EUR", date(2024, 10, 1)) == Decimal("0.9")  # after the last row
    assert table.rate_for("EUR", date(2023, 1, 1)) == Decimal("0.8")  # before all: earliest
    assert table.rate_for("USD", date(2024, 1, 1)) == Decimal(1)
    assert table.convert(None, Decimal("0.8")) == 0
    assert str(table.convert(Decimal("10.01"), Decimal("3"))) == "3.336667"


def test_rounding_ties_are_reported() -> None:
    table = RateTable(corporate_currency="USD")
    assert str(table.convert(Decimal("0.01"), Decimal("1.28"))) == "0.007812"  # 0.0078125
    assert table.rounding_ties == {(Decimal("0.01"), Decimal("1.28"))}
    # the reference can round half-up too; the models round half-even (as the default above)
    half_up = RateTable(corporate_currency="USD", rounding=ROUND_HALF_UP)
    assert str(half_up.convert(Decimal("0.01"), Decimal("1.28"))) == "0.007813"
    assert str(half_up.convert(Decimal("-0.01"), Decimal("1.28"))) == "-0.007813"


def test_all_cases_together_reconcile(tmp_path: Path) -> None:
    export = Export()
    export.rate("EUR", "0.8", "2023-10-01", "2024-01-01")
    export.rate("EUR", "0.9", "2024-01-01", None)
    export.add(
        "a",
        [
            (ts("2023-10-05"), "Prospecting", None, None),
            (ts("2023-11-01"), "Qualification", "100", "2024-02-01"),
            (ts("2024-01-01", "00:00:00.000"), "Qualification", "100", "2024-12-31"),
            (ts("2024-03-01"), "Closed Won", "130", "2024-03-01"),
        ],
        currency="EUR",
    )
    export.add(
        "b",
        [
            (ts("2023-12-01"), "Value Proposition", "0", "2024-01-15"),
            (ts("2024-01-20"), "Value Proposition", "40", "2024-01-15"),
        ],
        type_="Renewal",
    )
    export.add(
        "c",
        [
            (ts("2023-10-20"), "Id. Decision Makers", "60", "2024-11-30"),
            (ts("2024-04-03"), "Closed Lost", "60", "2024-04-03"),
        ],
        type_="Upsell",
        deleted=True,
        last_modified=ts("2024-04-04"),
    )
    result = export.compute(tmp_path, date(2024, 5, 1))
    assert moves(result, "a") == expect(
        element(Q4_23, "new_pipeline", "125"),  # 100 / 0.8
        change(Q4_23, "fx_revaluation", "-13.888889"),  # 111.111111 - 125
        end(Q4_23, "111.111111"),
        start(Q1_24, "111.111111"),
        change(Q1_24, "value_increase", "33.333333"),  # 144.444444 - 111.111111
        element(Q1_24, "closed_won", "144.444444"),
    )
    assert moves(result, "b") == expect(
        change(Q1_24, "value_increase", "40"),  # amount from 0 with the close date in window
        change(Q1_24, "slipped", "-40"),
    )
    assert moves(result, "c") == expect(
        change(Q4_23, "rolled_in", "60"),
        end(Q4_23, "60", "later_quarters"),
        start(Q1_24, "60", "later_quarters"),
        end(Q1_24, "60", "later_quarters"),
        start(Q2_24, "60", "later_quarters"),
        element(Q2_24, "closed_lost", "60"),
    )
    assert_reconciles(result)
