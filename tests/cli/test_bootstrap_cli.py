"""`nerforge bootstrap` end to end: output, counts, and bad input without tracebacks."""

from __future__ import annotations

import gzip
import json

from typer.testing import CliRunner

from course_data import COURSE_MATCHES, COURSE_PATTERNS, COURSE_TEXTS
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
    assert "Wrote 1 task to -" in result.stderr


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


def test_bad_record_is_rejected_and_the_run_goes_on(write_file, tmp_path):
    raw = write_file("texts.jsonl", '{"text": "fine"}\n{"txt": "typo"}\n{"text": "iPhone X"}\n')
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["bootstrap", str(raw), "-p", str(patterns), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in out.read_text().splitlines()] == ["fine", "iPhone X"]
    (reject,) = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 2 and reject["original"] == '{"txt": "typo"}' and "[E004]" in reject["reason"]
    assert "Rejected 1 record of 3" in result.output and "texts.jsonl, line 2" in result.output


def test_strict_exits_1_on_a_reject(write_file, tmp_path):
    raw = write_file("texts.txt", "short\n" + "x" * 50 + "\n")
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    out = tmp_path / "out.jsonl"
    args = ["bootstrap", str(raw), "-p", str(patterns), "-o", str(out), "--max-chars", "20", "--strict"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "[E054]" in result.stderr and "[E053]" in result.output
    assert (tmp_path / "out.rejects.jsonl").exists()


def test_raw_stdin_needs_the_format_and_the_error_says_so(write_file):
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    args = ["bootstrap", "-", "-p", str(patterns), "-o", "-"]
    result = runner.invoke(app, args, input="iPhone X is coming\n")
    assert result.exit_code == 1 and "[E051]" in result.stderr and "--input-format raw" in result.stderr
    result = runner.invoke(app, [*args, "--input-format", "raw"], input="iPhone X is coming\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["meta"] == {"line": 1} and len(record["spans"]) == 1


def test_folder_as_data_is_named_a_folder(write_file, tmp_path):
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    result = runner.invoke(app, ["bootstrap", str(tmp_path), "-p", str(patterns), "-o", "-"])
    assert result.exit_code == 1 and "[E050]" in result.stderr and "folder" in result.stderr


def test_gzip_in_and_out_with_two_processes(write_file, tmp_path):
    raw = write_file("texts.txt", "\n".join(COURSE_TEXTS * 50) + "\n")
    zipped = tmp_path / "texts.txt.gz"
    zipped.write_bytes(gzip.compress(raw.read_bytes()))
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    plain, packed = tmp_path / "one.jsonl", tmp_path / "two.jsonl.gz"
    assert runner.invoke(app, ["bootstrap", str(raw), "-p", str(patterns), "-o", str(plain)]).exit_code == 0
    args = ["bootstrap", str(zipped), "-p", str(patterns), "-o", str(packed), "--n-process", "2"]
    result = runner.invoke(app, [*args, "--batch-size", "7"])
    assert result.exit_code == 0, result.output
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert "2 processes, batches of 7 texts" in result.output


def test_bad_n_process_and_scheduler(write_file, tmp_path):
    raw = write_file("texts.txt", "hello\n")
    patterns = write_file("patterns.jsonl", COURSE_PATTERNS)
    base = ["bootstrap", str(raw), "-p", str(patterns), "-o", str(tmp_path / "o.jsonl")]
    result = runner.invoke(app, [*base, "--n-process", "many"])
    assert result.exit_code == 2 and "'auto' or a whole number" in result.output
    result = runner.invoke(app, [*base, "--scheduler", "lokal"])
    assert result.exit_code == 1 and "[E056]" in result.stderr


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


def test_an_already_reviewed_file_keeps_its_review(write_file, tmp_path):
    pattern = {"label": "CAR", "pattern": [{"LOWER": "mustang"}], "id": "mustang"}
    patterns = write_file("cars.jsonl", json.dumps(pattern) + "\n")
    reviewed = {
        "text": "the mustang horse ran",
        "spans": [{"start": 4, "end": 11, "label": "CAR", "answer": "reject"}],
        "answer": "accept",
        "complete": True,
    }
    source = write_file("reviewed.jsonl", json.dumps(reviewed) + "\n")
    out = tmp_path / "again.jsonl"
    result = runner.invoke(app, ["bootstrap", str(source), "-p", str(patterns), "-o", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text())
    assert record["spans"] == reviewed["spans"] and record["complete"] is True
    assert "mustang   1         0" in result.output  # matched once, written never
