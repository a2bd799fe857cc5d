"""Careless input gets a coded error, exit 1 and no traceback; small missing habits (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from nerforge.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("nerforge ")


def test_help_keeps_square_brackets_and_loads_no_spacy():
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom nerforge.cli import app\n"
        "out = CliRunner().invoke(app, ['evaluate', '--help']).output\n"
        "print('spacy' in sys.modules, 'torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"], done.stdout


def test_json_to_a_folder_fails_before_any_work(tmp_path):
    result = runner.invoke(app, ["evaluate", "no-such-model", "gold.jsonl", "--json", str(tmp_path)])
    assert result.exit_code == 1
    assert "[E019]" in result.output and "it is a folder" in result.output
    assert "Traceback" not in result.output


def test_html_into_a_missing_folder_fails_before_any_work(tmp_path):
    result = runner.invoke(
        app, ["explore", "m", "-", "--html", str(tmp_path / "no" / "x.html")], input="hi\n"
    )
    assert result.exit_code == 1 and "[E019]" in result.output and "does not exist" in result.output


def test_evaluate_empty_gold_is_an_error(tiny_model, tmp_path):
    _, output = tiny_model
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = runner.invoke(app, ["evaluate", str(output / "model-best"), str(empty)])
    assert result.exit_code == 1 and "[E020]" in result.output


def test_a_training_folder_as_model_says_did_you_mean(tiny_model, tiny_data):
    _, output = tiny_model
    result = runner.invoke(app, ["evaluate", str(output), str(tiny_data[1])])
    assert result.exit_code == 1 and "[E430]" in result.output and "model-best" in result.output


def test_evaluate_prints_percentages_an_interval_and_a_small_set_warning(tiny_model, tiny_data):
    _, output = tiny_model
    result = runner.invoke(app, ["evaluate", str(output / "model-best"), str(tiny_data[1])])
    assert result.exit_code == 0, result.output
    assert "95% interval" in result.output and "gold entities" in result.output
    assert "\x1b[" not in result.output  # piped (not a terminal): no colour codes


def test_evaluate_html_errors_only_with_scores(tiny_model, tiny_data, tmp_path):
    _, output = tiny_model
    html = tmp_path / "errors.html"
    args = ["evaluate", str(output / "model-best"), str(tiny_data[1]), "--html", str(html), "--errors-only"]
    assert runner.invoke(app, args).exit_code == 0
    page = html.read_text()
    assert "<h1>Errors" in page and "class='scores'" in page and "95% interval" in page


def test_explore_reads_raw_text_from_stdin_and_filters_labels(tiny_model):
    _, output = tiny_model
    model = str(output / "model-best")
    args = ["explore", model, "-", "--format", "raw", "--labels", "GADGET"]
    result = runner.invoke(app, args, input="my zorbo 3 died today\nthe weather is awful\n")
    assert result.exit_code == 0, result.output
    assert "zorbo 3 [GADGET]" in result.output
    result = runner.invoke(app, [*args[:-1], "NOPE"], input="my zorbo 3 died today\n")
    assert "[GADGET]" not in result.output


def test_patterns_score_is_a_command(write_file, tiny_data):
    patterns = write_file(
        "p.jsonl", '{"label": "GADGET", "pattern": [{"LOWER": "zorbo"}, {"IS_DIGIT": true}]}\n'
    )
    result = runner.invoke(app, ["patterns", "score", str(patterns), str(tiny_data[1])])
    assert result.exit_code == 0, result.output
    assert "GADGET" in result.output and "95% interval" in result.output


def test_lint_case_variants_exit_1(write_file):
    rows = [{"text": f"took aspirin {i}", "spans": [{"start": 5, "end": 12, "label": lab}]} for i, lab in
            enumerate(["DRUG", "Drug", "drug"])]  # fmt: skip
    data = write_file("d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(app, ["lint", str(data)])
    assert result.exit_code == 1 and "L507" in result.output


def test_lint_fix_tokenizer_writes_the_proposed_rule(write_file, tmp_path):
    rows = [
        {"text": f"got a zorbo{n} today", "spans": [{"start": 6, "end": 11, "label": "BRAND"}]}
        for n in range(10, 30)
    ]
    data = write_file("brands.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    rules = tmp_path / "rules.jsonl"
    result = runner.invoke(app, ["lint", str(data), "--fix-tokenizer", str(rules)])
    assert "L110" in result.output and "Wrote 1 tokenizer rule" in result.output, result.output
    assert '"infix"' in rules.read_text()
    result = runner.invoke(
        app, ["tokenizer", "add", str(rules), "--base", "blank:en", "-o", str(tmp_path / "tok")]
    )
    assert result.exit_code == 0, result.output
    import spacy

    words = [token.text for token in spacy.load(tmp_path / "tok").make_doc("got a zorbo12 today")]
    assert words == ["got", "a", "zorbo", "12", "today"]
