"""Task JSONL: reading, writing, defaults, and every kind of bad record."""

from __future__ import annotations

import io
import json
import sys

import pytest

from nerforge.errors import DataError
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task


def test_round_trip_keeps_every_field(write_file):
    record = {
        "text": "is the iphone 8 plus worth it?",
        "spans": [
            {"start": 7, "end": 20, "label": "GADGET", "source": "patterns"},
            {"start": 0, "end": 2, "label": "GADGET", "answer": "reject"},
        ],
        "answer": "accept",
        "complete": True,
        "meta": {"id": "c-118"},
        "_input_hash": 12345,
    }
    path = write_file("in.jsonl", json.dumps(record) + "\n")
    tasks = list(read_tasks(path))
    out = path.with_name("out.jsonl")
    assert write_tasks(tasks, out) == 1
    again = json.loads(out.read_text())
    assert again["spans"] == sorted(record["spans"], key=lambda s: s["start"])
    assert again["meta"] == {"id": "c-118"}
    assert again["_input_hash"] == 12345
    assert list(read_tasks(out)) == tasks


@pytest.mark.parametrize(
    ("record", "complete"),
    [
        ({"text": "a b", "spans": []}, True),  # gold: spans given, nothing to mark
        ({"text": "a b"}, False),  # a raw text
        ({"text": "a b", "complete": False, "spans": []}, False),
    ],
)
def test_complete_defaults_to_whether_spans_are_given(write_file, record, complete):
    path = write_file("t.jsonl", json.dumps(record))
    assert next(read_tasks(path)).complete is complete


def test_rejected_task_turns_its_spans_into_rejections(write_file):
    record = {
        "text": "galaxy brain",
        "spans": [{"start": 0, "end": 6, "label": "GADGET"}],
        "answer": "reject",
    }
    task = next(read_tasks(write_file("t.jsonl", json.dumps(record))))
    assert task.accepted_spans == ()
    assert task.rejected_spans == (Span(0, 6, "GADGET", "reject"),)


def test_blank_lines_are_skipped_but_counted(write_file):
    path = write_file("t.jsonl", '{"text": "one"}\n\n\n{"text": 2}\n')
    with pytest.raises(DataError, match=r"\[E004\]") as err:
        list(read_tasks(path))
    assert err.value.location is not None and err.value.location.line == 4


BAD_RECORDS = [
    ('{"text": "ok"}\n{"text": "broken"', "E002", 2),
    ('{"text": "abc", "spans": [{"start": 1, "end": 9, "label": "X"}]}', "E005", 1),
    ('{"text": "abc", "spans": [{"start": 2, "end": 2, "label": "X"}]}', "E005", 1),
    ('{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "X"}]}', "E005", 1),
    ('{"spans": []}', "E004", 1),
    ('["not", "a task", "at all"]', "E009", 1),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "X", "text": "bc"}]}', "E006", 1),
    ('{"text": "abc", "spans": [{"start": "0", "end": 2, "label": "X"}]}', "E006", 1),
    ('{"text": "abc", "spans": [{"start": 0, "end": 2}]}', "E006", 1),
    (
        '{"text": "abcd", "spans": [{"start": 0, "end": 2, "label": "X"}, '
        '{"start": 1, "end": 3, "label": "Y"}]}',
        "E008",
        1,
    ),
    ('{"text": "abc", "answer": "maybe"}', "E007", 1),
    ('{"text": "abc", "complete": "yes"}', "E007", 1),
    ('{"text": "abc", "meta": []}', "E007", 1),
]


@pytest.mark.parametrize(("content", "code", "line"), BAD_RECORDS)
def test_bad_records_raise_coded_errors_with_file_and_line(write_file, content, code, line):
    path = write_file("bad.jsonl", content)
    with pytest.raises(DataError, match=rf"\[{code}\] .*bad\.jsonl, line {line}"):
        list(read_tasks(path))


def test_undecodable_bytes_name_the_line(write_file):
    path = write_file("latin.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n')
    with pytest.raises(DataError, match=r"\[E003\] .*latin\.jsonl, line 2.*iconv"):
        list(read_tasks(path))


def test_missing_file_says_so(tmp_path):
    with pytest.raises(DataError, match=r"\[E001\]"):
        list(read_tasks(tmp_path / "nope.jsonl"))


def test_unknown_extension_asks_for_a_format(write_file):
    with pytest.raises(DataError, match=r"\[E013\]"):
        list(read_tasks(write_file("data.xyz", "x")))


def test_dash_reads_stdin_and_writes_stdout(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "from stdin"}\n')))
    tasks = list(read_tasks("-"))
    assert [t.text for t in tasks] == ["from stdin"]
    write_tasks(tasks, "-")
    assert json.loads(capsys.readouterr().out)["text"] == "from stdin"


def test_failed_write_leaves_the_old_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")

    def tasks():
        yield Task("one")
        raise DataError("E001")

    with pytest.raises(DataError):
        write_tasks(tasks(), out)
    assert out.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [out]


def test_undecodable_bytes_far_into_the_file_name_their_line(write_file):
    good = b'{"text": "a comment that is long enough to fill the decoder\'s chunks quickly"}\n' * 1000
    path = write_file("big.jsonl", good + b'{"text": "caf\xe9"}\n' + good)
    with pytest.raises(DataError, match=r"\[E003\] .*big\.jsonl, line 1001:"):
        list(read_tasks(path))


NESTED = (
    '{"text": "my zorbo 3", "spans_key": "sc", "spans": [{"start": 3, "end": 10, "label": "GADGET"}, '
    '{"start": 3, "end": 8, "label": "PRODUCT_LINE"}]}\n'
)


def test_a_task_with_a_spans_key_keeps_its_overlapping_spans(write_file):
    [task] = read_tasks(write_file("nested.jsonl", NESTED))
    assert task.spans_key == "sc"
    assert [(s.start, s.end, s.label) for s in task.spans] == [(3, 8, "PRODUCT_LINE"), (3, 10, "GADGET")]


def test_the_spans_key_survives_a_round_trip(write_file):
    path = write_file("nested.jsonl", NESTED)
    out = path.with_name("out.jsonl")
    write_tasks(read_tasks(path), out)
    assert json.loads(out.read_text())["spans_key"] == "sc"


def test_a_spans_key_that_is_not_a_string_is_a_coded_error(write_file):
    path = write_file("bad.jsonl", '{"text": "abc", "spans_key": 3, "spans": []}\n')
    with pytest.raises(DataError, match=r"\[E007\] .*spans_key"):
        list(read_tasks(path))


def test_a_reader_given_a_spans_key_keeps_overlaps_of_tasks_that_name_none(write_file):
    record = json.loads(NESTED)
    del record["spans_key"]
    [task] = read_tasks(write_file("nested.jsonl", json.dumps(record) + "\n"), spans_key="sc")
    assert task.spans_key == "sc" and len(task.spans) == 2
