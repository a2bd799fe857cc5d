"""`nerforge predict` end to end: formats, stdin, stale Prodigy hashes, processes, bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.evaluation.predict import Predicted
from nerforge.evaluation.prediction import predicted_tasks
from nerforge.records import Span, Task

runner = CliRunner()
TEXTS = ["my zorbo 3 died today", "the weather is awful", "selling my kalyx 9 cheap"]


@pytest.fixture(scope="module")
def model(tiny_model):
    return str(tiny_model[1] / "model-best")


def test_predict_writes_complete_tasks_in_order(model, write_file, tmp_path):
    source = write_file("texts.txt", "\n".join(TEXTS) + "\n")
    out = tmp_path / "predicted.jsonl"
    result = runner.invoke(app, ["predict", model, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["text"] for r in records] == TEXTS
    assert all(r["complete"] is True and r["answer"] == "accept" for r in records)
    assert [r["meta"] for r in records] == [{"line": 1}, {"line": 2}, {"line": 3}]
    assert "Wrote 3 tasks" in result.output


def test_changed_spans_drop_the_task_hash_and_keep_the_input_hash(model, write_file, tmp_path):
    task = {"text": TEXTS[0], "spans": [], "_input_hash": 11, "_task_hash": 22, "meta": {"id": 1}}
    source = write_file("prodigy.jsonl", json.dumps(task) + "\n")
    out = tmp_path / "predicted.jsonl"
    result = runner.invoke(app, ["predict", model, str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text())
    assert record["_input_hash"] == 11 and record["meta"] == {"id": 1}
    assert ("_task_hash" in record) == (record["spans"] == [])


@pytest.mark.parametrize(("predicted", "kept"), [([], True), ([Span(0, 2, "X")], False)])
def test_task_hash_kept_only_while_the_spans_stay(predicted, kept):
    task = Task("ab cd", (), extra={"_input_hash": 1, "_task_hash": 2})
    (out,) = predicted_tasks([(task, Predicted(2, predicted))])
    assert ("_task_hash" in out.extra) is kept and out.extra["_input_hash"] == 1


def test_raw_stdin_with_input_format(model):
    result = runner.invoke(app, ["predict", model, "-", "-o", "-", "--input-format", "raw"], input=TEXTS[0])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == TEXTS[0]
    assert "Wrote 1 task to -" in result.stderr


def test_raw_stdin_without_the_format_names_it(model):
    result = runner.invoke(app, ["predict", model, "-", "-o", "-"], input="plain words\n")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "[E051]" in result.stderr and "--input-format raw" in result.stderr


def test_two_processes_and_auto_write_what_one_does(model, write_file, tmp_path):
    source = write_file("texts.txt", "\n".join(TEXTS * 40) + "\n")
    outputs = []
    for options in (
        ["--n-process", "1"],
        ["--n-process", "2", "--batch-size", "16"],
        ["--n-process", "auto"],
    ):
        out = tmp_path / f"out{len(outputs)}.jsonl"
        result = runner.invoke(app, ["predict", model, str(source), "-o", str(out), *options])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_partitioned_needs_a_folder(model, write_file, tmp_path):
    source = write_file("texts.txt", "\n".join(TEXTS) + "\n")
    result = runner.invoke(app, ["predict", model, str(source), "-o", "-", "--partitioned"])
    assert result.exit_code == 1 and "[E060]" in result.stderr
    parts = tmp_path / "parts"
    args = ["predict", model, str(source), "-o", str(parts), "--partitioned", "--batch-size", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in parts.iterdir()) == ["part-00000.jsonl", "part-00001.jsonl"]


def test_progress_bar_shows_words_per_second_on_a_terminal_only(capsys):
    from nerforge.cli._scale import progress_bar

    with progress_bar(enabled=True) as update:
        assert update is not None
        update(10, 1200)
    assert "words" in capsys.readouterr().err
    with progress_bar(enabled=False) as update:
        assert update is None
    assert capsys.readouterr().err == ""


def test_gzip_on_stdin_is_read(model):
    import gzip

    data = gzip.compress(("\n".join(TEXTS) + "\n").encode())
    result = runner.invoke(app, ["predict", model, "-", "-o", "-", "--input-format", "raw"], input=data)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == TEXTS
