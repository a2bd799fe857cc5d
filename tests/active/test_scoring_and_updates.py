"""Span probabilities from the beam, patterns first, binary answers, and updates from them."""

from __future__ import annotations

import pytest
import spacy

from nerforge.active import (
    BackgroundLearner,
    SpanScorer,
    Suggestion,
    UpdateSettings,
    beam_scores,
    binary_answer,
    binary_question,
    merge_answers,
    new_pipeline,
    update_model,
)
from nerforge.docs import INCORRECT_SPANS_KEY, task_to_doc
from nerforge.records import Pattern, Span, Task

TEXTS = ["my zorbo 3 died today", "is the kalyx 9 worth it ?", "the weather is awful"]


@pytest.fixture(scope="module")
def nlp():
    return new_pipeline("en", "GADGET", warm_start=None)


def _patterns():
    return [Pattern("GADGET", [{"LOWER": "zorbo"}, {"IS_DIGIT": True}], id="zorbo-n")]


def test_a_new_pipeline_trains_rejected_spans_as_negatives(nlp):
    ner = nlp.get_pipe("ner")
    assert ner.labels == ("GADGET",) and ner.cfg["incorrect_spans_key"] == INCORRECT_SPANS_KEY


def test_beam_probabilities_are_probabilities(nlp):
    docs, scored = beam_scores(nlp, TEXTS)
    assert len(docs) == len(scored) == 3
    assert all(0.0 <= p <= 1.0 + 1e-6 for spans in scored for p in spans.values())


def test_patterns_alone_suggest_while_the_model_knows_little(nlp):
    scorer = SpanScorer(nlp, "GADGET", patterns=_patterns())
    suggestions = scorer.score([Task(text) for text in TEXTS])
    assert [(s.task.text, s.span.start, s.span.end, s.score, s.span.source) for s in suggestions] == [
        (TEXTS[0], 3, 10, 0.5, "zorbo-n")
    ]


def test_once_the_model_is_ready_its_spans_and_the_pattern_matches_are_both_suggested(nlp):
    scorer = SpanScorer(nlp, "GADGET", patterns=_patterns(), min_score=0.0, model_ready=True)
    suggestions = scorer.score([Task(TEXTS[0])])
    match = next(s for s in suggestions if (s.span.start, s.span.end) == (3, 10))
    assert match.span.source == "zorbo-n" and 0.0 <= match.score <= 1.0
    assert any(s.span.source == "model" for s in suggestions)


def test_once_the_model_is_ready_a_pattern_match_scores_the_models_probability(nlp):
    scorer = SpanScorer(nlp, "GADGET", patterns=_patterns(), model_ready=True)
    _docs, scored = beam_scores(nlp, [TEXTS[0]])
    (match,) = [s for s in scorer.score([Task(TEXTS[0])]) if s.span.source == "zorbo-n"]
    assert match.score == round(scored[0].get((1, 3, "GADGET"), 0.0), 4)  # 0.0 where no parse has it


def test_of_nested_pattern_matches_only_the_longest_is_suggested(nlp):
    patterns = [*_patterns(), Pattern("GADGET", [{"LOWER": "zorbo"}], id="zorbo")]
    suggestions = SpanScorer(nlp, "GADGET", patterns=patterns).score([Task(TEXTS[0])])
    assert [(s.span.start, s.span.end, s.span.source) for s in suggestions] == [(3, 10, "zorbo-n")]


def test_a_punctuation_mark_or_a_stop_word_alone_is_never_suggested(nlp):
    from nerforge.active.scoring import is_plausible

    doc = nlp.make_doc("is the zorbo 3 , worth it ?")
    assert not is_plausible(doc[0:1]) and not is_plausible(doc[4:5]) and not is_plausible(doc[0:2])
    assert is_plausible(doc[2:4]) and is_plausible(doc[1:3])
    scorer = SpanScorer(nlp, "GADGET", min_score=0.0, model_ready=True)
    for suggestion in scorer.score([Task(doc.text)]):
        span = doc.char_span(suggestion.span.start, suggestion.span.end)
        assert span is not None and is_plausible(span), span


