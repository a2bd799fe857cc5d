"""Tokenizer rules for a new model: `train` and `lint` take --tokenizer-rules, and lint --base takes a
tokenizer-only pipeline (issue 27, item 5B-1)."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.lint import lint
from nerforge.tokenization import add_tokenizer_rules
from tiny_data import write_tiny_data

runner = CliRunner()
RULES = '{"infix": "\\\\+"}\n'  # split "3+case" at the plus: blank:en keeps it one token
QUICK = ["--warm-start", "none", "--training.max_steps", "3"]


def _glue(path: Path) -> Path:
    """Each span followed by '+case' (a bundle: "zorbo 3+case"), so it ends inside a blank:en token."""
    tasks = [json.loads(line) for line in path.read_text().splitlines()]
    for task in tasks:
        for span in task["spans"]:
            task["text"] = task["text"][: span["end"]] + "+case" + task["text"][span["end"] :]
    path.write_text("".join(json.dumps(task) + "\n" for task in tasks))
    return path


def _codes(report) -> set[str]:
    return {finding.code for finding in report.findings}


def test_lint_checks_spans_against_the_tokenizer_rules(tmp_path, write_file):
    train, _ = write_tiny_data(tmp_path)
    rules = write_file("rules.jsonl", RULES)
    assert "L101" in _codes(lint(_glue(train)))
    assert "L101" not in _codes(lint(train, tokenizer_rules=rules))


def test_lint_base_takes_a_tokenizer_only_pipeline_and_says_what_it_skipped(tmp_path, write_file):
    train, _ = write_tiny_data(tmp_path)
    add_tokenizer_rules(write_file("rules.jsonl", RULES), base="blank:en", output=tmp_path / "tok")
    report = lint(_glue(train), base=tmp_path / "tok")
    assert "L303" in _codes(report) and "L101" not in _codes(report)


def test_lint_cli_takes_both(tmp_path, write_file):
    train, _ = write_tiny_data(tmp_path)
    rules = write_file("rules.jsonl", RULES)
    add_tokenizer_rules(rules, base="blank:en", output=tmp_path / "tok")
    args = ["lint", str(_glue(train)), "--base", str(tmp_path / "tok"), "--tokenizer-rules", str(rules)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "L303" in result.output and "L101" not in result.output and "E402" not in result.output


def test_train_with_tokenizer_rules_saves_them_in_the_model(tmp_path, write_file):
    train, dev = (_glue(path) for path in write_tiny_data(tmp_path))
    rules = write_file("rules.jsonl", RULES)
    args = ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "m"), *QUICK]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "L101" in refused.stderr  # without the rules the spans cut tokens
    result = runner.invoke(app, [*args, "--tokenizer-rules", str(rules)])
    assert result.exit_code == 0, result.output
    nlp = spacy.load(tmp_path / "m" / "model-last")  # plain spaCy: the rules are in the tokenizer
    assert [token.text for token in nlp.make_doc("my zorbo 3+case")] == ["my", "zorbo", "3", "+", "case"]


def test_an_exported_config_adds_the_rules_before_its_own_before_init(tmp_path, write_file):
    from thinc.api import Config

    from nerforge.training.config import with_tokenizer_rules

    config = Config({"initialize": {"before_init": {"@callbacks": "nerforge.CopyLookups.v1", "source": "x"}}})
    block = with_tokenizer_rules(config, "rules.jsonl")["initialize"]["before_init"]
    assert block["@callbacks"] == "nerforge.TokenizerRules.v1" and block["path"] == "rules.jsonl"
    assert block["first"] == {"@callbacks": "nerforge.CopyLookups.v1", "source": "x"}


def test_an_update_keeps_the_rules_its_base_was_given(tiny_model, tiny_data, tmp_path, write_file):
    from nerforge.training import Trainer

    _, model = tiny_model
    add_tokenizer_rules(write_file("rules.jsonl", RULES), base=model / "model-best", output=tmp_path / "base")
    train, dev = tiny_data
    updater = Trainer(base=str(tmp_path / "base"), max_steps=2, rehearse_default=False)
    updater.fit(train, dev, output=tmp_path / "updated")
    nlp = spacy.load(tmp_path / "updated" / "model-last")
    assert [token.text for token in nlp.make_doc("my zorbo 3+case")] == ["my", "zorbo", "3", "+", "case"]
