"""Leads: the lead converted into an acquisition opportunity (with MQL and SAL dates) and
unconverted leads, including one planted lead with an unparseable CreatedDate."""

from __future__ import annotations

import math
import random
from typing import Any

from .accounts_users import Account, Users
from .block_state import BlockState
from .dates import DAY, END_DAY, END_TS, START_DAY, date_str, work_time
from .opportunities import Opportunity
from .picklists import (
    FIRST_NAMES,
    LAST_NAMES,
    LEAD_CONVERTED,
    LEAD_NOT_CONVERTED,
    LEAD_OPEN,
    LEAD_SOURCE_WEIGHTS,
    LEAD_SOURCES,
    LEAD_WORKING,
    NAME_HEADS,
    NAME_TAILS,
)
from .sampling import Picker
from .writers import fmt_bool


class Leads:
    """Creates and writes one block's leads."""

    def __init__(self, state: BlockState, users: Users) -> None:
        self.rng = state.rng
        self.sink = state.sink
        self.ids = state.ids
        self.fmt = state.fmt
        self.planted = state.planted
        self.users = users
        self.unconverted_leads = 0
        self.source_picker = Picker(LEAD_SOURCES, LEAD_SOURCE_WEIGHTS)

    def for_acquisition(self, account: Account, opp: Opportunity) -> list[tuple[Any, ...]]:
        """The lead converted into this opportunity (most of the time) plus unconverted leads."""
        rng = self.rng
        domain = company_domain(account.name)
        leads: list[tuple[Any, ...]] = []
        if rng.random() < 0.86:
            leads.append(self.converted(account, opp, domain))
        else:
            opp.lead_source = rng.choice(("Outbound Prospecting", "Partner Referral", "", ""))
        for _ in range(rng.randrange(2, 7)):
            company = account.name if rng.random() < 0.2 else random_company(rng)
            leads.append(self.unconverted(company, company_domain(company)))
        return leads

    def converted(self, account: Account, opp: Opportunity, domain: str) -> tuple[Any, ...]:
        rng = self.rng
        source = self.source_picker(rng)
        opp.lead_source = source
        converted = opp.created - rng.randrange(60, 3600)
        created = max(
            START_DAY * DAY + rng.randrange(8 * 3600, 20 * 3600),
            converted - int(rng.lognormvariate(math.log(25), 0.8) * DAY),
        )
        created = min(created, converted - 60)
        mql = sal = None
        if rng.random() < 0.96:
            mql = created + int((converted - created) * rng.random() * 0.6)
            if rng.random() < 0.82:
                sal = mql + int((converted - mql) * rng.uniform(0.1, 0.9))
        contact = self.ids.new("contact")
        account.contacts.append(contact)
        opp.contact = contact
        return (
            created, LEAD_CONVERTED, source, converted, opp.id, contact, account.id,
            make_email(rng, domain), account.name, mql, sal,
        )  # fmt: skip

    def unconverted(self, company: str, domain: str) -> tuple[Any, ...]:
        rng = self.rng
        created = work_time(rng, START_DAY + rng.randrange(END_DAY - START_DAY + 1), 9)
        created = min(created, END_TS - 60)
        age = (END_TS - created) / DAY
        r = rng.random()
        if age < 21:
            status = LEAD_OPEN if r < 0.6 else LEAD_WORKING
        elif age < 90:
            status = LEAD_OPEN if r < 0.15 else (LEAD_WORKING if r < 0.6 else LEAD_NOT_CONVERTED)
        else:
            status = LEAD_OPEN if r < 0.07 else (LEAD_WORKING if r < 0.2 else LEAD_NOT_CONVERTED)
        mql = sal = None
        if rng.random() < 0.31:
            mql = created + rng.randrange(600, 20 * DAY)
            if mql > END_TS:
                mql = None
            elif rng.random() < 0.40:
                sal = mql + rng.randrange(600, 10 * DAY)
                sal = sal if sal <= END_TS else None
        return (
            created, status, self.source_picker(rng), None, "", "", "",
            make_email(rng, domain), company, mql, sal,
        )  # fmt: skip

    def write(self, lead: tuple[Any, ...]) -> None:
        created, status, source, converted, opp_id, contact, account_id, email, company = lead[:9]
        mql, sal = lead[9:]
        rng, fmt = self.rng, self.fmt
        created_text = fmt(created)
        if converted is None:
            self.unconverted_leads += 1
            if self.unconverted_leads == 3:
                created_text = "not-a-date"
        lead_id = self.ids.new("lead")
        if created_text == "not-a-date":
            self.planted.bad_date_lead_id = lead_id
        self.sink.write(
            "lead",
            (
                lead_id,
                created_text,
                status,
                source,
                fmt_bool(converted is not None),
                "" if converted is None else date_str(converted // DAY),
                opp_id,
                contact,
                account_id,
                email,
                company,
                rng.choice(self.users.sdrs),
                fmt_bool(rng.random() < 0.006),
                "" if mql is None else fmt(mql),
                "" if sal is None else fmt(sal),
            ),
        )


def company_domain(company: str) -> str:
    word = "".join(ch for ch in company.split(" ")[0].lower() if ch.isascii() and ch.isalnum())
    return f"{word or 'example'}.com"


def random_company(rng: random.Random) -> str:
    return f"{rng.choice(NAME_HEADS)} {rng.choice(NAME_TAILS)}"


def make_email(rng: random.Random, domain: str) -> str:
    return f"{rng.choice(FIRST_NAMES).lower()}.{rng.choice(LAST_NAMES).lower()}@{domain}"