def test_binary_answers_are_incomplete_and_merge_per_text():
    question = binary_question_for(TEXTS[0], 3, 10)
    accepted, rejected = binary_answer(question, "accept"), binary_answer(question, "reject")
    assert (
        not accepted.complete and accepted.spans[0].answer == "accept" and accepted.extra["_view_id"] == "ner"
    )
    assert rejected.answer == "reject" and rejected.spans[0].answer == "reject"
    other = binary_answer(binary_question_for(TEXTS[0], 3, 8), "reject")
    clash = binary_answer(binary_question_for(TEXTS[0], 3, 14), "accept")
    (merged,) = merge_answers([rejected, accepted, other, clash, binary_answer(question, "ignore")])
    assert [(s.start, s.end, s.answer) for s in merged.spans] == [(3, 8, "reject"), (3, 10, "accept")]
    doc = task_to_doc(merged, spacy.blank("en").make_doc)
    assert [t.ent_iob_ for t in doc] == ["", "B", "I", "", ""] and len(doc.spans[INCORRECT_SPANS_KEY]) == 1


def binary_question_for(text, start, end):
    return binary_question(Suggestion(Task(text), Span(start, end, "GADGET", source="model"), 0.4))


def test_updates_learn_the_accepted_spans():
    nlp = new_pipeline("en", "GADGET", warm_start=None)
    answers = [
        binary_answer(binary_question_for(f"my zorbo {n} died today", 3, 10 if n < 10 else 11), "accept")
        for n in range(3, 15)
    ]
    update_model(nlp, answers, UpdateSettings(n_epochs=12, outside_rate=1.0))
    assert [e.text for e in nlp("my zorbo 8 died today").ents] == ["zorbo 8"]


def test_the_background_learner_swaps_in_an_updated_copy():
    nlp = new_pipeline("en", "GADGET", warm_start=None)
    received = []
    learner = BackgroundLearner(nlp, received.append, update_every=2, settings=UpdateSettings(n_epochs=1))
    question = binary_question_for(TEXTS[0], 3, 10)
    learner.add(binary_answer(question, "accept"))
    assert not learner.updating and learner.n_updates_ == 0
    learner.add(binary_answer(binary_question_for(TEXTS[1], 7, 14), "reject"))
    learner.wait(timeout=60)
    assert learner.n_updates_ == 1 and received == [learner.nlp] and learner.nlp is not nlp


def test_a_failed_background_update_is_kept_not_raised(monkeypatch):
    nlp = new_pipeline("en", "GADGET", warm_start=None)
    learner = BackgroundLearner(nlp, lambda _: None, update_every=1)

    def broken(*_args):
        raise ValueError("no")

    monkeypatch.setattr("nerforge.active.updating.update_model", broken)
    learner.add(binary_answer(binary_question_for(TEXTS[0], 3, 10), "accept"))
    learner.wait(timeout=60)
    assert isinstance(learner.error_, ValueError) and learner.n_updates_ == 0 and learner.nlp is nlp


def test_a_resumed_learner_trains_on_the_stored_answers_before_anything_else():
    from nerforge.active import BackgroundLearner

    nlp = new_pipeline("en", "GADGET", warm_start=None)
    question = binary_question_for(TEXTS[0], 3, 10)
    updated = []
    learner = BackgroundLearner(nlp, updated.append, previous=[binary_answer(question, "accept")])
    learner.resume()
    learner.wait()
    assert learner.n_updates_ == 1 and len(updated) == 1 and not learner.resuming
    empty = BackgroundLearner(nlp, updated.append)
    empty.resume()  # nothing stored: nothing to train on
    assert empty.n_updates_ == 0 and not empty.updating
