"""The --overlap rule both feeds share: who may take a question next."""

from __future__ import annotations

import pytest

from nerforge.web.claims import Takers


def test_with_overlap_n_a_question_is_full_once_n_other_sessions_took_it():
    takers = Takers(2, lambda: {"q": {"ana"}})  # ana answered it before a restart
    assert not takers.full("q", besides="bob")
    takers.add("bob", "q")
    assert takers.full("q", besides="cy") and takers.full("q")
    assert not takers.full("q", besides="bob")  # for bob only the others count: ana alone


def test_with_overlap_zero_nothing_is_ever_full_and_the_store_is_not_read():
    def load() -> dict[str, set[str]]:
        raise AssertionError("the store's answers were read")

    assert not Takers(0, load).full("q", besides="ana")


@pytest.mark.parametrize("overlap", [1, 3])
def test_a_question_nobody_took_is_not_full(overlap):
    assert not Takers(overlap, dict).full("q")
