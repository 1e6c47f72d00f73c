"""The write guard's quick pass over a statement's parameters misses no value a unique id
cannot hold (kg/stores/guards.py: empty, white space at either end, U+0001, which crash
FalkorDB's unique index), whatever else the strings hold."""

from __future__ import annotations

import random

import pytest

from kg.errors import InvalidInput
from kg.stores import guards

ALPHABET = ["a", "é", " ", "\t", "\n", "\v", "\f", "\r", "\x01", "\x00", '"', "\\", "u", "0"]


def test_every_unsafe_string_is_flagged_by_the_quick_pass() -> None:
    rng = random.Random(7)
    unsafe = 0
    for _ in range(20_000):
        value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 5)))
        params = {"rows": [{"id": "ok", "props": {"aliases": ["ok", value], "n": 1}}]}
        if guards.UNINDEXABLE.search(value):
            unsafe += 1
            assert guards._unsafe(params), repr(value)
    assert unsafe > 5_000  # the alphabet makes many: not a vacuous loop


@pytest.mark.parametrize("value", ["", " Rabat", "Rabat\n", "Ra\x01bat", "Rabat\t"])
def test_a_write_carrying_an_unsafe_string_is_refused(value: str) -> None:
    params = {"rows": [{"id": "rabat", "props": {"name": "Rabat", "aliases": [value]}}]}
    with pytest.raises(InvalidInput, match=r"parameter rows\[0\]\.props\.aliases\[0\] "):
        guards.check("UNWIND $rows AS row RETURN row", params, write=True)


@pytest.mark.parametrize("value", ["« Rabat »", 'dit "Rabat"', "a\\b", "Rabat, Maroc"])
def test_safe_strings_pass_even_when_the_quick_pass_looks_twice(value: str) -> None:
    params = {"rows": [{"id": "rabat", "props": {"aliases": [value], "quote": value}}]}
    assert guards.check("UNWIND $rows AS row RETURN row", params, write=True) is None
