"""Every answer kind Prodigy writes reads with its Prodigy meaning (issue 16, item 11)."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.docs import task_to_doc
from nerforge.errors import Location
from nerforge.io import read_tasks
from nerforge.records import Span, Task
from nerforge.task_json import task_from_dict

WHERE = Location("t.jsonl", 1)
TEXT = "Aspirin and ibuprofen help"


def record(**fields):
    return {"text": TEXT, "spans": [{"start": 0, "end": 7, "label": "DRUG"}], **fields}


@pytest.mark.parametrize(
    ("fields", "complete"),
    [
        ({"answer": "accept", "_view_id": "ner"}, False),
        ({"answer": "accept", "_view_id": "ner_manual"}, True),
        ({"answer": "accept"}, True),
        ({"answer": "reject", "_view_id": "ner"}, False),
    ],
)
def test_binary_answers_are_incomplete_and_manual_ones_complete(fields, complete):
    assert task_from_dict(record(**fields), WHERE).complete is complete


def test_a_span_score_without_view_id_marks_an_old_teach_export_binary():
    raw = {
        "text": TEXT,
        "spans": [{"start": 0, "end": 7, "label": "DRUG", "score": 0.41}],
        "answer": "accept",
    }
    assert task_from_dict(raw, WHERE).complete is False


@pytest.mark.parametrize(("kind", "complete"), [("manual", True), ("binary", False)])
def test_answer_kind_overrides_the_guess(kind, complete):
    assert task_from_dict(record(_view_id="ner"), WHERE, answer_kind=kind).complete is complete


def test_a_span_answered_ignore_is_kept_and_teaches_nothing():
    raw = record()
    raw["spans"].append({"start": 12, "end": 21, "label": "DRUG", "answer": "ignore"})
    task = task_from_dict(raw, WHERE)
    assert [s.answer for s in task.spans] == ["accept", "ignore"]
    assert task.accepted_spans == (Span(0, 7, "DRUG"),)
    doc = task_to_doc(task, spacy.blank("en").make_doc)
    assert [t.ent_iob_ for t in doc] == ["B", "O", "", "O"]  # ibuprofen: missing, not outside


def test_a_span_repeated_exactly_is_read_once():
    raw = record()
    raw["spans"].append(dict(raw["spans"][0]))
    assert len(task_from_dict(raw, WHERE).spans) == 1


def test_read_tasks_passes_the_answer_kind(tmp_path):
    path = tmp_path / "teach.jsonl"
    path.write_text(json.dumps(record(_view_id="ner_manual")) + "\n")
    assert next(read_tasks(path, answer_kind="binary")).complete is False


def test_the_ignore_span_answer_round_trips():
    from nerforge.task_json import task_to_dict

    task = Task(TEXT, (Span(0, 7, "DRUG", "ignore"),))
    assert task_to_dict(task)["spans"][0]["answer"] == "ignore"


def test_training_reads_binary_answers_as_incomplete(tmp_path):
    from nerforge.training.readers import read_split

    path = tmp_path / "teach.jsonl"
    rows = [record(answer="accept", _view_id="ner"), record(answer="reject", _view_id="ner")]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    split = read_split(str(path), str(path), format=None, holdout=0.2, seed=0)
    # two binary answers to one text: one incomplete task holding both, as teach's updates read them
    assert [t.complete for t in split.train] == [False]
    split = read_split(str(path), str(path), format=None, holdout=0.2, seed=0, answer_kind="manual")
    assert [t.complete for t in split.train] == [True, False]
