"""Plain-Python reference for the six-element pipeline waterfall (issue 5).

It re-implements the issue's "Rules (exact...)" section from the raw CSV exports, without
looking at the dbt models, so a property test can compare both. Standard library only;
amounts are ``decimal.Decimal`` throughout (never floats).

Where the issue is silent it follows the decisions agreed with the model authors:

1. States are ordered by CreatedDate, then history Id; every history row is one state (rows
   with the same CreatedDate are consecutive states, unless ``collapse_same_instant``). The
   current record is one more state when its StageName (raw string), Amount (as decimal) or
   CloseDate differ from the last history row, effective at
   ``max(LastModifiedDate, last history CreatedDate + 1 microsecond)``. Without history rows
   the current record is the only state, from the opportunity's CreatedDate.
2. ``IsDeleted = true`` on the opportunity adds a deletion state (attributes of the last state)
   at ``max(LastModifiedDate, last state + 1 microsecond)``. History rows' IsDeleted is ignored.
3. Currency is the current record's CurrencyIsoCode (empty = corporate). The rate for quarter Q
   is the row covering Q's first day (StartDate <= day < NextStartDate, empty = open-ended),
   else the latest StartDate <= day, else the earliest row; corporate currency or no rates
   file: 1. Converted amount = amount / rate quantized to 6 dp (ROUND_HALF_EVEN; see
   ``WaterfallConfig.rounding``; half-way quotients are recorded in ``rounding_ties``). Null = 0.
4. Only states effective before ``as_of_date + 1 day`` exist. Quarters run from the quarter of
   the earliest state through the quarter containing ``as_of_date`` (incomplete: its ending
   is the pipeline at the cutoff under its own window and rate, no roll rows).
5. Movement amounts: closed_won and closed_lost positive, value_change signed; zero-amount rows
   are dropped except closed_won (every win emits a row); closed_lost only when before != 0.
6. Waterfall: one row per quarter x type (all mapped types of all opportunities), sums of the
   movement rows plus distinct-opportunity counts per element.
7. Fiscal quarters start in months congruent to ``fiscal_year_start_month - 1`` (mod 3).

Precedence choices of this reference where the issue leaves room (see the report of the
property test if the models differ):

* an "entry" needs a non-zero entering amount (a won event entering with amount 0 is not an
  entry, so it does not use up the quarter's ``new_pipeline``);
* "having been qualified before" (for ``reopened``) means an earlier state in an open pipeline
  stage or closed won;
* "first reached a pipeline or won stage" looks at all of the opportunity's states.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path

SIX_DP = Decimal("0.000001")
ZERO = Decimal("0.000000")
ONE_MICROSECOND = timedelta(microseconds=1)

# canonical stage -> stage class
PRE = "pre_pipeline"
OPEN = "open"
WON = "won"
LOST = "lost"

CANONICAL_STAGE_CLASS: dict[str, str] = {
    "targeted": PRE,
    "engaged": PRE,
    "prioritized": PRE,
    "qualified": OPEN,
    "solution": OPEN,
    "proposal": OPEN,
    "negotiation": OPEN,
    "closed_won": WON,
    "closed_lost": LOST,
}

CRM_STAGE_TO_CANONICAL: dict[str, str] = {
    "prospecting": "engaged",
    "qualification": "qualified",
    "needs analysis": "solution",
    "value proposition": "solution",
    "id. decision makers": "solution",
    "perception analysis": "solution",
    "proposal/price quote": "proposal",
    "negotiation/review": "negotiation",
    "closed won": "closed_won",
    "closed lost": "closed_lost",
    **{name: name for name in CANONICAL_STAGE_CLASS},
}

CRM_TYPE_TO_OPPORTUNITY_TYPE: dict[str, str] = {
    "new business": "acquisition",
    "renewal": "retention",
    "upsell": "upsell",
    "cross-sell": "cross_sell",
}

ELEMENTS = (
    "starting_pipeline",
    "new_pipeline",
    "value_change",
    "closed_won",
    "closed_lost",
    "ending_pipeline",
)
VALUE_CHANGE_SUB_ELEMENTS = (
    "value_increase",
    "value_decrease",
    "pulled_in",
    "pushed_out",
    "rolled_in",
    "slipped",
    "reopened",
    "removed",
    "fx_revaluation",
)
SPLIT_COLUMNS = (
    "starting_pipeline_this_quarter",
    "starting_pipeline_later_quarters",
    "ending_pipeline_this_quarter",
    "ending_pipeline_later_quarters",
)
AMOUNT_COLUMNS = ELEMENTS + VALUE_CHANGE_SUB_ELEMENTS + SPLIT_COLUMNS
COUNT_COLUMNS = {
    "starting_opportunities": "starting_pipeline",
    "new_opportunities": "new_pipeline",
    "won_opportunities": "closed_won",
    "lost_opportunities": "closed_lost",
    "ending_opportunities": "ending_pipeline",
}

WaterfallRow = dict[str, Decimal | int | bool]
WaterfallKey = tuple[date, str]


# --------------------------------------------------------------------------------------------
# configuration and small parsers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterfallConfig:
    as_of_date: date
    corporate_currency: str = "USD"
    fiscal_year_start_month: int = 1
    pipeline_window_quarters: int = 4
    # True: rows sharing a CreatedDate collapse to the last one (the state "at time t").
    collapse_same_instant: bool = False
    # Rounding of converted amounts to 6 dp (the models round half-even too). Only exact
    # half-way quotients (recorded in rounding_ties) depend on it.
    rounding: str = ROUND_HALF_EVEN


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    return value if value.strip() != "" else None


def parse_timestamp(value: str | None) -> datetime | None:
    """Parse ``2024-03-31T23:59:59.000Z`` / ``...+0000`` / a bare date to a naive UTC datetime."""
    text = _blank_to_none(value)
    if text is None:
        return None
    text = text.strip().replace(" ", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = text[:-2] + ":" + text[-2:]
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        offset = parsed.utcoffset() or timedelta(0)
        parsed = (parsed - offset).replace(tzinfo=None)
    return parsed


def parse_date(value: str | None) -> date | None:
    text = _blank_to_none(value)
    return None if text is None else date.fromisoformat(text.strip()[:10])


def parse_amount(value: str | None) -> Decimal | None:
    text = _blank_to_none(value)
    return None if text is None else Decimal(text.strip())


def parse_bool(value: str | None) -> bool:
    text = _blank_to_none(value)
    return text is not None and text.strip().lower() in ("true", "1", "t", "yes")


def stage_class(stage_name: str | None) -> str:
    """Class of a CRM stage name; unmapped or empty names count as pre-pipeline."""
    if stage_name is None:
        return PRE
    canonical = CRM_STAGE_TO_CANONICAL.get(stage_name.strip().lower())
    return PRE if canonical is None else CANONICAL_STAGE_CLASS[canonical]


def opportunity_type(crm_type: str | None) -> str:
    if crm_type is None:
        return "unknown"
    return CRM_TYPE_TO_OPPORTUNITY_TYPE.get(crm_type.strip().lower(), "unknown")


# --------------------------------------------------------------------------------------------
# fiscal calendar
# --------------------------------------------------------------------------------------------


def add_quarters(quarter_start: date, quarters: int) -> date:
    month_index = quarter_start.year * 12 + quarter_start.month - 1 + 3 * quarters
    return date(month_index // 12, month_index % 12 + 1, 1)


def quarter_start_of(day: date, fiscal_year_start_month: int = 1) -> date:
    month_index = day.year * 12 + day.month - 1
    offset = (day.month - 1 - (fiscal_year_start_month - 1)) % 3
    month_index -= offset
    return date(month_index // 12, month_index % 12 + 1, 1)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


# --------------------------------------------------------------------------------------------
# currency
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    iso_code: str
    rate: Decimal
    start_date: date
    next_start_date: date | None


@dataclass
class RateTable:
    corporate_currency: str
    rounding: str = ROUND_HALF_EVEN
    rows: dict[str, list[RateRow]] = field(default_factory=dict)
    # (amount, rate) pairs whose exact quotient lies exactly halfway between two 6-dp values
    rounding_ties: set[tuple[Decimal, Decimal]] = field(default_factory=set)

    def rate_for(self, currency: str, day: date) -> Decimal:
        if currency == self.corporate_currency:
            return Decimal(1)
        rows = self.rows.get(currency)
        if not rows:
            return Decimal(1)
        covering = [
            row
            for row in rows
            if row.start_date <= day and (row.next_start_date is None or day < row.next_start_date)
        ]
        if covering:
            return max(covering, key=lambda row: row.start_date).rate
        started = [row for row in rows if row.start_date <= day]
        if started:
            return max(started, key=lambda row: row.start_date).rate
        return min(rows, key=lambda row: row.start_date).rate

    def convert(self, amount: Decimal | None, rate: Decimal) -> Decimal:
        if amount is None:
            return ZERO
        with localcontext() as context:
            context.prec = 80
            exact = amount / rate
            truncated = exact.quantize(SIX_DP, rounding=ROUND_DOWN)
            if abs(exact - truncated) == SIX_DP / 2:
                self.rounding_ties.add((amount, rate))
            return exact.quantize(SIX_DP, rounding=self.rounding)


def load_rates(
    raw_dir: Path, corporate_currency: str, rounding: str = ROUND_HALF_EVEN
) -> RateTable:
    table = RateTable(corporate_currency=corporate_currency.upper(), rounding=rounding)
    path = raw_dir / "dated_conversion_rate.csv"
    if not path.exists():
        return table
    for record in _read_csv(path):
        iso_code = _blank_to_none(record.get("IsoCode"))
        rate = parse_amount(record.get("ConversionRate"))
        start_date = parse_date(record.get("StartDate"))
        if iso_code is None or rate is None or start_date is None or rate == 0:
            continue
        row = RateRow(
            iso_code=iso_code.strip().upper(),
            rate=rate,
            start_date=start_date,
            next_start_date=parse_date(record.get("NextStartDate")),
        )
        table.rows.setdefault(row.iso_code, []).append(row)
    return table


# --------------------------------------------------------------------------------------------
# opportunity timeline
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    valid_from: datetime
    stage_name: str | None
    stage_class: str
    amount: Decimal | None
    close_date: date | None
    is_deleted: bool = False


@dataclass(frozen=True)
class Opportunity:
    opportunity_id: str
    opportunity_type: str
    currency: str
    states: tuple[State, ...]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _state(valid_from: datetime, record: dict[str, str], deleted: bool = False) -> State:
    stage_name = _blank_to_none(record.get("StageName"))
    return State(
        valid_from=valid_from,
        stage_name=stage_name,
        stage_class=stage_class(stage_name),
        amount=parse_amount(record.get("Amount")),
        close_date=parse_date(record.get("CloseDate")),
        is_deleted=deleted,
    )


def build_states(
    opportunity: dict[str, str], history: list[dict[str, str]], collapse_same_instant: bool
) -> list[State]:
    """All states of one opportunity in order (not yet cut at as_of_date)."""
    last_modified = parse_timestamp(opportunity.get("LastModifiedDate"))
    rows = sorted(
        (
            (timestamp, row.get("Id") or "", row)
            for row in history
            if (timestamp := parse_timestamp(row.get("CreatedDate"))) is not None
        ),
        key=lambda item: (item[0], item[1]),
    )
    states = [_state(timestamp, row) for timestamp, _, row in rows]
    if collapse_same_instant:
        states = [
            state
            for index, state in enumerate(states)
            if index + 1 == len(states) or states[index + 1].valid_from != state.valid_from
        ]
    current_without_time = _state(datetime.min, opportunity)
    if not states:
        created = parse_timestamp(opportunity.get("CreatedDate"))
        if created is None:
            return []
        states = [_state(created, opportunity)]
    else:
        last = states[-1]
        differs = (
            (current_without_time.stage_name != last.stage_name)
            or (current_without_time.amount != last.amount)
            or (current_without_time.close_date != last.close_date)
        )
        if differs:
            effective = last.valid_from + ONE_MICROSECOND
            if last_modified is not None and last_modified > effective:
                effective = last_modified
            states.append(_state(effective, opportunity))
    if parse_bool(opportunity.get("IsDeleted")):
        last = states[-1]
        effective = last.valid_from + ONE_MICROSECOND
        if last_modified is not None and last_modified > effective:
            effective = last_modified
        states.append(
            State(
                valid_from=effective,
                stage_name=last.stage_name,
                stage_class=last.stage_class,
                amount=last.amount,
                close_date=last.close_date,
                is_deleted=True,
            )
        )
    return states


def load_opportunities(raw_dir: Path, config: WaterfallConfig) -> list[Opportunity]:
    history_by_opportunity: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read_csv(raw_dir / "opportunity_history.csv"):
        opportunity_id = _blank_to_none(row.get("OpportunityId"))
        if opportunity_id is not None:
            history_by_opportunity[opportunity_id].append(row)
    opportunities = []
    for record in _read_csv(raw_dir / "opportunity.csv"):
        opportunity_id = _blank_to_none(record.get("Id"))
        if opportunity_id is None:
            continue
        currency = _blank_to_none(record.get("CurrencyIsoCode"))
        opportunities.append(
            Opportunity(
                opportunity_id=opportunity_id,
                opportunity_type=opportunity_type(_blank_to_none(record.get("Type"))),
                currency=(currency or config.corporate_currency).strip().upper(),
                states=tuple(
                    build_states(
                        record,
                        history_by_opportunity.get(opportunity_id, []),
                        config.collapse_same_instant,
                    )
                ),
            )
        )
    return opportunities


# --------------------------------------------------------------------------------------------
# movements
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    opportunity_id: str
    opportunity_type: str
    quarter_start_date: date
    element: str
    sub_element: str
    amount: Decimal


@dataclass
class WaterfallResult:
    movements: list[Movement]
    waterfall: dict[WaterfallKey, WaterfallRow]
    quarters: list[date]
    opportunity_types: list[str]
    rounding_ties: set[tuple[Decimal, Decimal]]


@dataclass(frozen=True)
class _Quarter:
    start: date
    next_start: date
    window_end: date  # exclusive
    rate: Decimal

    def in_window(self, state: State) -> bool:
        return state.close_date is not None and self.start <= state.close_date < self.window_end

    def in_quarter(self, state: State | None) -> bool:
        return (
            state is not None
            and state.close_date is not None
            and self.start <= state.close_date < self.next_start
        )


def _is_pipeline(state: State | None, window_start: date, window_end: date) -> bool:
    return (
        state is not None
        and not state.is_deleted
        and state.stage_class == OPEN
        and state.close_date is not None
        and window_start <= state.close_date < window_end
    )


class _OpportunityWalker:
    """Turns one opportunity's states into movement rows, quarter by quarter."""

    def __init__(
        self,
        opportunity: Opportunity,
        states: list[State],
        rates: RateTable,
        config: WaterfallConfig,
        out: list[Movement],
    ) -> None:
        self.opportunity = opportunity
        self.states = states
        self.rates = rates
        self.config = config
        self.out = out
        reached = [s.valid_from for s in states if s.stage_class in (OPEN, WON)]
        self.first_reached_at = min(reached) if reached else None

    # helpers ----------------------------------------------------------------------------

    def quarter(self, start: date) -> _Quarter:
        return _Quarter(
            start=start,
            next_start=add_quarters(start, 1),
            window_end=add_quarters(start, self.config.pipeline_window_quarters),
            rate=self.rates.rate_for(self.opportunity.currency, start),
        )

    def amount(self, state: State | None, rate: Decimal) -> Decimal:
        return ZERO if state is None else self.rates.convert(state.amount, rate)

    def contribution(self, state: State | None, quarter: _Quarter) -> Decimal:
        if not _is_pipeline(state, quarter.start, quarter.window_end):
            return ZERO
        return self.amount(state, quarter.rate)

    def emit(self, quarter: _Quarter, element: str, sub_element: str, amount: Decimal) -> None:
        if amount == 0 and element != "closed_won":
            return
        self.out.append(
            Movement(
                opportunity_id=self.opportunity.opportunity_id,
                opportunity_type=self.opportunity.opportunity_type,
                quarter_start_date=quarter.start,
                element=element,
                sub_element=sub_element,
                amount=amount,
            )
        )

    def value_change(self, quarter: _Quarter, delta: Decimal) -> None:
        sub_element = "value_increase" if delta > 0 else "value_decrease"
        self.emit(quarter, "value_change", sub_element, delta)

    # classification -----------------------------------------------------------------------

    def entry(self, quarter: _Quarter, index: int, amount: Decimal, entered: bool) -> None:
        """Classify an entry of ``amount`` (> 0) made by state ``index`` into quarter's window."""
        previous = self.states[index - 1] if index > 0 else None
        reached = self.first_reached_at
        if (
            not entered
            and reached is not None
            and _midnight(quarter.start) <= reached < _midnight(quarter.next_start)
        ):
            self.emit(quarter, "new_pipeline", "new_pipeline", amount)
            return
        qualified_before = any(s.stage_class in (OPEN, WON) for s in self.states[:index])
        if previous is not None and (
            previous.stage_class in (WON, LOST)
            or previous.is_deleted
            or (previous.stage_class == PRE and qualified_before)
        ):
            self.emit(quarter, "value_change", "reopened", amount)
        elif (
            previous is not None
            and self.amount(previous, quarter.rate) == 0
            and quarter.in_window(previous)
        ):
            self.emit(quarter, "value_change", "value_increase", amount)
        else:
            self.emit(quarter, "value_change", "pulled_in", amount)

    def exit(self, quarter: _Quarter, state: State, before: Decimal) -> None:
        if state.is_deleted or state.stage_class == PRE:
            sub_element = "removed"
        elif self.amount(state, quarter.rate) == 0 and quarter.in_window(state):
            sub_element = "value_decrease"
        else:
            sub_element = "pushed_out"
        self.emit(quarter, "value_change", sub_element, -before)

    def event(self, quarter: _Quarter, index: int, entered: bool) -> bool:
        """Classify the change made by state ``index``; returns whether it was an entry."""
        state = self.states[index]
        previous = self.states[index - 1] if index > 0 else None
        before = self.contribution(previous, quarter)
        after = self.contribution(state, quarter)
        previous_class = None if previous is None else previous.stage_class
        if state.stage_class == WON and previous_class != WON and not state.is_deleted:
            won = self.amount(state, quarter.rate)
            is_entry = False
            if before == 0:
                if won != 0:
                    self.entry(quarter, index, won, entered)
                    is_entry = True
            else:
                self.value_change(quarter, won - before)
            self.emit(quarter, "closed_won", "closed_won", won)
            return is_entry
        if state.stage_class == LOST and previous_class != LOST and not state.is_deleted:
            self.emit(quarter, "closed_lost", "closed_lost", before)
            return False
        if before == 0 and after > 0:
            self.entry(quarter, index, after, entered)
            return True
        if before > 0 and after == 0:
            self.exit(quarter, state, before)
            return False
        if before != after:
            self.value_change(quarter, after - before)
        return False

    # quarters -------------------------------------------------------------------------------

    def walk(self, quarter_starts: list[date], as_of_quarter: date, cutoff: datetime) -> None:
        position = 0  # first state not yet applied
        for quarter_start in quarter_starts:
            quarter = self.quarter(quarter_start)
            starts_at = _midnight(quarter.start)
            while position < len(self.states) and self.states[position].valid_from < starts_at:
                position += 1
            current = self.states[position - 1] if position > 0 else None
            starting = self.contribution(current, quarter)
            split = "this_quarter" if quarter.in_quarter(current) else "later_quarters"
            self.emit(quarter, "starting_pipeline", split, starting)

            entered = False
            quarter_end = min(_midnight(quarter.next_start), cutoff)
            while position < len(self.states) and self.states[position].valid_from < quarter_end:
                if self.event(quarter, position, entered):
                    entered = True
                position += 1
            current = self.states[position - 1] if position > 0 else None

            if quarter.start == as_of_quarter:
                ending = self.contribution(current, quarter)
                split = "this_quarter" if quarter.in_quarter(current) else "later_quarters"
                self.emit(quarter, "ending_pipeline", split, ending)
                continue
            self.roll(quarter, current)

    def roll(self, quarter: _Quarter, state: State | None) -> None:
        if state is None or state.is_deleted or state.stage_class != OPEN:
            return
        following = self.quarter(quarter.next_start)
        amount_now = self.amount(state, quarter.rate)
        if quarter.in_quarter(state):
            self.emit(quarter, "value_change", "slipped", -amount_now)
        if state.close_date is not None and (
            quarter.window_end <= state.close_date < add_quarters(quarter.window_end, 1)
        ):
            self.emit(quarter, "value_change", "rolled_in", amount_now)
        if following.in_window(state):
            ending = self.amount(state, following.rate)
            self.emit(quarter, "value_change", "fx_revaluation", ending - amount_now)
            split = "this_quarter" if following.in_quarter(state) else "later_quarters"
            self.emit(quarter, "ending_pipeline", split, ending)


