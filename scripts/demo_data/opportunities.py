"""Opportunities: creation (amount in the account's currency, Type, owner), later edits
(deletion, edits without history, records without history), and their rows: the current
record and its field history, with the planted bad opportunity and history rows."""

from __future__ import annotations

from dataclasses import dataclass

from .accounts_users import Account, Users
from .block_state import BlockState
from .dates import DAY, END_TS, date_str, month_end, to_date
from .history import Row, Simulator
from .ids import ID_PREFIX, sf_id
from .picklists import LOST, ODD_TYPES, TYPE_VALUES, WON
from .rates import Rates, rate_on
from .sampling import Picker, round_cents
from .writers import fmt_amount, fmt_bool


@dataclass(slots=True)
class Opportunity:
    id: str
    family: str
    type_label: str
    created: int
    rows: list[Row]
    current: Row
    last_modified: int
    is_deleted: bool = False
    emit_history: bool = True
    closed_at: int | None = None  # timestamp of the final close (when closed at the end)
    lead_source: str = ""
    owner: str = ""
    contact: str = ""  # the contact created by converting its lead


class Opportunities:
    """Creates one block's opportunities and writes their rows."""

    def __init__(self, state: BlockState, users: Users, rates: Rates) -> None:
        self.state = state
        self.rng = state.rng
        self.sink = state.sink
        self.ids = state.ids
        self.fmt = state.fmt
        self.planted = state.planted
        self.users = users
        self.rates = rates
        self.sim = Simulator(state.rng)
        self.opp_seq = 0
        self.type_pickers = {f: Picker(*v) for f, v in TYPE_VALUES.items()}
        self.all_aes = users.all_aes()
        self.w_history = state.sink.writer("opportunity_history")

    def renewal(self, account: Account, t: int, arr: int) -> tuple[Opportunity, int]:
        """A renewal (or replacement/downgrade) of the current ARR; returns it and its USD ARR."""
        type_label = self.type_pickers["retention"](self.rng)
        factor = {"Existing Customer - Downgrade": (0.6, 0.9)}.get(type_label, (0.97, 1.1))
        usd = round_cents(arr * self.rng.uniform(*factor), 10_000)
        return self.new(account, "retention", t, usd, type_label), usd

    # -- opportunities ------------------------------------------------------------------------

    def new(
        self, account: Account, family: str, created: int, usd_cents: int, type_label: str = ""
    ) -> Opportunity:
        rng = self.rng
        rate = rate_on(self.rates, account.currency, created // DAY)
        amount = round_cents(usd_cents * rate, 10_000 if rng.random() < 0.8 else 1)
        born_won = family != "acquisition" and rng.random() < 0.015
        rows, closed_at = self.sim.simulate(family, created, amount, account.start_hour, born_won)
        if not type_label:
            type_label = self.type_pickers[family](rng)
        r = rng.random()
        if r < 0.005:
            type_label = ""
        elif r < 0.01:
            type_label = rng.choice(ODD_TYPES)
        owner = account.owner if rng.random() < 0.9 else rng.choice(self.all_aes)
        if family == "retention" and rng.random() < 0.1:
            owner = self.users.integration
        opp = Opportunity(
            id=self.ids.new("opportunity"),
            family=family,
            type_label=type_label,
            created=created,
            rows=rows,
            current=rows[-1],
            last_modified=rows[-1][0],
            closed_at=closed_at,
            owner=owner,
        )
        self._finish_opportunity(opp)
        return opp

    def _finish_opportunity(self, opp: Opportunity) -> None:
        """Later edits: deletion, edits without history, no-history records, plain touches."""
        rng = self.rng
        last_t = opp.rows[-1][0]
        r = rng.random()
        if r < 0.04:  # deleted: ~2% of all (duplicates, junk; never a won deal)
            if opp.current[1] != WON and r < 0.036:
                opp.is_deleted = True
                opp.last_modified = self._later(last_t, 90)
        elif r < 0.051 and len(opp.rows) > 1:
            stage, amount, close, prob, fc = opp.current[1:]
            if amount and rng.random() < 0.7:
                amount = round_cents(amount * rng.uniform(0.8, 1.2), 100)
            else:
                close = close + rng.choice((-7, -3, 3, 7, 14))
            opp.last_modified = self._later(last_t, 30)
            opp.current = (opp.last_modified, stage, amount, close, prob, fc)
        elif r < 0.057:
            opp.emit_history = False
        elif r < 0.45:
            opp.last_modified = self._later(last_t, 60)

    def _later(self, t: int, max_days: int) -> int:
        return min(END_TS, t + self.rng.randrange(600, max_days * DAY))

    def write(self, account: Account, opp: Opportunity) -> None:
        self.opp_seq += 1
        _, stage, amount, close, prob, fc = opp.current
        closed = stage in (WON, LOST)
        fmt = self.fmt
        row = (
            opp.id,
            account.id,
            opportunity_name(account.name, opp.type_label, opp.created),
            opp.type_label,
            stage,
            fmt_amount(amount),
            account.currency,
            date_str(close),
            fmt(opp.created),
            fmt(opp.last_modified),
            fmt_bool(closed),
            fmt_bool(stage == WON),
            fmt_bool(opp.is_deleted),
            opp.owner,
            opp.lead_source,
            str(prob),
            fc,
        )
        self.sink.write("opportunity", row)
        if opp.emit_history:
            self.write_history(opp)
        if self._plant_stale_duplicate(opp):
            t, stage, amount, close, prob, fc = opp.rows[-2]
            stale = (*row[:4], stage, fmt_amount(amount), row[6], date_str(close), row[8], fmt(t))
            stale += (fmt_bool(stage in (WON, LOST)), fmt_bool(stage == WON), *row[12:15])
            self.sink.write("opportunity", (*stale, str(prob), fc))
            self.planted.duplicate_opportunity_id = opp.id

    def _plant_stale_duplicate(self, opp: Opportunity) -> bool:
        return (
            not self.planted.duplicate_opportunity_id
            and self.opp_seq >= 9
            and opp.emit_history
            and not opp.is_deleted
            and len(opp.rows) >= 3
            and opp.rows[-2][0] < opp.last_modified
        )

    def write_history(self, opp: Opportunity) -> None:
        fmt, new_id, write = self.fmt, self.ids.new, self.w_history
        deleted = fmt_bool(opp.is_deleted)
        planted = self.planted
        dup_at = bad_at = -1
        if not opp.is_deleted and len(opp.rows) >= 4:
            if not planted.duplicate_history_id and self.opp_seq >= 3:
                dup_at = 2
            elif not planted.bad_amount_history_id and self.opp_seq >= 5:
                bad_at = next(
                    (
                        i
                        for i in range(1, len(opp.rows) - 1)
                        if opp.rows[i][2] is not None and opp.rows[i][2] == opp.rows[i - 1][2]
                    ),
                    -1,
                )
        for i, (t, stage, amount, close, prob, fc) in enumerate(opp.rows):
            amount_text = "12,5O0" if i == bad_at else fmt_amount(amount)
            row = (new_id("opportunity_history"), opp.id, fmt(t), stage, amount_text)
            row += (date_str(close), str(prob), fc, deleted)
            write(row)
            if i == dup_at:
                write(row)
                planted.duplicate_history_id = row[0]
            elif i == bad_at:
                planted.bad_amount_history_id = row[0]
        self.sink.add_count("opportunity_history", len(opp.rows) + (dup_at >= 0))
        if not planted.orphan_history_id and self.opp_seq >= 7:
            self._plant_orphan_history(opp)

    def _plant_orphan_history(self, opp: Opportunity) -> None:
        missing = sf_id(ID_PREFIX["opportunity"], 62**9 - 1 - self.rng.randrange(1000))
        t = opp.created + DAY
        close = month_end(t // DAY + 60)
        hid = self.ids.new("opportunity_history")
        self.sink.write(
            "opportunity_history",
            (hid, missing, self.fmt(t), "Prospecting", "25000.00", date_str(close), "10")
            + ("Pipeline", "false"),
        )
        self.planted.orphan_history_id, self.planted.orphan_opportunity_id = hid, missing


def opportunity_name(account_name: str, type_label: str, created: int) -> str:
    year = to_date(created // DAY).year
    return f"{account_name} - {type_label or 'Opportunity'} {year}"
