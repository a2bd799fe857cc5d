"""Missing-aware scoring: agreement with spaCy, negatives, missing text, error kinds."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.scorer import get_ner_prf
from spacy.training import Example

from nerforge.docs import task_to_doc
from nerforge.evaluation import score_tasks
from nerforge.records import Span, Task


def test_agrees_with_spacys_scorer_on_complete_data():
    nlp = spacy.blank("en")
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta"]
    gold, predicted, examples = [], [], []
    for _ in range(60):
        text = " ".join(rng.choice(words) for _ in range(8))
        tokens = [(t.idx, t.idx + len(t)) for t in nlp.make_doc(text)]

        def random_spans(tokens=tokens):
            spans, i = [], 0
            while i < len(tokens):
                if rng.random() < 0.3:
                    j = min(len(tokens) - 1, i + rng.randrange(2))
                    spans.append(Span(tokens[i][0], tokens[j][1], rng.choice(["A", "B"])))
                    i = j + 2
                else:
                    i += 1
            return spans

        task, guess = Task(text, tuple(random_spans())), random_spans()
        gold.append(task)
        predicted.append(guess)
        examples.append(
            Example(task_to_doc(Task(text, tuple(guess)), nlp.make_doc), task_to_doc(task, nlp.make_doc))
        )
    ours = score_tasks(gold, predicted)
    theirs = get_ner_prf(examples)
    assert ours.overall.f == pytest.approx(theirs["ents_f"])
    assert ours.overall.precision == pytest.approx(theirs["ents_p"])
    for label, prf in ours.per_label.items():
        assert prf.f == pytest.approx(theirs["ents_per_type"][label]["f"])


def test_entity_free_complete_tasks_count_false_positives():
    gold = [Task("nothing to see here"), Task("my Pixel died", (Span(3, 8, "GADGET"),))]
    predicted = [[Span(0, 7, "GADGET")], [Span(3, 8, "GADGET")]]
    scores = score_tasks(gold, predicted)
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (1, 1, 0)
    assert scores.overall.precision == 0.5
    assert scores.error_counts["spurious"] == 1


def test_predictions_on_missing_text_count_neither_way():
    gold = [Task("my Pixel and a dog", (Span(3, 8, "GADGET"),), complete=False)]
    predicted = [[Span(3, 8, "GADGET"), Span(15, 18, "GADGET")]]
    scores = score_tasks(gold, predicted)
    assert (scores.overall.tp, scores.overall.fp, scores.overall.fn) == (1, 0, 0)
    assert scores.n_ignored_predictions == 1


def test_rejected_span_predicted_is_a_false_positive():
    gold = [Task("galaxy brain move", (Span(0, 6, "GADGET", "reject"),), complete=False)]
    scores = score_tasks(gold, [[Span(0, 6, "GADGET")]])
    assert scores.overall.fp == 1


@pytest.mark.parametrize(
    ("predicted", "kind"),
    [
        (Span(3, 17, "GADGET"), "boundary"),  # "Samsung Galaxy" for "Samsung Galaxy S9"
        (Span(3, 20, "ORG"), "label"),
        (Span(3, 10, "ORG"), "label_and_boundary"),
    ],
)
def test_error_kinds(predicted, kind):
    gold = [Task("my Samsung Galaxy S9", (Span(3, 20, "GADGET"),))]
    scores = score_tasks(gold, [[predicted]])
    assert scores.error_counts[kind] == 1
    assert "missed" not in scores.error_counts


def test_missed_and_label_scope():
    gold = [Task("Tim bought a Pixel", (Span(0, 3, "PERSON"), Span(13, 18, "GADGET")))]
    scores = score_tasks(gold, [[]], labels=["GADGET"])
    assert dict(scores.per_label).keys() == {"GADGET"}
    assert scores.error_counts["missed"] == 1
