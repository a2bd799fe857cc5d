"""The rehearsal strategies: the settings read into one, its ratio, its report names, its tasks."""

from __future__ import annotations

import pytest
import spacy

from nerforge.records import Span, Task
from nerforge.training.defaults import BESIDE_REHEARSAL_RATIO, DEFAULT_REHEARSAL_RATIO
from nerforge.training.rehearsal_strategies import (
    BasePredictions,
    BesideRehearsal,
    NoRehearsal,
    RehearsedCorpus,
    WithDefaultCorpus,
    rehearsal_strategy,
)
from nerforge.training.settings import TrainerSettings


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (TrainerSettings(), WithDefaultCorpus()),
        (TrainerSettings(rehearse="raw.txt", rehearsal_ratio=3.0), WithDefaultCorpus("raw.txt", 3.0)),
        (TrainerSettings(rehearse_default=False), BasePredictions()),
        (TrainerSettings(rehearsal=False, rehearse="raw.txt"), NoRehearsal()),
    ],
)
def test_the_settings_are_read_into_one_strategy(settings, expected):
    assert rehearsal_strategy(settings) == expected


@pytest.mark.parametrize(
    ("strategy", "rehearses", "default"),
    [(NoRehearsal(), False, False), (BasePredictions(), True, False), (WithDefaultCorpus(), True, True)],
)
def test_the_report_names_each_strategy_the_same_beside_the_base_or_not(strategy, rehearses, default):
    for named in (strategy, strategy.beside()):
        assert (named.rehearses, named.rehearses_default) == (rehearses, default)


def test_the_ratio_is_as_asked_else_the_kind_of_updates_default():
    assert BasePredictions().ratio == DEFAULT_REHEARSAL_RATIO
    assert BasePredictions().beside().ratio == BESIDE_REHEARSAL_RATIO
    assert BasePredictions(asked_ratio=0.5).beside().ratio == 0.5
    assert WithDefaultCorpus(asked_ratio=4.0).ratio == 4.0


def test_beside_wraps_once():
    beside = WithDefaultCorpus().beside()
    assert isinstance(beside, BesideRehearsal)
    assert beside.beside() is beside


def test_no_rehearsal_keeps_the_tasks_and_rehearses_nothing():
    nlp = spacy.blank("en")
    tasks = [Task("Rex ate", (Span(0, 3, "PET"),))]
    strategy = NoRehearsal()
    assert strategy.training_tasks(tasks, nlp, frozenset({"PET"})) == tuple(tasks)
    assert strategy.corpus(nlp, tasks, frozenset({"PET"}), frozenset({"PET"})) == RehearsedCorpus()


def test_beside_keeps_only_the_new_labels_spans():
    nlp = spacy.blank("en")
    task = Task("Rex met Ann", (Span(0, 3, "PET"), Span(8, 11, "PERSON")))
    (kept,) = NoRehearsal().beside().training_tasks([task], nlp, frozenset({"PET"}))
    assert [span.label for span in kept.spans] == ["PET"]


def test_base_predictions_fill_old_labels_from_the_frozen_base(tmp_path):
    base = spacy.blank("en")
    base.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "PERSON", "pattern": "Ann"}])
    task = Task("Rex met Ann", (Span(0, 3, "PET"),))
    (filled,) = BasePredictions().training_tasks([task], base, frozenset({"PET"}))
    assert [(span.label, span.source) for span in filled.spans] == [("PET", None), ("PERSON", "base")]
    raw = tmp_path / "raw.txt"
    raw.write_text("Rex met Ann\nAnn slept\n", encoding="utf-8")
    corpus = BasePredictions(raw).corpus(base, [task], frozenset({"PET"}), frozenset({"PET"}))
    assert corpus.held_out == ()
    assert [t.text for t in corpus.rehearsal or ()] == ["Ann slept"]  # the training text is left out
