"""Text categories on tasks: spaCy's cats and Prodigy's textcat answers (issue 19, item 1)."""

from __future__ import annotations

import pytest
import spacy

from nerforge.docs import doc_to_task, task_to_doc
from nerforge.errors import DataError, Location
from nerforge.task_json import task_from_dict, task_to_dict

WHERE = Location("cats.jsonl", 3)


@pytest.mark.parametrize(
    ("record", "cats"),
    [
        ({"text": "great", "cats": {"POSITIVE": 1, "NEGATIVE": 0}}, {"POSITIVE": 1.0, "NEGATIVE": 0.0}),
        ({"text": "great", "label": "POSITIVE", "answer": "accept"}, {"POSITIVE": 1.0}),
        ({"text": "awful", "label": "POSITIVE", "answer": "reject"}, {"POSITIVE": 0.0}),
        ({"text": "meh", "label": "POSITIVE", "answer": "ignore"}, {}),
        (
            {"text": "a phone", "options": [{"id": "GADGET"}, {"id": "OTHER"}], "accept": ["GADGET"]},
            {"GADGET": 1.0, "OTHER": 0.0},
        ),
    ],
)
def test_categories_read_with_their_meaning(record, cats):
    assert dict(task_from_dict(record, WHERE).cats) == cats


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ({"text": "x", "cats": {"POSITIVE": 1.5}}, "E023"),
        ({"text": "x", "cats": {"POSITIVE": "yes"}}, "E023"),
        ({"text": "x", "cats": ["POSITIVE"]}, "E023"),
        ({"text": "x", "options": [{"id": "A"}], "accept": ["B"]}, "E024"),
    ],
)
def test_bad_categories_get_a_coded_error_with_the_line(record, code):
    with pytest.raises(DataError, match=rf"\[{code}\] cats.jsonl, line 3: "):
        task_from_dict(record, WHERE)


def test_categories_round_trip_through_json_and_docs():
    task = task_from_dict({"text": "great phone", "cats": {"POSITIVE": 1.0}}, WHERE)
    assert task_to_dict(task)["cats"] == {"POSITIVE": 1.0}
    doc = task_to_doc(task, spacy.blank("en").make_doc)
    assert doc.cats == {"POSITIVE": 1.0}
    assert dict(doc_to_task(doc).cats) == {"POSITIVE": 1.0}


def test_lint_checks_text_categories(tmp_path):
    import json

    from nerforge import lint

    rows = [{"text": f"great phone {i}", "cats": {"POS": 1.0, "NEG": 0.0}} for i in range(40)]
    rows += [{"text": f"awful phone {i}", "cats": {"POS": 0.0, "NEG": 1.0}} for i in range(3)]
    rows.append({"text": "great phone 0", "cats": {"POS": 0.0, "NEG": 1.0}})
    data = tmp_path / "cats.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"text": "meh", "cats": {"MIXED": 1.0}}) + "\n")
    codes = [f.code for f in lint(data, dev=dev).findings]
    assert {"L701", "L702", "L703", "L704"} <= set(codes)
    assert "L404" not in codes
