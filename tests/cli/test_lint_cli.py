"""`nerforge lint` end to end: grouped output, exit codes, --json, bad input without tracebacks."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nerforge.cli import app

runner = CliRunner()

GOOD = [
    '{"text": "the Pixel 7 battery lasts two days", "spans": [{"start": 4, "end": 11, "label": "GADGET"}]}',
    '{"text": "nothing to see here", "spans": []}',
]
ONE_OFF = '{"text": "my Galaxy S9 died", "spans": [{"start": 3, "end": 11, "label": "GADGET"}]}'


def lines(*records: str) -> str:
    return "\n".join(records) + "\n"


def test_errors_exit_1_grouped_with_counts_and_verdict(write_file):
    data = write_file("train.jsonl", lines(*GOOD, ONE_OFF))
    result = runner.invoke(app, ["lint", str(data), "--new-labels", "GADGET"])
    assert result.exit_code == 1, result.output
    output = result.output
    assert "2 errors" in output and "1 warning" not in output
    assert "L101 " in output and "train.jsonl, line 3" in output and "expand to 3-12 'Galaxy S9'" in output
    assert output.index("L101") < output.index("L401")  # by code within the errors
    assert "2 errors: fix them before training." in output
    assert "Traceback" not in output


def test_warnings_only_exit_0(write_file):
    records = [
        json.dumps(
            {"text": f"Pixel {i} is out", "spans": [{"start": 0, "end": 6 + len(str(i)), "label": "GADGET"}]}
        )
        for i in range(60)
    ] + [json.dumps({"text": f"nothing new today, part {i}", "spans": []}) for i in range(7)]
    data = write_file("train.jsonl", lines(*records))
    result = runner.invoke(app, ["lint", str(data), "--new-labels", "GADGET"])
    assert result.exit_code == 0, result.output
    assert "L402" in result.output and "No errors: the data can be trained on." in result.output
    assert "1 warning" in result.output


def test_json_report_is_written(write_file, tmp_path):
    data = write_file("train.jsonl", lines(*GOOD, ONE_OFF))
    out = tmp_path / "lint.json"
    result = runner.invoke(app, ["lint", str(data), "--json", str(out)])
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    assert report["counts"]["error"] == 2 and report["verdict"].startswith("2 errors")
    assert {f["code"] for f in report["findings"]} >= {"L101", "L401"}


def test_json_to_stdout_keeps_status_on_stderr(write_file):
    data = write_file("train.jsonl", lines(*GOOD))
    result = runner.invoke(app, ["lint", str(data), "--json", "-"])
    report = json.loads(result.stdout)
    assert set(report) == {"findings", "counts", "verdict", "summary"}
    assert "train.jsonl: 2 tasks" in result.stderr


def test_dev_file_and_its_labels(write_file):
    data = write_file("train.jsonl", lines(*GOOD))
    dev = write_file(
        "dev.jsonl", '{"text": "my Galaxy S9 died", "spans": [{"start": 3, "end": 12, "label": "GADJET"}]}\n'
    )
    result = runner.invoke(app, ["lint", str(data), "--dev", str(dev)])
    assert result.exit_code == 1
    assert "L505" in result.output and "GADJET" in result.output and "dev.jsonl: 1 tasks" in result.output


def test_many_findings_of_one_code_are_capped(write_file):
    records = [
        json.dumps({"text": f"Pixel {i}x", "spans": [{"start": 0, "end": 7, "label": "GADGET"}]})
        for i in range(10, 25)
    ]
    data = write_file("train.jsonl", lines(*records))
    result = runner.invoke(app, ["lint", str(data)])
    assert sum(line.startswith("L101 ") for line in result.output.splitlines()) == 10
    assert "... and 5 more L101 findings (--json writes them all)." in result.output


def test_reader_error_is_a_finding_with_its_line(write_file):
    data = write_file(
        "train.jsonl", lines(GOOD[0], '{"text": "x", "spans": [{"start": 0, "end": 9, "label": "A"}]}')
    )
    result = runner.invoke(app, ["lint", str(data)])
    assert result.exit_code == 1 and "L001" in result.output and "train.jsonl, line 2" in result.output
    assert "[E005]" in result.output and "Traceback" not in result.output


def test_missing_file(tmp_path):
    result = runner.invoke(app, ["lint", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "[E001]" in result.stderr and "Traceback" not in result.output


def test_unknown_language(write_file):
    data = write_file("train.jsonl", lines(*GOOD))
    result = runner.invoke(app, ["lint", str(data), "--lang", "zz"])
    assert result.exit_code == 1 and "[E403]" in result.stderr


def test_unknown_base_pipeline(write_file):
    data = write_file("train.jsonl", lines(*GOOD))
    result = runner.invoke(app, ["lint", str(data), "--base", "no_such_pipeline_xyz"])
    assert result.exit_code == 1 and "[E401]" in result.stderr


def test_help_lists_the_options():
    result = runner.invoke(app, ["lint", "--help"])
    assert result.exit_code == 0
    for option in ("--dev", "--base", "--new-labels", "--lang", "--json"):
        assert option in result.output
