"""Messages a newcomer read and could not act on (issue 27, item 5B-3)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.errors import DataError, PatternError, TrainingError
from nerforge.io import detect_format, read_tasks
from nerforge.patterns import load_patterns
from nerforge.training.data import DataSummary, check_data

runner = CliRunner()


def test_a_pattern_attribute_typo_gets_the_attribute_meant(write_file):
    path = write_file("p.jsonl", '{"label": "GADGET", "pattern": [{"lowr": "iphone"}]}\n')
    with pytest.raises(PatternError, match=r"'lowr' is not a token attribute; did you mean LOWER\?"):
        load_patterns(path)


def test_an_unknown_format_names_the_option_to_pass(tmp_path):
    with pytest.raises(DataError, match=r"\[E013\].*--input-format FORMAT"):
        detect_format(tmp_path / "data.xyz")


def test_a_gz_name_without_an_inner_extension_is_told_how_to_name_it(tmp_path):
    with pytest.raises(DataError, match=r"\[E013\].*data\.jsonl\.gz or data\.txt\.gz"):
        detect_format(tmp_path / "data.gz")


def test_a_json_error_that_ends_in_at_is_not_doubled(write_file):
    path = write_file("t.jsonl", '{"text": "unterminated\n')
    with pytest.raises(DataError, match=r"\[E002\]") as caught:
        list(read_tasks(path))
    assert "starting at column" in str(caught.value) and "at at" not in str(caught.value)


def test_no_trainable_tasks_names_the_training_file():
    with pytest.raises(TrainingError, match=r"\[E201\] train\.jsonl: "):
        check_data(DataSummary("train.jsonl"), DataSummary("dev.jsonl"), None)


def test_bootstrap_on_an_empty_input_warns_instead_of_reporting_success(write_file, tmp_path):
    raw = write_file("empty.txt", "")
    patterns = write_file("p.jsonl", json.dumps({"label": "GADGET", "pattern": "iPhone"}) + "\n")
    result = runner.invoke(app, ["bootstrap", str(raw), "-p", str(patterns), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # the paths wrap the line
    assert f"{raw} holds no texts" in said and "Wrote 0" not in said