# --------------------------------------------------------------------------------------------
# waterfall
# --------------------------------------------------------------------------------------------


def empty_row(is_complete: bool) -> WaterfallRow:
    row: WaterfallRow = {column: ZERO for column in AMOUNT_COLUMNS}
    row.update({column: 0 for column in COUNT_COLUMNS})
    row["is_complete"] = is_complete
    return row


def aggregate(
    movements: list[Movement], quarters: list[date], types: list[str], as_of_quarter: date
) -> dict[WaterfallKey, WaterfallRow]:
    waterfall = {
        (quarter, type_): empty_row(quarter != as_of_quarter)
        for quarter in quarters
        for type_ in types
    }
    members: dict[tuple[WaterfallKey, str], set[str]] = defaultdict(set)
    for movement in movements:
        key = (movement.quarter_start_date, movement.opportunity_type)
        row = waterfall[key]
        columns = [movement.element]
        if movement.element == "value_change":
            columns.append(movement.sub_element)
        elif movement.element in ("starting_pipeline", "ending_pipeline"):
            columns.append(f"{movement.element}_{movement.sub_element}")
        for column in columns:
            value = row[column]
            assert isinstance(value, Decimal)
            row[column] = value + movement.amount
        members[(key, movement.element)].add(movement.opportunity_id)
    for (key, element), opportunity_ids in members.items():
        for count_column, counted_element in COUNT_COLUMNS.items():
            if counted_element == element:
                waterfall[key][count_column] = len(opportunity_ids)
    return waterfall


