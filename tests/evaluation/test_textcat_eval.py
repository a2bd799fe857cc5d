"""Evaluating and predicting with a text classifier: per-class scores, averages, confusions, cats out."""

from __future__ import annotations

import pytest

import nerforge
from nerforge.errors import DataError
from nerforge.evaluation.textcat import score_model_cats, textcat_component
from textcat_data import DEV_ROWS

TEXTS = ["i love the new mixer", "awful oven , terrible price"]


@pytest.fixture(scope="module")
def cats_model(textcat_run):
    return textcat_run.output / "model-best", textcat_run.dev


def test_evaluate_scores_each_class_and_the_averages(cats_model):
    model, dev = cats_model
    evaluation = nerforge.evaluate(model, dev)
    cats = evaluation.cats
    assert cats is not None and cats.exclusive and cats.n_tasks == len(DEV_ROWS)
    assert set(cats.per_class) == {"NEGATIVE", "POSITIVE"}
    assert set(cats.auc) == {"NEGATIVE", "POSITIVE"}
    assert sum(sum(row.values()) for row in cats.confusion.values()) == len(DEV_ROWS)
    report = evaluation.to_dict()["cats"]
    assert {"macro_f", "micro_f", "macro_auc", "per_class", "confusion"} <= set(report)


def test_gold_without_categories_is_refused_for_a_classifier_alone(cats_model, tiny_data):
    model, _ = cats_model
    with pytest.raises(DataError, match=r"\[E026\]"):
        nerforge.evaluate(model, tiny_data[1])


def test_predict_writes_the_models_categories(cats_model):
    model, _ = cats_model
    tasks = list(nerforge.predict(model, TEXTS))
    assert [t.text for t in tasks] == TEXTS
    for task in tasks:
        assert set(task.cats) == {"NEGATIVE", "POSITIVE"}
        assert sum(task.cats.values()) == pytest.approx(1.0, abs=1e-4)  # exclusive: a softmax


def test_an_ner_alone_has_no_category_scores(tiny_model, tiny_data):
    trainer, _ = tiny_model
    assert textcat_component(trainer.nlp_) is None
    assert score_model_cats(trainer.nlp_, []) is None
    assert nerforge.evaluate(trainer.nlp_, tiny_data[1]).cats is None
