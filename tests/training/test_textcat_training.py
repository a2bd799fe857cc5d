"""Training text categories: exclusive or multi-label from the data or the setting, alone or
beside the NER, missing classes kept missing, coded errors, and the typed report."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy
from spacy.training import Example

from nerforge.errors import DataError, TrainingError
from nerforge.evaluation.scoring import PRF
from nerforge.evaluation.textcat import TextcatScores
from nerforge.records import Task
from nerforge.training import Trainer
from nerforge.training.textcat import choose_textcat, complete_exclusive, main_score
from textcat_data import DEV_ROWS, exclusive, sentiment_rows, write_jsonl


def test_exclusive_categories_train_a_textcat_alone(textcat_run):
    trainer = textcat_run.trainer
    assert trainer.nlp_ is not None and trainer.nlp_.pipe_names == ["textcat"]
    report = trainer.report_
    assert report is not None and set(report.components) == {"textcat"}
    assert report.components["textcat"].labels == ("NEGATIVE", "POSITIVE")
    best = report.best
    assert best is not None and best.cats is not None and best.cats.exclusive
    assert best.score == pytest.approx(best.cats.macro_f) and best.cats.macro_f > 0.8


def test_the_report_and_meta_carry_the_category_scores(textcat_run):
    trainer, output = textcat_run.trainer, textcat_run.output
    saved = json.loads((output / "training.json").read_text())
    assert saved["best"]["cats"]["macro_f"] == pytest.approx(trainer.report_.best.cats.macro_f)
    assert set(saved["best"]["cats"]["per_class"]) == {"NEGATIVE", "POSITIVE"}
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    assert meta["performance"]["cats_score"] == pytest.approx(trainer.report_.best.score)
    assert spacy.load(output / "model-best").pipe_names == ["textcat"]


def test_several_classes_at_once_train_a_multilabel_textcat(tmp_path):
    rows = [
        {"text": t, "cats": {"POSITIVE": float(p), "PRICE": float("price" in t or "cheap" in t)}}
        for t, p in [*sentiment_rows(40), ("great price , cheap too", True), ("awful price", False)]
    ]
    rows.append({"text": "great and cheap", "cats": {"POSITIVE": 1.0, "PRICE": 1.0}})
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    dev = write_jsonl(
        tmp_path / "dev.jsonl", [{"text": "cheap mixer , i love it", "cats": {"POSITIVE": 1.0, "PRICE": 1.0}}]
    )
    trainer = Trainer(max_epochs=2).fit(train, dev, output=tmp_path / "out")
    assert trainer.nlp_.pipe_names == ["textcat_multilabel"]
    assert not trainer.report_.best.cats.exclusive


def test_categories_train_beside_the_ner_when_the_data_has_both(tmp_path):
    rows = []
    for text, positive in sentiment_rows(40):
        thing = text.split()[-1] if text.split()[-1] != "well" else text.split()[1]
        start = text.index(thing)
        rows.append(
            exclusive(text, positive)
            | {"spans": [{"start": start, "end": start + len(thing), "label": "THING"}]}
        )
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    dev = write_jsonl(tmp_path / "dev.jsonl", rows[:6])
    trainer = Trainer(max_epochs=2, warm_start=None, force=True).fit(train, dev, output=tmp_path / "out")
    assert trainer.nlp_.pipe_names == ["ner", "textcat"]
    assert set(trainer.report_.components) == {"ner", "textcat"}
    best = trainer.report_.best
    assert best.score == pytest.approx(0.5 * best.f + 0.5 * best.cats.macro_f)


def test_an_exclusive_task_with_two_classes_at_one_is_refused_with_its_line(tmp_path):
    rows = [exclusive(t, p) for t, p in sentiment_rows(10)]
    rows[3]["cats"] = {"POSITIVE": 1.0, "NEGATIVE": 1.0}
    train = write_jsonl(tmp_path / "train.jsonl", rows)
    dev = write_jsonl(tmp_path / "dev.jsonl", [exclusive(t, p) for t, p in DEV_ROWS])
    with pytest.raises(DataError, match=r"\[E025\] .*train\.jsonl.*line 4"):
        Trainer(textcat="exclusive").fit(train, dev, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_asking_for_categories_on_data_without_them_is_refused(tiny_data, tmp_path):
    train, dev = tiny_data
    with pytest.raises(TrainingError, match=r"\[E217\]"):
        Trainer(textcat="multilabel").fit(train, dev, output=tmp_path / "out")


def test_one_exclusive_class_and_unseen_dev_classes_are_refused(tmp_path):
    one = [Task("a", cats={"POSITIVE": 1.0})]
    with pytest.raises(TrainingError, match=r"\[E218\]"):
        choose_textcat(one, [], "exclusive")
    with pytest.raises(TrainingError, match=r"\[E219\] .*SPAM"):
        choose_textcat(one, [Task("b", cats={"SPAM": 1.0})], "auto")


def test_exclusive_data_with_tasks_lacking_categories_trains_multilabel_unless_told():
    tasks = [Task("a", cats={"POSITIVE": 1.0, "NEGATIVE": 0.0}), Task("b")]
    choice = choose_textcat(tasks, [], "auto")
    assert choice is not None and choice.component == "textcat_multilabel" and "no categories" in choice.why
    assert choose_textcat(tasks, [], "exclusive").component == "textcat"


def test_exclusivity_fills_in_what_it_implies_and_nothing_else():
    labels = ("NEGATIVE", "POSITIVE")
    accepted, rejected = Task("a", cats={"POSITIVE": 1.0}), Task("b", cats={"POSITIVE": 0.0})
    assert [dict(t.cats) for t in complete_exclusive([accepted, rejected], labels)] == [
        {"NEGATIVE": 0.0, "POSITIVE": 1.0},
        {"NEGATIVE": 1.0, "POSITIVE": 0.0},
    ]
    three = ("A", "B", "C")
    assert dict(complete_exclusive([Task("c", cats={"A": 0.0})], three)[0].cats) == {"A": 0.0}


def test_spacy_masks_a_class_a_multilabel_task_does_not_mention():
    """What makes a binary answer's other classes missing, not 0 (spaCy's textcat_multilabel)."""
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel")
    doc = nlp.make_doc("great lamp")
    reference = nlp.make_doc("great lamp")
    reference.cats = {"POSITIVE": 1.0}
    textcat.initialize(lambda: [Example(doc, reference)], labels=["POSITIVE", "PRICE"])
    _truths, not_missing = textcat._examples_to_truth([Example(doc, reference)])
    assert numpy.asarray(not_missing).tolist() == [[1.0, 0.0]]


def test_the_main_score_weights_both_components_as_spacy_does():
    cats = TextcatScores(per_class={"A": PRF(tp=1), "B": PRF(tp=1, fp=1)}, exclusive=True)
    assert main_score(None, cats) == pytest.approx(cats.macro_f)
    assert main_score(0.5, cats) == pytest.approx(0.25 + 0.5 * cats.macro_f)
    assert main_score(0.7, None) == 0.7
    multi = TextcatScores(per_class={"A": PRF(tp=1)}, auc={"A": 0.9})
    assert main_score(None, multi) == pytest.approx(0.9)  # spaCy's cats_score: macro AUC
