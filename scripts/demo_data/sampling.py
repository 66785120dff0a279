"""Weighted choices and rounding used by the simulation."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import Any


class Picker:
    """Weighted choice from a fixed tuple with precomputed cumulative weights."""

    def __init__(self, values: Sequence[Any], weights: Sequence[float]) -> None:
        self.values = tuple(values)
        total, acc = float(sum(weights)), 0.0
        self.cum: list[float] = []
        for w in weights:
            acc += w
            self.cum.append(acc / total)
        self.cum[-1] = 1.0

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect(self.cum, rng.random())]


def round_cents(cents: float, step: int) -> int:
    return max(step, int(round(cents / step)) * step)
