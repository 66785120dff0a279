"""Deterministic 18-character Salesforce-style ids."""

from __future__ import annotations

import random
from functools import cache

ID_PREFIX = {
    "opportunity": "006",
    "opportunity_history": "008",
    "lead": "00Q",
    "opportunity_contact_role": "00K",
    "account": "001",
    "user": "005",
    "contact": "003",
    "role": "00E",
}

# --------------------------------------------------------------------------------------------


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_B62_PAIRS = [a + b for a in _B62 for b in _B62]
_UPPER = [int("A" <= ch <= "Z") for ch in _B62]
_PAIR_FLAGS = [_UPPER[i] | _UPPER[j] << 1 for i in range(62) for j in range(62)]
_CHECKSUM_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_PAIR = 62 * 62
_LOW = 62**5


@cache
def _id_head(prefix: str, high: int) -> str:
    """The first 10 characters of an id (prefix, pod '5g', '0', 4 high digits)."""
    return f"{prefix}5g0{_B62_PAIRS[high // _PAIR]}{_B62_PAIRS[high % _PAIR]}"


@cache
def _id_head_checksum(prefix: str, high: int) -> str:
    head = _id_head(prefix, high)
    first = sum(1 << i for i, ch in enumerate(head[:5]) if "A" <= ch <= "Z")
    second = _PAIR_FLAGS[high // _PAIR] << 1 | _PAIR_FLAGS[high % _PAIR] << 3
    return _CHECKSUM_CHARS[first] + _CHECKSUM_CHARS[second]


def sf_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: 3-char key prefix, pod '5g', '0', 9 base-62 digits and
    the 3-character case-safety suffix Salesforce appends to 15-character ids (one char per
    5-char chunk, encoding which of its characters are upper-case letters)."""
    high, low = divmod(number, _LOW)
    a, rest = divmod(low, _PAIR * _PAIR)
    b, c = divmod(rest, _PAIR)
    flags = _UPPER[a] | _PAIR_FLAGS[b] << 1 | _PAIR_FLAGS[c] << 3
    return (
        f"{_id_head(prefix, high)}{_B62[a]}{_B62_PAIRS[b]}{_B62_PAIRS[c]}"
        f"{_id_head_checksum(prefix, high)}{_CHECKSUM_CHARS[flags]}"
    )


ID_BLOCK_SPAN = 1 << 24  # ids reserved per object per block of accounts


class IdFactory:
    """Sequential, deterministic ids per object: a seeded base plus the block's own range, so
    blocks generated in parallel never collide."""

    def __init__(self, seed: int, block: int) -> None:
        rng = random.Random(f"{seed}/ids")
        self._next = {
            name: rng.randrange(62**5, 62**6) + block * ID_BLOCK_SPAN for name in ID_PREFIX
        }
        # kind -> (number // 3844, first 13 chars, first 2 checksum chars, 3rd checksum bits)
        self._heads: dict[str, tuple[int, str, str, int]] = {}

    def new(self, kind: str) -> str:
        """Same result as ``sf_id(prefix, number)``, reusing the part shared by 3844 ids."""
        number = self._next[kind]
        self._next[kind] = number + 1
        upper, c = divmod(number, _PAIR)
        head = self._heads.get(kind)
        if head is None or head[0] != upper:
            full = sf_id(ID_PREFIX[kind], upper * _PAIR)
            flags = _CHECKSUM_CHARS.index(full[17]) & 0b111
            head = (upper, full[:13], full[15:17], flags)
            self._heads[kind] = head
        flags = head[3] | _PAIR_FLAGS[c] << 3
        return f"{head[1]}{_B62_PAIRS[c]}{head[2]}{_CHECKSUM_CHARS[flags]}"
