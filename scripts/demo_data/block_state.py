"""What the writers of one block share: its random stream, sink, ids, timestamp format and
the record of the deliberately bad rows."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .ids import IdFactory
from .writers import CsvSink, TimestampFormatter


@dataclass(slots=True)
class Planted:
    """The deliberately bad rows (fixed count at every scale)."""

    duplicate_history_id: str = ""
    bad_amount_history_id: str = ""
    orphan_history_id: str = ""
    orphan_opportunity_id: str = ""
    duplicate_opportunity_id: str = ""
    bad_date_lead_id: str = ""

    @classmethod
    def disabled(cls) -> Planted:
        """Marks every bad row as already planted."""
        return cls(*["-"] * 6)

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in self.__slots__}  # type: ignore[attr-defined]


@dataclass(slots=True)
class BlockState:
    rng: random.Random
    sink: CsvSink
    ids: IdFactory
    fmt: TimestampFormatter
    planted: Planted
