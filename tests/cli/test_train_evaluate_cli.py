"""`nerforge train`, `evaluate`, `explore`, `predict`: thin commands, clean failures."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nerforge.cli import app
from tiny_data import write_tiny_data

runner = CliRunner()


def test_train_then_evaluate_predict_explore(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    out = tmp_path / "model"
    result = runner.invoke(
        app, ["train", str(train), "--dev", str(dev), "-o", str(out), "--warm-start", "none"]
    )
    assert result.exit_code == 0, result.output
    assert "epoch" in result.output and "Best dev F" in result.output
    model = str(out / "model-best")

    report = tmp_path / "eval.json"
    html = tmp_path / "eval.html"
    result = runner.invoke(app, ["evaluate", model, str(dev), "--json", str(report), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert "GADGET" in result.output
    assert json.loads(report.read_text())["per_label"]["GADGET"]["tp"] > 0
    assert "<table>" in html.read_text()

    result = runner.invoke(
        app,
        ["predict", model, "-", "-o", "-"],
        input='{"text": "my zorbo 3 died today", "meta": {"id": 5}}\n',
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["meta"] == {"id": 5} and record["complete"] is True

    result = runner.invoke(app, ["explore", model, str(dev), "--limit", "3"])
    assert result.exit_code == 0 and "entities" in result.output


def test_model_path_that_is_not_a_pipeline(tmp_path):
    _, dev = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["evaluate", str(tmp_path), str(dev)])
    assert result.exit_code == 1 and "[E401]" in result.stderr and "Traceback" not in result.output


def test_dev_that_fails_to_parse(tmp_path):
    train, _ = write_tiny_data(tmp_path)
    bad = tmp_path / "dev.jsonl"
    bad.write_text('{"text": "ok", "spans": []}\n{"text": "broken"\n')
    result = runner.invoke(app, ["train", str(train), "--dev", str(bad), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and "[E002]" in result.stderr and "dev.jsonl, line 2" in result.stderr


def test_empty_training_set(tmp_path):
    empty = tmp_path / "train.jsonl"
    empty.write_text("")
    result = runner.invoke(app, ["train", str(empty), "-o", str(tmp_path / "m")])
    assert result.exit_code == 1 and "[E201]" in result.stderr


def test_negative_anchor(tmp_path):
    train, _ = write_tiny_data(tmp_path)
    args = ["train", str(train), "--base", "en_core_web_sm", "--anchor", "-1", "-o", str(tmp_path / "m")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "[E403]" in result.stderr and "'anchor'" in result.stderr
    assert "Traceback" not in result.output


def test_select_that_is_neither_best_nor_last(tmp_path):
    train, _ = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["train", str(train), "--select", "worst", "-o", str(tmp_path / "m")])
    assert result.exit_code == 2 and "--select" in result.output and "best, last" in result.output
    assert not (tmp_path / "m").exists()
