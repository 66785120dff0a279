"""Opportunity contact roles: the account's contacts on each deal (the converted lead's
contact first), at most one primary, some added after the close or deleted."""

from __future__ import annotations

from .accounts_users import Account
from .block_state import BlockState
from .dates import DAY, END_TS
from .opportunities import Opportunity
from .picklists import CONTACT_ROLE_WEIGHTS, CONTACT_ROLES
from .sampling import Picker
from .writers import fmt_bool


class ContactRoles:
    """Writes one block's opportunity contact roles."""

    def __init__(self, state: BlockState) -> None:
        self.rng = state.rng
        self.sink = state.sink
        self.ids = state.ids
        self.fmt = state.fmt
        self.role_picker = Picker(CONTACT_ROLES, CONTACT_ROLE_WEIGHTS)

    def write(self, account: Account, opp: Opportunity) -> None:
        rng = self.rng
        big = opp.family == "acquisition"
        n = rng.choice(
            (0, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 7, 8) if big else (0, 0, 1, 1, 1, 2, 2, 3, 4)
        )
        if n == 0:
            return
        contacts = self._contacts(account, n, opp)
        end = opp.closed_at if opp.closed_at is not None else END_TS
        has_primary = rng.random() < 0.8
        for k, contact in enumerate(contacts):
            if rng.random() < 0.1 and opp.closed_at is not None:
                t = min(END_TS, end + rng.randrange(DAY, 30 * DAY))
            else:
                t = opp.created + int((end - opp.created) * rng.random() ** 1.7)
            deleted = opp.is_deleted or rng.random() < 0.02
            self.sink.write(
                "opportunity_contact_role",
                (
                    self.ids.new("opportunity_contact_role"),
                    opp.id,
                    contact,
                    self.role_picker(rng),
                    fmt_bool(has_primary and k == 0),
                    self.fmt(t),
                    fmt_bool(deleted),
                ),
            )

    def _contacts(self, account: Account, n: int, opp: Opportunity) -> list[str]:
        """n distinct contacts of the account; the converted lead's contact comes first."""
        while len(account.contacts) < n + 2:
            account.contacts.append(self.ids.new("contact"))
        chosen = self.rng.sample(account.contacts, n)
        if opp.contact:
            chosen = [opp.contact] + [c for c in chosen if c != opp.contact][: n - 1]
        return chosen

    # -- leads --------------------------------------------------------------------------------
