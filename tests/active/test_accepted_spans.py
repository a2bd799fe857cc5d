"""Accepted spans settle their text's overlapping suggestions; the pattern phase's length."""

from __future__ import annotations

import pytest

from nerforge.active import (
    AcceptedSpans,
    SpanScorer,
    Suggestion,
    binary_answer,
    binary_question,
    new_pipeline,
)
from nerforge.records import Span, Task

TEXT = "my zorbo 3 pro died"  # zorbo 3 pro: 3-14


def _suggestion(start: int, end: int, text: str = TEXT) -> Suggestion:
    return Suggestion(Task(text), Span(start, end, "GADGET"), 0.5)


def _answered(start: int, end: int, answer: str) -> Task:
    return binary_answer(binary_question(_suggestion(start, end)), answer)  # type: ignore[arg-type]


@pytest.mark.parametrize(("start", "end"), [(3, 14), (3, 10), (9, 14), (0, 5)])
def test_a_span_overlapping_an_accepted_one_is_settled(start, end):
    accepted = AcceptedSpans()
    accepted.add(_answered(3, 14, "accept"))
    assert accepted.overlaps(_suggestion(start, end))


def test_a_span_beside_an_accepted_one_or_in_another_text_is_not_settled():
    accepted = AcceptedSpans()
    accepted.add(_answered(3, 14, "accept"))
    assert not accepted.overlaps(_suggestion(15, 19))
    assert not accepted.overlaps(_suggestion(3, 14, text="my zorbo 3 pro lives"))


@pytest.mark.parametrize("answer", ["reject", "ignore"])
def test_a_rejected_or_ignored_span_settles_nothing(answer):
    accepted = AcceptedSpans()
    accepted.add(_answered(3, 10, answer))
    assert not accepted.overlaps(_suggestion(3, 14))


def test_the_model_suggests_once_it_is_ready_whatever_the_accepts():
    nlp = new_pipeline("en", "GADGET", warm_start=None)
    scorer = SpanScorer(nlp, "GADGET")
    scorer.n_accepted = 100
    assert scorer.model_knows_little
    scorer.model_ready = True  # teach sets it when an update lands, or for a model that knew the label
    assert not scorer.model_knows_little
