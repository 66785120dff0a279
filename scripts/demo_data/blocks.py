"""One block of accounts, simulated account by account, and the whole export assembled
from the blocks.

Determinism: accounts come in blocks of 600 (scale 1 = one block); each block draws from its
own ``random.Random(f"{seed}/block/{n}")`` stream in a fixed order and owns its own id range,
and the blocks are concatenated in order, so the same ``--seed`` and ``--scale`` give
byte-identical files whatever ``--jobs`` is. Users and rates are the same for every block."""

from __future__ import annotations

import math
import random
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .accounts_users import Account, Accounts, Users, generate_users
from .block_state import BlockState, Planted
from .contact_roles import ContactRoles
from .contract import COLUMNS
from .dates import DAY, END_DAY, END_TS, START_DAY, snap_to_work_hours, work_time
from .ids import IdFactory
from .leads import Leads, company_domain
from .opportunities import Opportunities, Opportunity
from .picklists import CROSS_SELLS_PER_YEAR, LOST, UPSELLS_PER_YEAR, WON
from .rates import Rates, generate_rates
from .sampling import round_cents
from .writers import CsvSink, NullSink, TimestampFormatter, assemble, csv_to_parquet


@dataclass(slots=True)
class Reference:
    users: Users
    rates: Rates


def generate_reference(seed: int, sink: CsvSink) -> Reference:
    """Users and dated conversion rates (the same for every block)."""
    rng = random.Random(f"{seed}/reference")
    ids = IdFactory(seed, 0)
    users = generate_users(sink, ids, rng)
    return Reference(users, generate_rates(sink, rng))


