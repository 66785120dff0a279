"""Users (the sales organisation) and accounts (company, currency, region, owner, size)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from .block_state import BlockState
from .ids import IdFactory
from .picklists import (
    COUNTRIES,
    CURRENCIES,
    CURRENCY_WEIGHTS,
    FIRST_NAMES,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    LAST_NAMES,
    NAME_HEADS,
    NAME_TAILS,
    ODD_COMPANY_NAMES,
    USER_NAMES,
)
from .sampling import Picker
from .writers import CsvSink


@dataclass(slots=True)
class Users:
    ae_by_region: dict[str, list[str]]
    sdrs: list[str]
    integration: str

    def all_aes(self) -> list[str]:
        return [u for region in sorted(self.ae_by_region) for u in self.ae_by_region[region]]


def generate_users(sink: CsvSink, ids: IdFactory, rng: random.Random) -> Users:
    """1 VP, 3 regional managers with 20 account executives, an SDR manager with 5 SDRs and
    an integration user (no role, no manager)."""
    names = iter(_user_names(rng))
    vp_role, vp = ids.new("role"), ids.new("user")
    sink.write("user", (vp, next(names), vp_role, ""))
    ae_by_region: dict[str, list[str]] = {}
    for region, n_aes in (("NA East", 7), ("NA West", 7), ("EMEA", 6)):
        mgr_role, ae_role, mgr = ids.new("role"), ids.new("role"), ids.new("user")
        sink.write("user", (mgr, next(names), mgr_role, vp))
        ae_by_region[region] = []
        for _ in range(n_aes):
            ae = ids.new("user")
            sink.write("user", (ae, next(names), ae_role, mgr))
            ae_by_region[region].append(ae)
    sdr_mgr_role, sdr_role, sdr_mgr = ids.new("role"), ids.new("role"), ids.new("user")
    sink.write("user", (sdr_mgr, next(names), sdr_mgr_role, vp))
    sdrs = []
    for _ in range(5):
        sdr = ids.new("user")
        sink.write("user", (sdr, next(names), sdr_role, sdr_mgr))
        sdrs.append(sdr)
    integration = ids.new("user")
    sink.write("user", (integration, "Integration User", "", ""))
    return Users(ae_by_region, sdrs, integration)


def _user_names(rng: random.Random) -> list[str]:
    pool = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
    names = rng.sample(pool, 30) + list(USER_NAMES)
    rng.shuffle(names)
    return names


@dataclass(slots=True)
class Account:
    id: str
    name: str
    currency: str
    start_hour: int
    region: str
    owner: str
    size: float  # relative deal-size multiplier
    industry: str
    country: str
    employees: int
    contacts: list[str] = field(default_factory=list)


class Accounts:
    """Creates accounts and writes their rows (the Type is known only at the end of the
    account's journey)."""

    def __init__(self, state: BlockState, users: Users) -> None:
        self.state = state
        self.users = users
        self.industry_picker = Picker(INDUSTRIES, INDUSTRY_WEIGHTS)
        self.currency_picker = Picker(CURRENCIES, CURRENCY_WEIGHTS)
        self.country_pickers = {c: Picker(v[0], v[1]) for c, v in COUNTRIES.items()}

    def new(self) -> Account:
        rng = self.state.rng
        currency = self.currency_picker(rng)
        suffixes, start_hour = COUNTRIES[currency][2:]
        country = self.country_pickers[currency](rng)
        if rng.random() < 0.005:
            name = rng.choice(ODD_COMPANY_NAMES)
        else:
            name = f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)} {rng.choice(suffixes)}"
        region = "EMEA" if currency != "USD" else ("NA East" if rng.random() < 0.5 else "NA West")
        employees = int(min(200_000, max(5, rng.lognormvariate(math.log(400), 1.4))))
        size = min(8.0, max(0.25, (employees / 400) ** 0.35))
        account = Account(
            id=self.state.ids.new("account"),
            name=name,
            currency=currency,
            start_hour=start_hour,
            region=region,
            owner=rng.choice(self.users.ae_by_region[region]),
            size=size,
            industry=self.industry_picker(rng),
            country=country,
            employees=employees,
        )
        return account

    def write(self, account: Account, account_type: str) -> None:
        rng = self.state.rng
        self.state.sink.write(
            "account",
            (
                account.id,
                account.name,
                account_type,
                account.industry if rng.random() > 0.03 else "",
                account.country,
                str(account.employees) if rng.random() > 0.05 else "",
            ),
        )
