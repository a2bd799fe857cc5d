"""Amount checks (L4xx): examples per label, and texts without entities."""

from __future__ import annotations

from collections import Counter

import pytest
from lint_helpers import codes

from nerforge.lint import lint_tasks
from nerforge.lint.checks.amounts import (
    check_label_amounts,
    check_negatives,
    check_new_label_names,
    check_spans_exist,
)
from nerforge.lint.corpus import Corpus, Record
from nerforge.records import Span, Task


def counted(**label_counts: int) -> Corpus:
    return Corpus("data.jsonl", label_counts=Counter(label_counts))


def found(findings) -> list[tuple[str, str]]:
    return [(f.code, f.details.get("label", "")) for f in findings]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(49, [("L401", "GADGET")]), (50, [("L402", "GADGET")]), (999, [("L402", "GADGET")]), (1000, [])],
)
def test_new_label_thresholds(n, expected):
    assert found(check_label_amounts(counted(GADGET=n), new_labels=["GADGET"])) == expected


@pytest.mark.parametrize(
    ("n", "expected"), [(3, [("L403", "PERSON")]), (199, [("L403", "PERSON")]), (200, [])]
)
def test_known_label_needs_a_few_hundred(n, expected):
    assert found(check_label_amounts(counted(PERSON=n), new_labels=[])) == expected


def test_without_new_labels_or_base_every_label_is_new_and_the_message_says_so():
    [finding] = check_label_amounts(counted(PERSON=120))
    assert (
        finding.code == "L402" and "counted as a new label: pass --new-labels, or --base" in finding.message
    )


def test_base_labels_tell_new_from_known():
    findings = check_label_amounts(counted(PERSON=120, GADGET=120), known_labels={"PERSON", "ORG"})
    assert found(findings) == [("L402", "GADGET"), ("L403", "PERSON")]


def test_rarest_label_first():
    findings = check_label_amounts(counted(A=900, B=10, C=300))
    assert [f.details["label"] for f in findings] == ["B", "C", "A"]


def test_new_label_that_no_span_has_is_a_likely_typo():
    [finding] = check_new_label_names(counted(GADGET=5), ["GADGET", "GADGTE"])
    assert finding.code == "L407" and "GADGTE" in finding.message


def records(n_positive: int, n_negative: int, *, complete: bool = True) -> Corpus:
    corpus = Corpus("data.jsonl")
    for i in range(n_positive):
        corpus.records.append(Record(f"Pixel {i}", (Span(0, 5, "GADGET"),), complete, i + 1))
        corpus.label_counts["GADGET"] += 1
    corpus.records.extend(Record(f"nothing {i}", (), complete, i) for i in range(n_negative))
    return corpus


@pytest.mark.parametrize(
    ("n_positive", "n_negative", "expected"),
    [(10, 0, ["L405"]), (91, 9, ["L406"]), (90, 10, []), (0, 10, [])],
)
def test_share_of_texts_without_entities(n_positive, n_negative, expected):
    assert [f.code for f in check_negatives(records(n_positive, n_negative))] == expected


def test_incomplete_tasks_are_not_negatives():
    assert not list(check_negatives(records(10, 10, complete=False)))


def test_no_spans_at_all():
    assert [f.code for f in check_spans_exist(records(0, 5))] == ["L404"]
    assert not list(check_spans_exist(records(1, 5)))


def test_raw_texts_have_nothing_to_learn():
    report = lint_tasks([Task("a raw text", complete=False), Task("another", complete=False)])
    assert codes(report) == {"L404", "L606"} and report.has_errors