class BlockGenerator:
    """Simulates one block of accounts, one account at a time, streaming rows to the sink:
    acquisition attempts, then renewals, upsells and cross-sells once the account is a
    customer. Memory stays flat at any scale."""

    def __init__(
        self, sink: CsvSink, ref: Reference, seed: int, block: int, n_accounts: int
    ) -> None:
        self.rng = random.Random(f"{seed}/block/{block}")
        self.n_accounts = n_accounts
        # the deliberately bad rows are planted once, in block 0
        planted = Planted() if block == 0 else Planted.disabled()
        state = BlockState(
            self.rng, sink, IdFactory(seed, block), TimestampFormatter(self.rng), planted
        )
        self.planted = planted
        self.accounts = Accounts(state, ref.users)
        self.opportunities = Opportunities(state, ref.users, ref.rates)
        self.contact_roles = ContactRoles(state)
        self.leads = Leads(state, ref.users)

    def run(self) -> None:
        for start_day in self._account_start_days(self.n_accounts):
            self.account_journey(start_day)

    def _account_start_days(self, n: int) -> Iterator[int]:
        """Sorted first-engagement days, denser early so customers have time to grow."""
        span = END_DAY - 20 - START_DAY
        rng = self.rng
        days = sorted(START_DAY + int(span * rng.random() ** 1.7) for _ in range(n))
        yield from days

    def account_journey(self, start_day: int) -> None:
        """Acquisition attempts until won (or given up), then renewals, upsells, cross-sells."""
        rng = self.rng
        account = self.accounts.new()
        opps: list[Opportunity] = []
        leads: list[tuple[Any, ...]] = []
        account_type = "Prospect"
        if rng.random() < 0.04:  # an account with no opportunities (imported list)
            self.accounts.write(account, account_type)
            for _ in range(rng.randrange(1, 4)):
                self.leads.write(self.leads.unconverted(account.name, company_domain(account.name)))
            return
        t = work_time(rng, start_day, account.start_hour)
        won_at: int | None = None
        arr = 0
        while t < END_TS - 3 * DAY:
            usd = round_cents(rng.lognormvariate(math.log(2_600_000), 0.7) * account.size, 50_000)
            opp = self.opportunities.new(account, "acquisition", t, usd)
            opps.append(opp)
            leads.extend(self.leads.for_acquisition(account, opp))
            if opp.closed_at is not None and opp.current[1] == WON:
                won_at, arr = opp.closed_at, usd
                break
            if opp.closed_at is None or rng.random() > 0.8:
                break
            t = work_time(rng, opp.closed_at // DAY + rng.randrange(20, 150), account.start_hour)
        if won_at is not None:
            account_type = "Customer - Direct" if rng.random() < 0.85 else "Customer - Channel"
            if self.customer_journey(account, won_at, arr, opps):
                account_type = "Former Customer"
        self.accounts.write(account, account_type)
        for opp in opps:
            self.opportunities.write(account, opp)
            self.contact_roles.write(account, opp)
        for lead in leads:
            self.leads.write(lead)

    def customer_journey(
        self, account: Account, won_at: int, arr: int, opps: list[Opportunity]
    ) -> bool:
        """Follow-up deals after the first win; returns True if the customer churned."""
        rng = self.rng
        next_renewal = won_at + rng.randrange(335, 366) * DAY
        upsell_t = won_at + int(rng.expovariate(UPSELLS_PER_YEAR / 365) * DAY) + 30 * DAY
        cross_t = won_at + int(rng.expovariate(CROSS_SELLS_PER_YEAR / 365) * DAY) + 45 * DAY
        churned_at: int | None = None
        while True:
            t, _, family = min(
                (next_renewal, 0, "retention"), (upsell_t, 1, "upsell"), (cross_t, 2, "cross_sell")
            )
            if t >= END_TS - 2 * DAY or (churned_at is not None and t > churned_at):
                return churned_at is not None
            t = snap_to_work_hours(t, account.start_hour)
            if family == "retention":
                opp, renewed_arr = self.opportunities.renewal(account, t, arr)
                stage = opp.current[1]
                next_renewal = END_TS  # renewal lost, or still open at the as-of time
                if opp.closed_at is not None and stage == WON:
                    arr = renewed_arr
                    next_renewal = opp.closed_at + rng.randrange(335, 366) * DAY
                elif opp.closed_at is not None and stage == LOST:
                    churned_at = opp.closed_at
            elif family == "upsell":
                usd = round_cents(arr * rng.uniform(0.12, 0.5), 10_000)
                opp = self.opportunities.new(account, family, t, usd)
                if opp.current[1] == WON:
                    arr += usd
                upsell_t = t + int(rng.expovariate(UPSELLS_PER_YEAR / 365) * DAY) + 20 * DAY
            else:
                usd = round_cents(arr * rng.uniform(0.15, 0.6), 10_000)
                opp = self.opportunities.new(account, family, t, usd)
                cross_t = t + int(rng.expovariate(CROSS_SELLS_PER_YEAR / 365) * DAY) + 30 * DAY
            opps.append(opp)


ACCOUNTS_PER_BLOCK = 600  # one block = the scale-1 demo's accounts


@dataclass(slots=True)
class Result:
    counts: dict[str, int]
    planted: dict[str, str]
    seconds: float


def plan_blocks(scale: float) -> list[int]:
    """Accounts per block: scale 1 is one block of 600 accounts, scale 2.5 is 600+600+300."""
    total = max(10, round(ACCOUNTS_PER_BLOCK * scale))
    full, rest = divmod(total, ACCOUNTS_PER_BLOCK)
    return [ACCOUNTS_PER_BLOCK] * full + ([rest] if rest else [])


def run_block(args: tuple[Path, int, int, int]) -> tuple[dict[str, int], dict[str, str]]:
    """Generates one block of accounts into headerless part files; returns counts, planted."""
    directory, seed, block, n_accounts = args
    ref = generate_reference(seed, NullSink())
    sink = CsvSink(directory)
    gen = BlockGenerator(sink, ref, seed, block, n_accounts)
    try:
        gen.run()
    finally:
        sink.close()
    return sink.counts, gen.planted.as_dict()


def run_blocks(tmp: Path, seed: int, blocks: list[int], jobs: int) -> list[tuple[Path, Any]]:
    args = [(tmp / f"block-{b:06d}", seed, b, n) for b, n in enumerate(blocks)]
    if jobs <= 1 or len(args) == 1:
        return [(a[0], run_block(a)) for a in args]
    with ProcessPoolExecutor(max_workers=min(jobs, len(args))) as pool:
        return [(a[0], r) for a, r in zip(args, pool.map(run_block, args), strict=True)]


def generate(
    out: Path, scale: float = 1.0, seed: int = 42, fmt: str = "csv", jobs: int = 1
) -> Result:
    """Writes the export files into ``out`` and returns row counts and planted bad rows.
    The output does not depend on ``jobs`` (blocks are seeded and concatenated in order)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if fmt not in ("csv", "parquet"):
        raise ValueError("format must be csv or parquet")
    began = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    for name in COLUMNS:
        for ext in ("csv", "parquet"):
            (out / f"{name}.{ext}").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".generate-") as tmp_name:
        tmp = Path(tmp_name)
        ref_sink = CsvSink(tmp / "reference", ("user", "dated_conversion_rate"))
        generate_reference(seed, ref_sink)
        ref_sink.close()
        counts = dict.fromkeys(COLUMNS, 0)
        counts.update(ref_sink.counts)
        results = run_blocks(tmp, seed, plan_blocks(scale), jobs)
        for _, (block_counts, _) in results:
            for name, n in block_counts.items():
                counts[name] += n
        for name, columns in COLUMNS.items():
            parts = [tmp / "reference" / f"{name}.csv"] + [d / f"{name}.csv" for d, _ in results]
            target = out / f"{name}.csv" if fmt == "csv" else tmp / f"{name}.csv"
            assemble(target, name, parts)
            if fmt == "parquet":
                csv_to_parquet(target, out / f"{name}.parquet", columns)
                target.unlink()
            for part in parts:
                part.unlink(missing_ok=True)
    return Result(counts, results[0][1][1], time.perf_counter() - began)
