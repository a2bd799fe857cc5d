"""The seed / spaCy v2 tuple format, as a JSON array or as JSONL."""

from __future__ import annotations

import json

import pytest

from nerforge.errors import DataError
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task

SEED = [
    ["How about the pixel 7a?", {"entities": [[14, 22, "GADGET"]]}],
    ["no gadget here", {"entities": []}],
]


def test_json_array_over_many_lines(write_file):
    path = write_file("seed.json", json.dumps(SEED, indent=2))
    tasks = list(read_tasks(path))
    assert [t.spans for t in tasks] == [(Span(14, 22, "GADGET"),), ()]
    assert all(t.complete for t in tasks)
    assert [t.origin.line for t in tasks if t.origin] == [2, 14]  # indent=2 puts the second item on line 14


def test_jsonl_seed_lines(write_file):
    path = write_file("seed.jsonl", "\n".join(json.dumps(x) for x in SEED))
    assert [t.text for t in read_tasks(path)] == [s[0] for s in SEED]


def test_bad_item_in_an_array_names_its_line(write_file):
    content = '[\n  ["fine", {"entities": []}],\n  ["oops", {"entities": [[0, 99, "X"]]}]\n]'
    with pytest.raises(DataError, match=r"\[E005\] .*seed\.json, line 3"):
        list(read_tasks(write_file("seed.json", content)))


def test_broken_array_names_its_line(write_file):
    content = '[\n  ["fine", {"entities": []}],\n  ["oops" {"entities": []}]\n]'
    with pytest.raises(DataError, match=r"\[E002\] .*seed\.json, line 3"):
        list(read_tasks(write_file("seed.json", content)))


def test_write_and_read_back(tmp_path):
    tasks = [Task("the Steam Deck rocks", (Span(4, 14, "GADGET"),)), Task("nothing")]
    out = tmp_path / "out.jsonl"
    write_tasks(tasks, out, format="seed")
    assert json.loads(out.read_text().splitlines()[0]) == [
        "the Steam Deck rocks",
        {"entities": [[4, 14, "GADGET"]]},
    ]
    assert list(read_tasks(out)) == tasks


def test_seed_cannot_hold_incomplete_tasks(tmp_path):
    with pytest.raises(DataError, match=r"\[E016\]"):
        write_tasks([Task("partial", complete=False)], tmp_path / "out.jsonl", format="seed")
