"""Nested spans through the command line: train picks spancat, evaluate scores it, predict keeps the key."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nerforge.cli import app
from spancat_data import write_nested

runner = CliRunner()


def test_train_evaluate_and_predict_a_span_categorizer(tmp_path):
    train, dev = write_nested(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["train", str(train), "--dev", str(dev), "-o", str(out), "--max-epochs", "8"])
    assert result.exit_code == 0, result.output
    assert "span categorizer" in result.output and "Best dev F" in result.output
    model = str(out / "model-best")
    result = runner.invoke(app, ["evaluate", model, str(dev)])
    assert result.exit_code == 0, result.output
    assert "PRODUCT_LINE" in result.output and "GADGET" in result.output
    predicted = tmp_path / "predicted.jsonl"
    result = runner.invoke(app, ["predict", model, str(dev), "-o", str(predicted)])
    assert result.exit_code == 0, result.output
    assert all(json.loads(line)["spans_key"] == "sc" for line in predicted.read_text().splitlines())


def test_component_ner_on_overlapping_spans_is_a_coded_error(tmp_path):
    train, dev = write_nested(tmp_path)
    result = runner.invoke(
        app, ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "o"), "--component", "ner"]
    )
    assert result.exit_code != 0 and "E223" in result.output and "--component spancat" in result.output
