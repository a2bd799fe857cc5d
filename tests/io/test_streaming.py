"""Big-corpus reading and writing: gzip, rejects instead of stopping, folders, permissions."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest

from nerforge.errors import DataError
from nerforge.io import detect_format, read_tasks, write_tasks
from nerforge.io.streaming import RejectLog, default_rejects_path, stream_tasks
from nerforge.records import Span, Task

TASKS = [Task("my Galaxy S9 died", (Span(3, 12, "GADGET"),), meta={"id": 1}), Task("nothing here")]


@pytest.mark.parametrize(
    ("name", "expected"), [("a.jsonl.gz", "jsonl"), ("a.txt.gz", "raw"), ("A.JSONL.GZ", "jsonl")]
)
def test_gz_names_say_the_format_underneath(name, expected):
    assert detect_format(name) == expected


def test_gzip_round_trip_is_reproducible(tmp_path):
    first, second = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    write_tasks(TASKS, first)
    write_tasks(TASKS, second)
    assert first.read_bytes()[:2] == b"\x1f\x8b"
    assert first.read_bytes() == second.read_bytes()  # no name or time in the header
    plain = tmp_path / "a.jsonl"
    write_tasks(TASKS, plain)
    assert gzip.decompress(first.read_bytes()) == plain.read_bytes()
    assert [t.text for t in read_tasks(first)] == [t.text for t in TASKS]


def test_gzip_bytes_are_read_whatever_the_name(tmp_path):
    path = tmp_path / "texts.txt"
    path.write_bytes(gzip.compress(b"one\ntwo\n"))
    assert [t.text for t in read_tasks(path)] == ["one", "two"]


def test_cut_gzip_is_a_coded_error(tmp_path):
    path = tmp_path / "texts.txt.gz"
    data = gzip.compress("".join(f"text number {i}\n" for i in range(5000)).encode())
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match=r"\[E052\]"):
        list(read_tasks(path))


def test_folder_is_named_as_a_folder(tmp_path):
    (tmp_path / "train.jsonl").write_text('{"text": "x"}\n')
    with pytest.raises(DataError, match=r"\[E050\].*folder.*train.jsonl"):
        list(read_tasks(tmp_path))
    with pytest.raises(DataError, match=r"\[E050\]"):
        write_tasks(TASKS, tmp_path)


def test_written_files_follow_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        write_tasks(TASKS, tmp_path / "out.jsonl")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.jsonl").stat().st_mode & 0o777 == 0o644


def test_non_json_stdin_names_the_raw_option(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"just some text\n")))
    with pytest.raises(DataError, match=r"\[E051\].*--input-format raw"):
        list(read_tasks("-"))


def test_raw_stdin_with_the_format_reads(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"just some text\n")))
    assert [t.text for t in read_tasks("-", format="raw")] == ["just some text"]


def test_bad_records_are_rejected_with_their_line_and_the_rest_streams(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b'{"text": "fine"}\n{"text": "broken\n\n{"txt": "typo"}\n{"text": "caf\xe9"}\n'
        b'{"text": "' + b"x" * 50 + b'"}\n{"text": "last"}\n'
    )
    rejected = []
    tasks = list(stream_tasks(None, path, raw=False, max_chars=40, on_reject=rejected.append))
    assert [t.text for t in tasks] == ["fine", "last"]
    assert [(r.location.line, r.reason[:6]) for r in rejected] == [
        (2, "[E002]"),
        (4, "[E004]"),
        (5, "[E003]"),
        (6, "[E053]"),
    ]
    assert rejected[0].original == '{"text": "broken'


def test_raw_lines_keep_their_line_number_in_meta(tmp_path):
    path = tmp_path / "in.txt"
    path.write_text("first\n\nthird\n")
    tasks = list(stream_tasks(None, path, raw=True, on_reject=pytest.fail))
    assert [(t.text, dict(t.meta)) for t in tasks] == [("first", {"line": 1}), ("third", {"line": 3})]


def test_reject_log_writes_only_when_something_was_rejected(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "ok"}\nnot json\n')
    rejects = default_rejects_path(tmp_path / "out.jsonl.gz")
    assert rejects == str(tmp_path / "out.rejects.jsonl")
    with RejectLog(rejects) as log:
        n = sum(1 for _ in stream_tasks(None, path, raw=False, on_reject=log))
    summary = log.summary(n)
    assert (summary.n_input, summary.n_written, summary.n_rejected) == (2, 1, 1)
    (record,) = [json.loads(line) for line in Path(rejects).read_text().splitlines()]
    assert record["line"] == 2 and record["original"] == "not json" and "[E002]" in record["reason"]
    with RejectLog(tmp_path / "none.jsonl") as log:
        pass
    assert not (tmp_path / "none.jsonl").exists()
