"""spaCy DocBin files and raw text files."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import DocBin

from nerforge.errors import DataError
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task


def test_docbin_round_trip_keeps_missing_rejected_and_meta(tmp_path):
    tasks = [
        Task("my Galaxy S9 died", (Span(3, 12, "GADGET"),), meta={"id": 1}),
        Task("nothing here", ()),
        Task("partial Pixel 7", (Span(8, 15, "GADGET"),), complete=False),
        Task("galaxy brain", (Span(0, 6, "GADGET", "reject"),), complete=False),
    ]
    out = tmp_path / "out.spacy"
    assert write_tasks(tasks, out) == 4
    assert list(read_tasks(out)) == tasks


def test_docbin_written_by_spacy_reads(tmp_path):
    nlp = spacy.blank("en")
    doc = nlp("Tim Cook visited Berlin")
    doc.ents = [doc.char_span(0, 8, "PERSON"), doc.char_span(17, 23, "GPE")]
    path = tmp_path / "spacy.spacy"
    DocBin(docs=[doc]).to_disk(path)
    task = next(read_tasks(path))
    assert task.spans == (Span(0, 8, "PERSON"), Span(17, 23, "GPE"))
    assert task.complete


def test_not_a_docbin(write_file):
    with pytest.raises(DataError, match=r"\[E014\]"):
        list(read_tasks(write_file("fake.spacy", b"not msgpack at all")))


def test_raw_text_one_a_line(write_file):
    path = write_file("raw.txt", "first comment\n\n  \nsecond one 🙂\n")
    tasks = list(read_tasks(path))
    assert [t.text for t in tasks] == ["first comment", "second one 🙂"]
    assert [t.origin.line for t in tasks if t.origin] == [1, 4]
    assert not any(t.complete for t in tasks)


def test_raw_round_trip(tmp_path):
    out = tmp_path / "out.txt"
    write_tasks([Task("a b"), Task("c")], out)
    assert out.read_text() == "a b\nc\n"
