"""Text categories through the command line: train, evaluate, predict, and seeding them in bootstrap."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import nerforge
from course_data import COURSE_PATTERNS, COURSE_TEXTS
from nerforge.cli import app
from textcat_data import DEV_ROWS, write_sentiment

runner = CliRunner()


def test_train_evaluate_and_predict_a_text_classifier(tmp_path):
    train, dev = write_sentiment(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(app, ["train", str(train), "--dev", str(dev), "-o", str(out), "--max-epochs", "8"])
    assert result.exit_code == 0, result.output
    assert "Text categories: NEGATIVE, POSITIVE (textcat)" in result.output
    assert "macro F" in result.output and "cats" in result.output
    report = tmp_path / "eval.json"
    model = str(out / "model-best")
    result = runner.invoke(app, ["evaluate", model, str(dev), "--json", str(report)])
    assert result.exit_code == 0, result.output
    assert "macro F" in result.output and "gold \\ predicted" in result.output
    assert json.loads(report.read_text())["cats"]["n_tasks"] == len(DEV_ROWS)
    predicted = tmp_path / "predicted.jsonl"
    result = runner.invoke(app, ["predict", model, str(dev), "-o", str(predicted)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in predicted.read_text().splitlines()]
    assert all(set(r["cats"]) == {"NEGATIVE", "POSITIVE"} for r in records)


def test_textcat_setting_on_data_without_categories_is_a_coded_error(tiny_data, tmp_path):
    train, dev = tiny_data
    result = runner.invoke(
        app, ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "o"), "--textcat", "exclusive"]
    )
    assert result.exit_code != 0 and "E217" in result.output


def test_bootstrap_seeds_a_category_from_the_matches(write_file, tmp_path):
    raw = write_file("texts.txt", "\n".join(COURSE_TEXTS) + "\n")
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    out = tmp_path / "silver.jsonl"
    args = ["bootstrap", str(raw), "-p", str(patterns), "-o", str(out), "--category", "ABOUT_GADGETS"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["cats"] for r in records] == [{"ABOUT_GADGETS": 1.0}] * 5 + [{"ABOUT_GADGETS": 0.0}]
    seeded = list(nerforge.bootstrap(COURSE_TEXTS[-2:], str(patterns), category="ABOUT_GADGETS"))
    assert [dict(t.cats) for t in seeded] == [{"ABOUT_GADGETS": 1.0}, {"ABOUT_GADGETS": 0.0}]


def test_a_category_a_task_already_has_is_kept(write_file):
    from nerforge.records import Task

    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    reviewed = Task("I need a new phone! Any tips?", cats={"ABOUT_GADGETS": 1.0})
    (seeded,) = nerforge.bootstrap([reviewed], str(patterns), category="ABOUT_GADGETS")
    assert dict(seeded.cats) == {"ABOUT_GADGETS": 1.0}  # no match, but the reviewed answer wins