def compute_waterfall(raw_dir: Path | str, config: WaterfallConfig) -> WaterfallResult:
    """Movements and waterfall of the raw export directory ``raw_dir``."""
    raw_dir = Path(raw_dir)
    rates = load_rates(raw_dir, config.corporate_currency, config.rounding)
    opportunities = load_opportunities(raw_dir, config)
    cutoff = _midnight(config.as_of_date + timedelta(days=1))
    as_of_quarter = quarter_start_of(config.as_of_date, config.fiscal_year_start_month)
    visible = {
        opportunity.opportunity_id: [s for s in opportunity.states if s.valid_from < cutoff]
        for opportunity in opportunities
    }
    first_times = [states[0].valid_from for states in visible.values() if states]
    quarters: list[date] = []
    if first_times:
        quarter = quarter_start_of(min(first_times).date(), config.fiscal_year_start_month)
        while quarter <= as_of_quarter:
            quarters.append(quarter)
            quarter = add_quarters(quarter, 1)
    movements: list[Movement] = []
    for opportunity in opportunities:
        states = visible[opportunity.opportunity_id]
        if states and quarters:
            walker = _OpportunityWalker(opportunity, states, rates, config, movements)
            walker.walk(quarters, as_of_quarter, cutoff)
    types = sorted({opportunity.opportunity_type for opportunity in opportunities})
    return WaterfallResult(
        movements=movements,
        waterfall=aggregate(movements, quarters, types, as_of_quarter),
        quarters=quarters,
        opportunity_types=types,
        rounding_ties=set(rates.rounding_ties),
    )
