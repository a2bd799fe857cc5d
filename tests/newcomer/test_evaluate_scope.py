"""Evaluate scores what the gold annotates, says what it skipped, and refuses nonsense (issue 16, item 4)."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.errors import DataError
from nerforge.evaluation.evaluate import evaluate, f_interval
from nerforge.evaluation.forgetting import ForgettingReport, LabelRetention, Thresholds
from nerforge.records import Span, Task


@pytest.fixture(scope="module")
def ruler_model():
    """A rule-based 'model' with an NER: DRUG and GPE labels, predictable predictions."""
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for label in ("DRUG", "GPE"):
        ner.add_label(label)
    nlp.initialize()
    nlp.remove_pipe("ner")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "DRUG", "pattern": "aspirin"}, {"label": "GPE", "pattern": "Paris"}])
    # evaluate needs a component named 'ner': rename the ruler
    nlp.rename_pipe("entity_ruler", "ner")
    nlp.get_pipe("ner").labels  # noqa: B018 - the ruler knows its labels
    return nlp


def drug_tasks(n=3):
    return [Task("aspirin in Paris", (Span(0, 7, "DRUG"),)) for _ in range(n)]


def test_only_labels_the_gold_annotates_are_scored(ruler_model):
    result = evaluate(ruler_model, drug_tasks())
    assert result.labels == ["DRUG"]
    assert result.skipped_labels == ["GPE"]
    assert result.scores.overall.f == 1.0


def test_ignored_tasks_are_not_gold(ruler_model):
    tasks = [*drug_tasks(), Task("Paris", answer="ignore")]
    result = evaluate(ruler_model, tasks)
    assert result.n_ignored_tasks == 1 and result.scores.n_tasks == 3


def test_an_empty_test_set_is_an_error(ruler_model, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(DataError, match=r"\[E020\].*empty.jsonl"):
        evaluate(ruler_model, empty)


def test_a_label_differing_only_in_case_is_an_error_with_the_fix(ruler_model):
    with pytest.raises(DataError, match=r"\[E021\].*'drug'.*rename it to 'DRUG'"):
        evaluate(ruler_model, [Task("aspirin", (Span(0, 7, "drug"),))])


def test_a_small_test_set_is_flagged_with_an_interval(ruler_model):
    result = evaluate(ruler_model, drug_tasks())
    assert result.is_small
    assert json.loads(json.dumps(result.to_dict()))["small_test_set"] is True
    low, high = result.f_interval
    assert low <= result.scores.overall.f <= high


def test_the_interval_widens_with_mixed_results():
    gold = [Task("a b", (Span(0, 1, "X"),)) for _ in range(20)]
    predicted = [[Span(0, 1, "X")] if i % 2 else [] for i in range(20)]
    low, high = f_interval(gold, predicted, ["X"], seed=1)
    assert 0 < low < 0.667 < high < 1


def test_a_thin_label_is_too_few_to_judge_and_its_loss_is_still_reported():
    thresholds = Thresholds(min_support=20)
    rows = (
        LabelRetention("TIME", 1.0, 0.71, "base", 12, "too_few"),
        LabelRetention("DATE", 1.0, 0.99, "base", 40, "kept"),
    )
    report = ForgettingReport(rows, thresholds)
    assert report.dropped == [] and [r.label for r in report.unjudged_losses] == ["TIME"]
    assert report.to_dict()["thresholds"]["min_support"] == 20
