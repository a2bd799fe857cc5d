"""`nerforge db`: import, list, stats, export and drop on the command line; an export trains a model."""

from __future__ import annotations

import json

import spacy
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.io import read_tasks
from nerforge.training import Trainer

runner = CliRunner()


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_import_list_stats_export_drop(tmp_path, tiny_data):
    train, _ = tiny_data
    db, out = str(tmp_path / "n.db"), tmp_path / "out.jsonl"
    assert "Imported 65 tasks" in _run(
        "db", "import", "gadgets", str(train), "--db", db, "--annotator", "ana"
    )
    assert "gadgets" in _run("db", "list", "--db", db)
    stats = _run("db", "stats", "gadgets", "--db", db)
    assert "65 answers" in stats and "ana" in stats and "accept" in stats
    _run("db", "export", "gadgets", "-o", str(out), "--db", db, "--answer", "accept")
    assert len(out.read_text().splitlines()) == 65
    refused = runner.invoke(app, ["db", "drop", "gadgets", "--db", db], input="n\n")
    assert refused.exit_code == 1 and "Nothing was deleted" in refused.output
    assert "Deleted 'gadgets' (65 answers)" in _run("db", "drop", "gadgets", "--db", db, "--yes")


def test_errors_are_coded_messages_not_tracebacks(tmp_path):
    result = runner.invoke(app, ["db", "stats", "nope", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "[E308]" in result.output
    result = runner.invoke(app, ["db", "export", "d", "-o", "x.jsonl", "--answer", "maybe"])
    assert result.exit_code == 2 and "accept" in result.output


def test_an_exported_dataset_trains_a_model(tmp_path, tiny_data):
    train, dev = tiny_data
    db = str(tmp_path / "n.db")
    _run("db", "import", "gadgets", str(train), "--db", db)
    exported = tmp_path / "train.jsonl"
    _run("db", "export", "gadgets", "-o", str(exported), "--db", db)
    assert [json.loads(line)["text"] for line in exported.read_text().splitlines()] == [
        task.text for task in read_tasks(str(train))
    ]
    Trainer(warm_start=None, max_epochs=1).fit(exported, dev, output=tmp_path / "model")
    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert "GADGET" in nlp.get_pipe("ner").labels


def test_trainer_reads_db_paths_through_nerforge_db(tmp_path, tiny_data, monkeypatch):
    train, dev = tiny_data
    db = str(tmp_path / "n.db")
    _run("db", "import", "gadgets", str(train), "--db", db)
    _run("db", "import", "gadgets-dev", str(dev), "--db", db)
    monkeypatch.setenv("NERFORGE_DB", db)
    Trainer(warm_start=None, max_epochs=1).fit("db:gadgets", "db:gadgets-dev", output=tmp_path / "m")
    assert "GADGET" in spacy.load(tmp_path / "m" / "model-last").get_pipe("ner").labels


def test_lint_and_train_take_db_paths_with_db(tmp_path, tiny_data, monkeypatch):
    monkeypatch.setenv("NERFORGE_DB", str(tmp_path / "elsewhere.db"))  # restored after: --db sets it
    train, dev = tiny_data
    db = str(tmp_path / "n.db")
    _run("db", "import", "gadgets", str(train), "--db", db)
    _run("db", "import", "gadgets-dev", str(dev), "--db", db)
    linted = runner.invoke(app, ["lint", "db:gadgets", "--dev", "db:gadgets-dev", "--db", db])
    assert "65" in linted.output and "[E3" not in linted.output, linted.output
    output = tmp_path / "m"
    args = ["train", "db:gadgets", "--dev", "db:gadgets-dev", "-o", str(output), "--db", db]
    trained = runner.invoke(app, [*args, "--warm-start", "none", "--max-epochs", "1"])
    assert trained.exit_code == 0, trained.output
    assert (output / "model-last").is_dir()
