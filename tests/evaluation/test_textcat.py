"""Scoring text categories (issue 19, item 1)."""

from __future__ import annotations

import pytest

from nerforge.errors import DataError
from nerforge.evaluation.textcat import check_exclusive, is_exclusive, roc_auc, score_cats
from nerforge.records import Task


def cats_task(**cats: float) -> Task:
    return Task("a text", cats=cats)


def test_exclusive_classes_are_told_from_the_data():
    assert is_exclusive([cats_task(POS=1, NEG=0), cats_task(POS=0, NEG=1)])
    assert not is_exclusive([cats_task(A=1, B=1), cats_task(A=0, B=1)])


def test_two_classes_at_one_in_exclusive_data_is_an_error():
    with pytest.raises(DataError, match=r"\[E025\].*A, B"):
        check_exclusive([cats_task(A=1, B=1)])


def test_exclusive_scores_take_the_top_class_and_fill_the_confusion_table():
    gold = [cats_task(POS=1, NEG=0), cats_task(POS=0, NEG=1), cats_task(POS=1, NEG=0)]
    predicted = [{"POS": 0.9, "NEG": 0.1}, {"POS": 0.6, "NEG": 0.4}, {"POS": 0.4, "NEG": 0.45}]
    scores = score_cats(gold, predicted)
    assert scores.exclusive
    assert (scores.per_class["POS"].tp, scores.per_class["POS"].fp, scores.per_class["POS"].fn) == (1, 1, 1)
    assert scores.confusion == {"NEG": {"POS": 1}, "POS": {"POS": 1, "NEG": 1}}
    assert scores.macro_f == pytest.approx(0.25)


def test_a_binary_answer_scores_only_its_class():
    scores = score_cats([Task("x", cats={"GADGET": 0.0})], [{"GADGET": 0.2, "OTHER": 0.9}])
    assert set(scores.per_class) == {"GADGET"} and scores.per_class["GADGET"].fp == 0


def test_roc_auc_counts_ties_as_half():
    assert roc_auc([(0.9, True), (0.1, False)]) == 1.0
    assert roc_auc([(0.5, True), (0.5, False)]) == 0.5
    assert roc_auc([(0.5, True)]) is None
