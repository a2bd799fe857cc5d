"""`nerforge bootstrap` end to end: output, counts, and bad input without tracebacks."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import COURSE_MATCHES, COURSE_PATTERNS, COURSE_TEXTS
from nerforge.cli import app

runner = CliRunner()


def test_course_example_writes_task_jsonl(write_file, tmp_path):
    raw = write_file("texts.txt", "\n".join(COURSE_TEXTS) + "\n")
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    out = tmp_path / "silver.jsonl"
    result = runner.invoke(app, ["bootstrap", str(raw), "--patterns", str(patterns), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [[r["text"][s["start"] : s["end"]] for s in r["spans"]] for r in records] == COURSE_MATCHES
    assert all(r["complete"] is False for r in records)
    assert "GADGET" in result.output and "1 of 6 texts" in result.output


def test_stdout_carries_only_data(write_file):
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    result = runner.invoke(
        app,
        ["bootstrap", "-", "-p", str(patterns), "-o", "-"],
        input='{"text": "iPhone 8 or iPhone X?", "meta": {"id": 7}}\n',
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["meta"] == {"id": 7} and len(record["spans"]) == 2
    assert "Wrote 1 tasks" in result.stderr


def test_three_bad_pattern_lines_reported_together(write_file, tmp_path):
    raw = write_file("texts.txt", "hello\n")
    patterns = write_file(
        "patterns.jsonl",
        '{"label": "GADGET", "pattern": [{"LOWER": "ok"}]}\n{"pattern": "no label"}\n'
        '{"label": "GADGET", "pattern": [{"LOWER": 5}]}\nnot json\n',
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["bootstrap", str(raw), "-p", str(patterns), "-o", str(out)])
    assert result.exit_code == 1
    assert "[E106]" in result.stderr and "Traceback" not in result.output
    for line in (2, 3, 4):
        assert f"patterns.jsonl, line {line}:" in result.stderr
    assert not out.exists()


def test_bad_raw_input_fails_cleanly_and_writes_nothing(write_file, tmp_path):
    raw = write_file("texts.jsonl", '{"text": "fine"}\n{"txt": "typo"}\n')
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["bootstrap", str(raw), "-p", str(patterns), "-o", str(out)])
    assert result.exit_code == 1
    assert "[E004]" in result.stderr and "texts.jsonl, line 2" in result.stderr
    assert not out.exists()


def test_unknown_base_pipeline(write_file, tmp_path):
    raw = write_file("texts.txt", "hello\n")
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    result = runner.invoke(
        app,
        [
            "bootstrap",
            str(raw),
            "-p",
            str(patterns),
            "-o",
            str(tmp_path / "o.jsonl"),
            "--base",
            "no_such_pipeline_xyz",
        ],
    )
    assert result.exit_code == 1 and "[E401]" in result.stderr
