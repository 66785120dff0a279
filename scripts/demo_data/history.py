"""The history of one opportunity: its planned stage path, then every saved change (stage
moves, amount changes, close-date pushes and pull-ins, probability and forecast edits) in
time order, stopping at the as-of time."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from .dates import DAY, END_TS, month_end, quarter_end, snap_to_work_hours, work_time
from .picklists import (
    CYCLE_DAYS,
    FORECAST_ORDER,
    LADDERS,
    LOST,
    ON_HOLD,
    OUTCOMES,
    PRE_PIPELINE,
    STAGE_DEFAULTS,
    START_STAGES,
    WON,
)
from .sampling import Picker, round_cents

# A history row: (timestamp, stage, amount cents or None, close day, probability, forecast)
Row = tuple[int, str, int | None, int, int, str]


@dataclass(slots=True)
class Plan:
    """What a simulated opportunity will do (before truncation at the as-of time)."""

    family: str
    created: int
    amount: int | None
    expected_close: int
    start_hour: int
    stages: list[str] = field(default_factory=list)
    times: list[int] = field(default_factory=list)
    backdated_close: int | None = None


class Simulator:
    """Builds the stage path and the full history of one opportunity."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.start_pickers = {f: Picker(*v) for f, v in START_STAGES.items()}

    # -- planning -------------------------------------------------------------------------

    def plan_stages(self, family: str) -> tuple[str, list[str], bool]:
        """Returns (start stage, later stages incl. closes, ends-closed) for one opportunity."""
        rng = self.rng
        ladder = LADDERS[family]
        last = len(ladder) - 1
        start = self.start_pickers[family](rng)
        p_won, p_stall = OUTCOMES[family]
        r = rng.random()
        outcome = "won" if r < p_won else ("stall" if r < p_won + p_stall else "lost")
        if outcome == "won":
            target = last if rng.random() < 0.8 else max(start, last - 1)
        else:
            target = start + int(rng.random() ** 1.6 * (last - start + 1))
            target = min(target, last)
        path = [ladder[i] for i in self._walk(start, target)]
        if outcome == "won":
            path.append(WON)
        elif outcome == "lost":
            path.append(LOST)
            if family != "retention" and rng.random() < 0.06:
                path.extend(self._reopen(ladder, target))
        if path and rng.random() < 0.003:
            pos = rng.randrange(len(path))
            resume = path[pos - 1] if pos > 0 else ladder[start]
            if resume in (WON, LOST):
                resume = ladder[target]
            path[pos:pos] = [ON_HOLD, resume]
        return ladder[start], path, outcome != "stall"

    def _walk(self, start: int, target: int) -> list[int]:
        """Stage indexes from start to target: mostly forward, some skips, a few step backs."""
        rng, i, out = self.rng, start, []
        for _ in range(40):
            if i >= target:
                break
            r = rng.random()
            if r < 0.07 and i > start:
                i -= 1
            elif r < 0.25:
                i = min(target, i + 2)
            elif r < 0.29:
                i = min(target, i + 3)
            else:
                i += 1
            out.append(i)
        return out

    def _reopen(self, ladder: Sequence[str], target: int) -> list[str]:
        rng = self.rng
        i = max(1, min(target, len(ladder) - 2))
        path = [ladder[i]]
        if rng.random() < 0.6:
            path.append(ladder[min(len(ladder) - 1, i + 1)])
        path.append(WON if rng.random() < 0.5 else LOST)
        return path

    def plan(self, family: str, created: int, amount: int | None, start_hour: int) -> Plan:
        rng = self.rng
        start_stage, path, closes = self.plan_stages(family)
        cycle = max(3.0, rng.lognormvariate(math.log(CYCLE_DAYS[family]), 0.55))
        if path and path[-1] == LOST:
            cycle *= 0.4 + 0.6 * rng.random()
        cycle += 25.0 * path.count(ON_HOLD) + 30.0 * (path.count(LOST) + path.count(WON) > 1)
        created_day = created // DAY
        expected = created_day + max(7, int(cycle * rng.uniform(0.55, 1.1)))
        expected = self._snap_close(expected)
        plan = Plan(family, created, amount, expected, start_hour, [start_stage])
        plan.times = [created]
        gaps = [rng.expovariate(1.0) + 0.15 for _ in path]
        total = sum(gaps) or 1.0
        acc = 0.0
        for stage, gap in zip(path, gaps, strict=True):
            acc += gap
            t = created + int(cycle * DAY * acc / total)
            plan.stages.append(stage)
            plan.times.append(snap_to_work_hours(t, start_hour))
        if closes and path and path[-1] == WON and rng.random() < 0.07:
            # marked Closed Won a few days into the next quarter, CloseDate back-dated
            qe = quarter_end(plan.times[-1] // DAY)
            plan.backdated_close = qe
            plan.times[-1] = work_time(rng, qe + 1 + rng.randrange(10), start_hour)
        return plan

    def _snap_close(self, day: int) -> int:
        r = self.rng.random()
        if r < 0.45:
            return month_end(day)
        if r < 0.65:
            return quarter_end(day)
        return day

    # -- history ---------------------------------------------------------------------------

    def side_events(self, plan: Plan) -> list[tuple[int, int, str]]:
        """Amount changes, close-date pushes/pull-ins and probability/forecast edits."""
        rng = self.rng
        t0, t1 = plan.times[0], plan.times[-1]
        if t1 - t0 < 3600:
            return []
        heavy = plan.family == "acquisition"
        counts = (
            ("amount", rng.choice((0, 1, 2, 2, 3, 3, 4) if heavy else (0, 1, 1, 2, 2))),
            ("close", rng.choice((1, 1, 2, 2, 3, 4) if heavy else (1, 1, 2, 2, 3))),
            ("prob", rng.choice((0, 1, 1, 2, 2, 3) if heavy else (0, 1, 1, 2, 2))),
            ("forecast", 1 if rng.random() < 0.08 else 0),
        )
        out = []
        for n, (kind, count) in enumerate(counts):
            for k in range(count):
                t = snap_to_work_hours(rng.randrange(t0 + 1, t1), plan.start_hour)
                out.append((t, n * 10 + k, kind))
        return out

    def history(self, plan: Plan) -> list[Row]:
        """Applies stage events and side events in time order; one row per saved change.
        Stops at the as-of time: later events have not happened yet."""
        rng = self.rng
        first_stage = plan.stages[0]
        prob, fc = STAGE_DEFAULTS[first_stage]
        amount = plan.amount
        if amount is not None and first_stage in PRE_PIPELINE and rng.random() < 0.45:
            amount = None  # no amount until the deal is qualified
        close = plan.expected_close
        if first_stage == WON:
            close = plan.created // DAY
        rows: list[Row] = [(plan.created, first_stage, amount, close, prob, fc)]
        events = [(t, i, "stage") for i, t in enumerate(plan.times[1:], start=1)]
        events += self.side_events(plan)
        events.sort()
        last_t = plan.created
        stage = first_stage
        for t, key, kind in events:
            if t <= last_t:
                t = last_t + rng.randrange(60, 7200)
            if t > END_TS:
                break
            day = t // DAY
            if kind == "stage":
                new = plan.stages[key]
                is_final = key == len(plan.stages) - 1
                state = self._stage_change(plan, rows[-1], new, day, is_final, stage)
                stage = new
            elif stage in (WON, LOST):
                continue
            else:
                state = self._side_change(kind, rows[-1], day)
            if state is None or state == rows[-1][1:]:
                continue
            rows.append((t, *state))
            last_t = t
            if (
                kind == "stage"
                and state[3] <= 90
                and stage not in (WON, LOST)
                and rng.random() < 0.005
            ):
                # a workflow rule re-saves the record in the same second
                p = min(99, state[3] + 5)
                rows.append((t, state[0], state[1], state[2], p, state[4]))
        return rows

    def _stage_change(
        self, plan: Plan, prev: Row, stage: str, day: int, is_final: bool, old_stage: str
    ) -> tuple[str, int | None, int, int, str]:
        rng = self.rng
        _, _, amount, close, _, _ = prev
        prob, fc = STAGE_DEFAULTS[stage]
        if amount is None and stage not in PRE_PIPELINE and stage != LOST:
            amount = plan.amount
        if stage == WON:
            if is_final and plan.backdated_close is not None:
                close = plan.backdated_close
            else:
                close = day
            if amount is not None and rng.random() < 0.25:
                amount = round_cents(amount * rng.uniform(0.85, 1.0), 100)
        elif stage == LOST:
            close = day if rng.random() < 0.85 else min(close, day)
            if amount is not None and rng.random() < 0.10:
                amount = 0
        elif old_stage == LOST:
            close = month_end(day + rng.randrange(30, 100))  # reopened
        elif close < day and rng.random() < 0.85:
            close = self._push(close, day)
        return (stage, amount, close, prob, fc)

    def _push(self, close: int, day: int) -> int:
        """A close-date push: to the end of the next quarter or later, sometimes next month."""
        rng = self.rng
        base = max(close, day)
        r = rng.random()
        if r < 0.25:
            return month_end(month_end(base) + 1)
        if r < 0.85:
            return quarter_end(quarter_end(base) + 1)
        return quarter_end(quarter_end(quarter_end(base) + 1) + 1)

    def _side_change(
        self, kind: str, prev: Row, day: int
    ) -> tuple[str, int | None, int, int, str] | None:
        rng = self.rng
        _, stage, amount, close, prob, fc = prev
        if kind == "amount":
            if amount is None or amount == 0:
                return None
            factor = rng.uniform(1.05, 1.5) if rng.random() < 0.55 else rng.uniform(0.6, 0.95)
            amount = round_cents(amount * factor, 100 if amount >= 100_000 else 1)
        elif kind == "close":
            if close <= day + 21:  # slipping: push it out
                close = self._push(close, day)
            elif rng.random() < 0.4:  # pull-in
                close = max(day + 7, close - rng.randrange(15, 75))
            else:  # a small slip
                close = month_end(month_end(close) + 1)
        elif kind == "prob":
            if not 0 < prob < 100:
                return None
            prob = min(99, max(1, prob + rng.choice((-15, -10, -5, 5, 10))))
        else:
            i = FORECAST_ORDER.index(fc) if fc in FORECAST_ORDER else 1
            fc = FORECAST_ORDER[max(1, min(3, i + rng.choice((-1, 1))))]
        return (stage, amount, close, prob, fc)

    # -- whole opportunity -------------------------------------------------------------------

    def simulate(
        self, family: str, created: int, amount: int, start_hour: int, born_won: bool = False
    ) -> tuple[list[Row], int | None]:
        """Returns (history rows, close timestamp if the opportunity ends closed)."""
        if born_won:
            plan = Plan(family, created, amount, created // DAY, start_hour, [WON], [created])
        else:
            plan = self.plan(family, created, amount, start_hour)
        rows = self.history(plan)
        last_stage = rows[-1][1]
        return rows, (rows[-1][0] if last_stage in (WON, LOST) else None)
