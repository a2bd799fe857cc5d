"""The review page in spancat mode (issue 29, item 3): overlapping spans, kept under a spans_key."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
from page_helpers import with_page_token
from starlette.testclient import TestClient

from nerforge.errors import ParameterError
from nerforge.io import read_tasks
from nerforge.storage import Store
from nerforge.web import create_review_app

TEXT = "my iphone 15 pro died today"
GADGET = {"start": 3, "end": 16, "label": "GADGET"}  # "iphone 15 pro"
PRODUCT_LINE = {"start": 3, "end": 9, "label": "PRODUCT_LINE"}  # "iphone", inside it
LABELS = ["GADGET", "PRODUCT_LINE"]


def _write(path, rows):
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


@pytest.fixture
def source(tmp_path):
    return _write(tmp_path / "source.jsonl", [{"text": TEXT}, {"text": "the pixel 8 is fine"}])


def _client(source, db, **options):
    app = create_review_app("d", source, labels=LABELS, db=db, **options)
    return with_page_token(TestClient(app, base_url="http://127.0.0.1"))


def _accept(client, spans):
    task = client.get("/api/state?session=ana").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": spans}
    return client.post("/api/answer?session=ana", json=body)


def test_spans_key_reaches_the_page_settings_and_nothing_changes_without_it(source, tmp_path):
    assert _client(source, tmp_path / "a.db").get("/api/state").json()["spans_key"] is None
    assert _client(source, tmp_path / "b.db", spans_key="sc").get("/api/state").json()["spans_key"] == "sc"


def test_overlapping_spans_are_stored_with_the_spans_key(source, tmp_path):
    db = tmp_path / "n.db"
    reply = _accept(_client(source, db, spans_key="sc"), [GADGET, PRODUCT_LINE])
    assert reply.status_code == 200, reply.json()
    with Store(db, read_only=True) as store:
        (stored,) = store.iter_answers("d")
    assert stored.spans_key == "sc" and stored.complete
    assert [(TEXT[s.start : s.end], s.label) for s in stored.accepted_spans] == [
        ("iphone", "PRODUCT_LINE"),
        ("iphone 15 pro", "GADGET"),
    ]


def test_every_answer_names_the_spans_key_and_reads_back_as_a_span_group(source, tmp_path):
    db = tmp_path / "n.db"
    client = _client(source, db, spans_key="sc")
    task = client.get("/api/state?session=ana").json()["task"]
    client.post("/api/answer?session=ana", json={"task_id": task["id"], "answer": "ignore", "spans": []})
    pixel = [{"start": 4, "end": 11, "label": "GADGET"}, {"start": 4, "end": 9, "label": "PRODUCT_LINE"}]
    assert _accept(client, pixel).status_code == 200  # "pixel 8", "pixel": unsorted, as a page may send
    assert [task.spans_key for task in read_tasks("db:d", db=db)] == ["sc", "sc"]  # as train and lint read


def test_overlapping_spans_are_refused_without_a_spans_key(source, tmp_path):
    reply = _accept(_client(source, tmp_path / "n.db"), [GADGET, PRODUCT_LINE])
    assert reply.status_code == 422 and "overlaps the span before it" in reply.json()["error"]


def test_a_repeated_span_is_refused_but_the_same_words_may_take_another_label(source, tmp_path):
    client = _client(source, tmp_path / "n.db", spans_key="sc")
    reply = _accept(client, [GADGET, dict(GADGET)])
    assert reply.status_code == 422 and reply.json()["field"] == "spans[1]"
    assert "repeats the span before it" in reply.json()["error"]
    off_tokens = {"start": 4, "end": 9, "label": "PRODUCT_LINE"}
    assert _accept(client, [GADGET, off_tokens]).status_code == 422  # still whole tokens
    assert _accept(client, [GADGET, GADGET | {"label": "PRODUCT_LINE"}]).status_code == 200


def test_a_source_naming_a_spans_key_turns_the_mode_on_and_keeps_its_overlapping_spans(tmp_path):
    rows = [{"text": TEXT, "spans": [GADGET, PRODUCT_LINE], "spans_key": "sc"}, {"text": "no spans here"}]
    source = _write(tmp_path / "source.jsonl", rows)
    client = _client(source, tmp_path / "n.db")
    state = client.get("/api/state?session=ana").json()
    assert state["spans_key"] == "sc"
    assert [(s["start"], s["end"]) for s in state["task"]["spans"]] == [(3, 9), (3, 16)]


@pytest.mark.parametrize(
    ("rows", "options", "words"),
    [
        ([{"spans_key": "a"}, {"spans_key": "b"}], {}, "names the spans key 'b', an earlier one 'a'"),
        ([{"spans_key": "sc"}, {}], {}, "has spans but names no spans key"),
        ([{}, {"spans_key": "sc"}], {}, "has spans but names no spans key"),
        ([{"spans_key": "b"}], {"spans_key": "a"}, "--spans-key is 'a'"),
    ],
)
def test_a_source_that_mixes_span_groups_is_a_coded_error(tmp_path, rows, options, words):
    records = [{"text": TEXT, "spans": [GADGET]} | row for row in rows]
    source = _write(tmp_path / "source.jsonl", records)
    with pytest.raises(ParameterError, match=r"\[E323\]") as raised:
        create_review_app("d", source, labels=LABELS, db=tmp_path / "n.db", **options)
    assert words in str(raised.value) and "source.jsonl, line " in str(raised.value)


def test_tasks_naming_no_key_are_read_as_the_spans_key_given(tmp_path):
    source = _write(tmp_path / "source.jsonl", [{"text": TEXT, "spans": [GADGET, PRODUCT_LINE]}])
    client = _client(source, tmp_path / "n.db", spans_key="sc")  # overlapping, and no key of its own
    assert len(client.get("/api/state?session=ana").json()["task"]["spans"]) == 2


def test_an_empty_spans_key_is_refused(source, tmp_path):
    with pytest.raises(ParameterError, match=r"\[E403\].*spans_key"):
        create_review_app("d", source, labels=LABELS, db=tmp_path / "n.db", spans_key=" ")
