"""Span categorization: nested GADGET/PRODUCT_LINE spans train spaCy's spancat, score per label,
and reload with spacy.load; when spancat is chosen, and the coded errors around it."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.errors import ParameterError, TrainingError
from nerforge.records import Span, Task
from nerforge.training import Trainer
from nerforge.training.spancat import choose_span_component
from spancat_data import nested_task, write_nested
from tiny_data import run_spacy_train, write_tiny_data


def test_nested_spans_train_a_span_categorizer(spancat_run):
    trainer = spancat_run.trainer
    assert trainer.nlp_ is not None and trainer.nlp_.pipe_names == ["spancat"]
    assert trainer.plan_.config["components"]["spancat"]["suggester"]["sizes"] == [1, 2, 3]
    best = trainer.report_.best
    assert best.component == "spancat" and set(best.scores.per_label) == {"GADGET", "PRODUCT_LINE"}
    assert best.f > 0.8


def test_the_saved_model_reloads_and_finds_nested_spans(spancat_run):
    output = spancat_run.output
    nlp = spacy.load(output / "model-best")
    doc = nlp("selling my zorbo 4 pro cheap")
    found = {(span.text, span.label_) for span in doc.spans["sc"]}
    assert {("zorbo 4 pro", "GADGET"), ("zorbo", "PRODUCT_LINE")} <= found


def test_meta_and_report_carry_the_spancat_scores(spancat_run):
    trainer, output = spancat_run.trainer, spancat_run.output
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    assert meta["performance"]["spans_sc_f"] == pytest.approx(trainer.report_.best.f)
    assert set(meta["performance"]["spans_sc_per_type"]) == {"GADGET", "PRODUCT_LINE"}
    saved = json.loads((output / "training.json").read_text())
    assert saved["components"]["spancat"]["labels"] == ["GADGET", "PRODUCT_LINE"]
    assert saved["best"]["component"] == "spancat"


def test_an_exported_spancat_config_trains_under_plain_spacy(tmp_path):
    train, dev = write_nested(tmp_path)
    config = tmp_path / "config.cfg"
    Trainer().export_config(train, dev, path=config)
    result = run_spacy_train(config, tmp_path / "plain", max_steps=10)
    assert result.returncode == 0, result.stderr
    assert spacy.load(tmp_path / "plain" / "model-last").pipe_names == ["spancat"]


def test_a_spancat_config_trains_under_nerforge_train_config(tmp_path):
    train, dev = write_nested(tmp_path)
    config = tmp_path / "config.cfg"
    Trainer().export_config(train, dev, path=config)
    trainer = Trainer(config=str(config), overrides={"training.max_epochs": 3}).fit(
        None, output=tmp_path / "o"
    )
    assert list(trainer.plan_.components) == ["spancat"]
    best = trainer.report_.best
    assert best.component == "spancat" and set(best.scores.per_label) == {"GADGET", "PRODUCT_LINE"}


def test_spancat_can_be_asked_for_on_data_without_overlaps(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    trainer = Trainer(component="spancat").check(train, dev)
    assert list(trainer.plan_.components) == ["spancat"]
    assert trainer.plan_.config["corpora"]["train"]["spans_key"] == "sc"


def test_asked_for_spancat_reads_overlapping_spans_that_name_no_key(tmp_path):
    train, dev = write_nested(tmp_path, spans_key=None)
    trainer = Trainer(component="spancat").check(train, dev)
    assert list(trainer.plan_.components) == ["spancat"]
    assert all(task.spans_key == "sc" for task in trainer.plan_.dev_tasks)


def test_the_ner_refuses_overlapping_spans():
    task = Task("my zorbo 3", (Span(3, 8, "PRODUCT_LINE"), Span(3, 10, "GADGET")))
    with pytest.raises(TrainingError, match=r"\[E223\]"):
        choose_span_component([task], "ner")


def test_tasks_naming_two_spans_keys_are_refused(tmp_path):
    rows = [
        nested_task("my {} died", "zorbo", "3"),
        nested_task("my {} died", "kalyx", "9") | {"spans_key": "x"},
    ]
    path = tmp_path / "train.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    with pytest.raises(TrainingError, match=r"\[E225\]"):
        Trainer().check(path)


def test_spancat_beside_text_categories_is_refused(tmp_path):
    row = nested_task("my {} died", "zorbo", "3") | {"cats": {"POSITIVE": 1.0}}
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(TrainingError, match=r"\[E224\] .*beside text categories"):
        Trainer().check(path)


def test_an_unknown_component_is_a_parameter_error():
    with pytest.raises(ParameterError, match=r"\[E403\] .*'component'"):
        Trainer(component="parser").check("unused.jsonl")  # type: ignore[arg-type]
