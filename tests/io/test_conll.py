"""CoNLL/IOB files: BIO and BIOES, -DOCSTART-, separators, and broken tag sequences."""

from __future__ import annotations

import pytest

from nerforge.errors import DataError
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task

BIO = "-DOCSTART- O\n\nmy\tO\nGalaxy\tB-GADGET\nS9\tI-GADGET\ndied\tO\n\nTim\tB-PERSON\nCook\tI-PERSON\n"
BIOES = "my O\nGalaxy B-GADGET\nS9 E-GADGET\nand O\nPS5 S-GADGET\n"


def test_bio_with_docstart_and_sentences(write_file):
    tasks = list(read_tasks(write_file("d.conll", BIO)))
    assert [t.text for t in tasks] == ["my Galaxy S9 died", "Tim Cook"]
    assert tasks[0].spans == (Span(3, 12, "GADGET"),)
    assert tasks[1].spans == (Span(0, 8, "PERSON"),)
    assert tasks[0].origin is not None and tasks[0].origin.line == 3


def test_bioes_space_separated(write_file):
    task = next(read_tasks(write_file("d.iob", BIOES)))
    assert [task.text[s.start : s.end] for s in task.spans] == ["Galaxy S9", "PS5"]


def test_extra_columns_take_the_last_as_tag(write_file):
    task = next(read_tasks(write_file("d.conll", "Apple NNP B-NP B-ORG\nrocks VBZ B-VP O\n")))
    assert task.spans == (Span(0, 5, "ORG"),)


def test_missing_tags_make_the_task_incomplete(write_file):
    task = next(read_tasks(write_file("d.conll", "new\t-\nPixel\tB-GADGET\n")))
    assert not task.complete


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("my\tO\nS9\tI-GADGET\n", "E010", 2),
        ("my\tB-ORG\nS9\tI-GADGET\n", "E010", 2),
        ("a\tB-X\nb\tE-X\nc\tI-X\n", "E010", 3),
        ("my\tX-GADGET\n", "E011", 1),
        ("lonely-token\n", "E012", 1),
    ],
)
def test_bad_tags_name_the_line(write_file, content, code, line):
    with pytest.raises(DataError, match=rf"\[{code}\] .*d\.conll, line {line}"):
        list(read_tasks(write_file("d.conll", content)))


@pytest.mark.parametrize("scheme", ["bio", "bioes"])
def test_round_trip_keeps_every_span(tmp_path, scheme):
    tasks = [
        Task("is the iphone 8 plus worth it?", (Span(7, 20, "GADGET"),)),
        Task("Tim Cook loves the Vision Pro", (Span(0, 8, "PERSON"), Span(19, 29, "GADGET"))),
        Task("nothing to see", ()),
        Task("partial Pixel", (Span(8, 13, "GADGET"),), complete=False),
    ]
    out = tmp_path / "out.conll"
    write_tasks(tasks, out, scheme=scheme)
    back = list(read_tasks(out))
    assert [[t.text[s.start : s.end] for s in t.spans] for t in back] == [
        [t.text[s.start : s.end] for s in t.spans] for t in tasks
    ]
    assert [[s.label for s in t.spans] for t in back] == [[s.label for s in t.spans] for t in tasks]
    assert [t.complete for t in back] == [True, True, True, False]


def test_conll_cannot_hold_rejections(tmp_path):
    task = Task("bad", (Span(0, 3, "X", "reject"),))
    with pytest.raises(DataError, match=r"\[E016\]"):
        write_tasks([task], tmp_path / "out.conll")


def test_span_off_token_boundaries_cannot_be_written(tmp_path):
    task = Task("iphone8", (Span(0, 6, "GADGET"),))
    with pytest.raises(DataError, match=r"\[E015\]"):
        write_tasks([task], tmp_path / "out.conll")
