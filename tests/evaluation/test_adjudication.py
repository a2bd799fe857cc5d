"""Grouping answers into versions per text, and the gold task chosen from them."""

from __future__ import annotations

import pytest

from nerforge.errors import ParameterError
from nerforge.evaluation.adjudication import gold_task, group_versions
from nerforge.records import Span, Task
from nerforge.storage import StoredAnswer

TEXT = "buy the zorbo 3"
ZORBO = Span(8, 15, "GADGET")


def stored(annotator: str, task: Task) -> StoredAnswer:
    return StoredAnswer(0, task, annotator, 0.0, 0, 0)


def test_an_annotators_last_answer_is_their_version_and_ignored_ones_say_nothing():
    answers = [
        stored("ana", Task(TEXT)),
        stored("ana", Task(TEXT, (ZORBO,))),
        stored("bob", Task(TEXT, (ZORBO,))),
        stored("cy", Task(TEXT, (), "ignore", False)),
        stored("ana", Task("only ana")),
    ]
    [text] = group_versions(answers)
    assert [(v.annotator, v.spans) for v in text.versions] == [("ana", (ZORBO,)), ("bob", (ZORBO,))]
    assert text.agreed


def test_versions_that_differ_or_reject_are_not_agreed():
    differ = group_versions([stored("ana", Task(TEXT, (ZORBO,))), stored("bob", Task(TEXT))])
    rejected = group_versions([stored("ana", Task(TEXT, (), "reject", False)), stored("bob", Task(TEXT))])
    assert not differ[0].agreed and not rejected[0].agreed


def test_none_is_right_is_a_rejected_task_with_its_provenance():
    [text] = group_versions([stored("ana", Task(TEXT, (ZORBO,))), stored("bob", Task(TEXT))])
    task = gold_task(text, [ZORBO], adjudicator="carol", answer="reject")
    assert (task.answer, task.complete, task.spans) == ("reject", False, ())
    assert task.extra["_adjudicator"] == "carol" and task.extra["_annotators"] == ["ana", "bob"]


@pytest.mark.parametrize(
    ("spans", "picked", "edited"),
    [
        ([ZORBO], "ana", False),  # ana's version as it was
        ([Span(8, 13, "GADGET")], "ana", True),  # ana's version, a boundary moved
        ([ZORBO], "bob", True),  # bob's version (no entities), a span added
        ([ZORBO], None, True),  # marked with no version picked
    ],
)
def test_the_gold_task_names_the_version_picked_and_whether_it_was_edited(spans, picked, edited):
    [text] = group_versions([stored("ana", Task(TEXT, (ZORBO,))), stored("bob", Task(TEXT))])
    task = gold_task(text, spans, adjudicator="carol", picked=picked)
    assert task.spans == tuple(spans) and (task.extra["_picked"], task.extra["_edited"]) == (picked, edited)


def test_a_version_nobody_gave_is_refused():
    [text] = group_versions([stored("ana", Task(TEXT, (ZORBO,))), stored("bob", Task(TEXT))])
    with pytest.raises(ParameterError, match=r"\[E403\].*ana, bob"):
        gold_task(text, [ZORBO], adjudicator="carol", picked="zed")


def test_a_span_groups_versions_may_nest_and_the_gold_task_names_its_key():
    nested = tuple(sorted((ZORBO, Span(8, 13, "PRODUCT_LINE"))))  # "zorbo" inside "zorbo 3"
    sc = {"spans_key": "sc"}
    answers = [stored("ana", Task(TEXT, nested, extra=sc)), stored("bob", Task(TEXT, (ZORBO,), extra=sc))]
    [text] = group_versions(answers)
    assert text.spans_key == "sc" and text.versions[0].spans == nested
    task = gold_task(text, nested, adjudicator="carol", picked="ana")
    assert task.spans_key == "sc" and task.spans == nested and not task.extra["_edited"]
    [entities] = group_versions([stored("ana", Task(TEXT, (ZORBO,))), stored("bob", Task(TEXT))])
    assert entities.spans_key is None and gold_task(entities, [], adjudicator="carol").spans_key is None
