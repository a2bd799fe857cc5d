"""`nerforge train`: lint's errors refused, no silent replacement, no partial output, spaCy's options."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nerforge.cli import app
from tiny_data import write_tiny_data

runner = CliRunner()
QUICK = ["--warm-start", "none", "--training.max_steps", "3"]  # a few steps: these test the command


def _clean_failure(result, code):
    assert result.exit_code == 1, result.output
    assert f"[{code}]" in result.stderr and "Traceback" not in result.output


def test_data_lint_calls_wrong_is_refused_unless_forced(tmp_path):
    train, _ = write_tiny_data(tmp_path)
    out = tmp_path / "m"
    result = runner.invoke(app, ["train", str(train), "--dev", str(train), "-o", str(out), *QUICK])
    _clean_failure(result, "E210")
    assert "L603" in result.stderr and "--force" in result.stderr and not out.exists()
    assert f"{train}, line 1:" in result.stderr  # the file and its line, not a position in a list
    result = runner.invoke(app, ["train", str(train), "--dev", str(train), "-o", str(out), "--force", *QUICK])
    assert result.exit_code == 0, result.output
    assert "Lint: 1 error(s)" in result.output and (out / "model-best").is_dir()


def test_a_model_already_there_is_kept_unless_overwrite(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    out = tmp_path / "m"
    args = ["train", str(train), "--dev", str(dev), "-o", str(out), *QUICK]
    assert runner.invoke(app, args).exit_code == 0
    report = (out / "training.json").read_text()
    result = runner.invoke(app, args)
    _clean_failure(result, "E211")
    assert "--overwrite" in result.stderr and (out / "training.json").read_text() == report
    assert runner.invoke(app, [*args, "--overwrite"]).exit_code == 0


def test_a_failed_run_leaves_no_output_folder(tmp_path):
    empty = tmp_path / "train.jsonl"
    empty.write_text('{"text": "nothing to learn", "answer": "ignore"}\n')
    out = tmp_path / "m"
    _clean_failure(runner.invoke(app, ["train", str(empty), "-o", str(out)]), "E201")
    assert not out.exists()


def test_an_untrained_model_gets_a_warning_not_a_green_line(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    args = ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "m"), "--warm-start", "none"]
    result = runner.invoke(app, [*args, "--training.max_steps", "1"])
    assert result.exit_code == 0, result.output
    assert "predicts none of GADGET" in result.output and "Best dev F 0.0 (" not in result.output


def test_the_held_out_share_is_what_it_says(tmp_path):
    train, _ = write_tiny_data(tmp_path, n_train=75)  # 80 tasks
    result = runner.invoke(app, ["train", str(train), "-o", str(tmp_path / "m"), *QUICK])
    assert result.exit_code == 0, result.output
    assert "holding out 16 of 80 tasks (20%" in result.output


def test_patience_eval_frequency_and_batch_size_options(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    out = tmp_path / "m"
    options = ["--patience", "7", "--eval-frequency", "2", "--batch-size", "300"]
    result = runner.invoke(app, ["train", str(train), "--dev", str(dev), "-o", str(out), *options, *QUICK])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "training.json").read_text())
    params = report["parameters"]
    assert (params["patience"], params["eval_frequency"], params["batch_size"]) == (7, 2, 300)
    assert [entry["step"] for entry in report["evaluations"]] == [0, 2, 3]
    config = (out / "model-last" / "config.cfg").read_text()
    assert "size = 300" in config


def test_a_config_trains_with_overrides(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    config = tmp_path / "c.cfg"
    export = [
        "train",
        str(train),
        "--dev",
        str(dev),
        "-o",
        str(tmp_path / "x"),
        "--export-config",
        str(config),
    ]
    assert runner.invoke(app, [*export, "--warm-start", "none"]).exit_code == 0
    out = tmp_path / "m"
    result = runner.invoke(
        app, ["train", "--config", str(config), "-o", str(out), "--training.max_steps", "2"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "training.json").read_text())
    assert report["parameters"]["config"] == str(config) and report["steps"] == 3


def test_an_override_that_is_not_one(tmp_path):
    train, _ = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["train", str(train), "-o", str(tmp_path / "m"), "--trainingmax", "3"])
    assert result.exit_code == 2 and "config override" in result.output


def test_overrides_are_read_by_spacy_as_spacy_train_reads_them(monkeypatch):
    from nerforge.cli.train import parse_overrides

    monkeypatch.setenv("SPACY_CONFIG_OVERRIDES", "--training.seed 7")
    overrides = parse_overrides(["--training.max_epochs", "3", "--paths.train=a.jsonl"])
    assert overrides == {"training.max_epochs": 3, "paths.train": "a.jsonl", "training.seed": 7}


def test_a_second_data_file_is_no_override(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["train", str(train), str(dev), "-o", str(tmp_path / "m")])
    assert result.exit_code == 2 and "is not an option of train nor a config override" in result.output
