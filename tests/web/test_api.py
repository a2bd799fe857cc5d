"""The review API through Starlette's TestClient: answers, sessions, undo, validation, the token."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
from page_helpers import with_page_token
from starlette.testclient import TestClient

from nerforge.storage import Store
from nerforge.web import create_review_app, needs_token

TEXTS = [
    "my zorbo 3 died today",
    "is the kalyx 9 worth it ?",
    "<script>alert(1)</script> and <img src=x onerror=alert(2)>",
    "selling my plexa mini cheap",
    "the weather is awful",
]
PATTERNS = '{"label": "GADGET", "pattern": [{"LOWER": "zorbo"}, {"IS_DIGIT": true}]}\n'


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source.jsonl"
    rows = [{"text": text} for text in TEXTS]
    rows[1]["spans"] = [{"start": 7, "end": 14, "label": "GADGET"}]
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    return path


@pytest.fixture
def make_client(tmp_path, source):
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(PATTERNS)

    def make(**options):
        settings = {"labels": ["GADGET", "PERSON"], "patterns": patterns, "db": tmp_path / "n.db"} | options
        client = TestClient(create_review_app("review", source, **settings), base_url="http://127.0.0.1")
        return with_page_token(client)

    return make


def _answer(client, task, answer="accept", spans=None, session="ana", **extra):
    body = {"task_id": task["id"], "answer": answer, "spans": task["spans"] if spans is None else spans}
    return client.post(f"/api/answer?session={session}", json=body | extra)


def test_the_page_and_first_task_with_pattern_suggestions(make_client):
    client = make_client()
    page = client.get("/")
    assert (
        page.status_code == 200
        and "app.js" in page.text
        and "/static/spans.js" in page.text
        and "innerHTML" not in client.get("/static/app.js").text
        and "innerHTML" not in client.get("/static/spans.js").text  # the span editor, shared
    )
    state = client.get("/api/state?session=ana").json()
    task = state["task"]
    assert task["text"] == TEXTS[0] and state["labels"] == ["GADGET", "PERSON"]
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [(3, 10, "GADGET")]
    assert task["tokens"][:3] == [[0, 2], [3, 8], [9, 10]]
    assert state["progress"] == {"done": 0, "mine": 0, "total": 5, "overlap": 1}


def test_an_accepted_correction_is_complete_and_keeps_removed_suggestions_as_rejected(make_client, tmp_path):
    client = make_client()
    client.get("/api/state?session=ana")
    second = _answer(client, client.get("/api/state?session=ana").json()["task"], spans=[]).json()["task"]
    assert second["text"] == TEXTS[1]
    relabelled = [{"start": 7, "end": 14, "label": "PERSON"}]
    reply = _answer(client, second, spans=relabelled).json()
    assert reply["saved"]["answer"] == "accept" and reply["progress"]["done"] == 2
    with Store(tmp_path / "n.db") as store:
        first, stored = list(store.iter_answers("review"))
    assert first.complete and first.accepted_spans == () and len(first.rejected_spans) == 1
    assert stored.complete and [(s.start, s.end, s.label, s.answer) for s in stored.spans] == [
        (7, 14, "GADGET", "reject"),
        (7, 14, "PERSON", "accept"),
    ]


def test_reject_and_ignore_are_saved_as_such(make_client, tmp_path):
    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    task = _answer(client, task, "reject").json()["task"]
    _answer(client, task, "ignore")
    with Store(tmp_path / "n.db") as store:
        rejected, ignored = list(store.iter_answers("review"))
    assert rejected.answer == "reject" and rejected.spans[0].is_rejected and not rejected.complete
    assert ignored.answer == "ignore"


def test_two_sessions_never_get_the_same_task_and_a_restart_goes_on(make_client):
    client = make_client()
    seen = {"ana": [], "bob": []}
    for _ in range(2):
        for session, texts in seen.items():
            task = client.get(f"/api/state?session={session}").json()["task"]
            texts.append(task["text"])
            _answer(client, task, session=session)
    assert not set(seen["ana"]) & set(seen["bob"]) and len(set(seen["ana"] + seen["bob"])) == 4
    held_by_ana = client.get("/api/state?session=ana").json()["task"]
    assert _answer(client, held_by_ana, session="bob").status_code == 409  # not bob's to answer
    restarted = make_client()
    last = restarted.get("/api/state?session=carl").json()
    assert last["task"]["text"] not in seen["ana"] + seen["bob"] and last["progress"]["done"] == 4
    done = _answer(restarted, last["task"], session="carl").json()
    assert done["task"] is None


def test_overlap_zero_shows_every_text_to_every_session(make_client):
    client = make_client(overlap=0)
    first = client.get("/api/state?session=ana").json()["task"]
    _answer(client, first, session="ana")
    assert client.get("/api/state?session=bob").json()["task"]["text"] == first["text"]


def test_overlap_n_sends_each_text_to_n_different_sessions_and_no_more(make_client):
    client = make_client(overlap=2)
    seen = {name: [] for name in ("ana", "bob", "cy")}
    for _ in range(5):  # the five texts, answered in turn while any session gets one
        for name, texts in seen.items():
            task = client.get(f"/api/state?session={name}").json()["task"]
            if task is not None:
                texts.append(task["text"])
                _answer(client, task, session=name)
    counts = {
        text: sum(text in texts for texts in seen.values()) for texts in seen.values() for text in texts
    }
    assert set(counts.values()) == {2} and len(counts) == 5  # every text twice, none three times
    assert all(len(texts) == len(set(texts)) for texts in seen.values())  # no session sees a text twice


def test_overlap_n_counts_the_answers_stored_before_a_restart(make_client):
    client = make_client(overlap=2)
    for name in ("ana", "bob"):
        _answer(client, client.get(f"/api/state?session={name}").json()["task"], session=name)
    first = client.get("/api/state?session=ana").json()["task"]["text"]
    restarted = make_client(overlap=2)
    texts = []
    while (task := restarted.get("/api/state?session=cy").json()["task"]) is not None:
        texts.append(task["text"])
        _answer(restarted, task, session="cy")
    assert len(texts) == 4 and first in texts  # the text ana and bob both answered is full


def test_a_resent_answer_is_stored_once(make_client, tmp_path):
    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    for _ in range(2):
        assert _answer(client, task, request_id="req-1").status_code == 200
    with Store(tmp_path / "n.db") as store:
        assert store.count_answers("review") == 1


def test_undo_brings_the_task_back_and_reopen_replaces_an_answer(make_client, tmp_path):
    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    reply = _answer(client, task, spans=[]).json()
    undone = client.post("/api/undo", json={"session": "ana"}).json()
    assert undone["undone"]["id"] == reply["saved"]["id"] and undone["task"]["id"] == task["id"]
    assert undone["progress"]["done"] == 0
    saved = _answer(client, undone["task"]).json()["saved"]
    reopened = client.get(f"/api/answers/{saved['id']}?session=ana").json()
    assert reopened["task"]["text"] == TEXTS[0] and reopened["answer"]["answer"] == "accept"
    assert _answer(client, reopened["task"], "reject").json()["saved"]["id"] == saved["id"]
    assert client.get(f"/api/answers/{saved['id']}?session=bob").status_code == 404
    with Store(tmp_path / "n.db") as store:
        assert [t.answer for t in store.iter_answers("review")] == ["reject"]


@pytest.mark.parametrize(
    ("spans", "field", "words"),
    [
        ([{"start": 0, "end": 999, "label": "GADGET"}], "spans[0]", "out of range"),
        ([{"start": 4, "end": 10, "label": "GADGET"}], "spans[0]", "token boundaries"),
        ([{"start": 3, "end": 10, "label": "DRUG"}], "spans[0].label", "GADGET, PERSON"),
        ([{"start": "3", "end": 10, "label": "GADGET"}], "spans[0].start", "integer"),
        (
            [{"start": 0, "end": 8, "label": "GADGET"}, {"start": 3, "end": 10, "label": "GADGET"}],
            "spans[1]",
            "overlaps",
        ),
    ],
)
def test_bad_spans_get_a_4xx_naming_the_field(make_client, spans, field, words):
    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    reply = _answer(client, task, spans=spans)
    assert reply.status_code == 422 and reply.json()["field"] == field and words in reply.json()["error"]


def test_bad_bodies_get_a_4xx(make_client):
    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    assert _answer(client, task, "maybe").json()["field"] == "answer"
    huge = client.post("/api/answer", content=b"x" * 10_000_000, headers={"content-type": "application/json"})
    assert huge.status_code == 413 and "larger" in huge.json()["error"]
    assert (
        client.post("/api/answer", content=b"{", headers={"content-type": "application/json"}).status_code
        == 400
    )
    assert client.post("/api/answer", data={"a": "b"}).status_code == 415
    assert client.get("/api/state?session=bad%20name").json()["field"] == "session"
    assert _answer(client, {"id": "123", "spans": []}).status_code == 409


def test_a_token_is_required_when_one_is_set(make_client):
    assert needs_token("0.0.0.0") and not needs_token("127.0.0.1")
    client = make_client(token="s3cret")
    assert client.get("/").status_code == 401 and client.get("/api/state").status_code == 401
    assert client.get("/static/app.js").status_code == 401
    page = client.get("/?token=s3cret")
    assert page.status_code == 200 and "/static/app.js?token=s3cret" in page.text
    assert client.get("/api/state", headers={"x-nerforge-token": "s3cret"}).status_code == 200
    assert client.get("/api/state", headers={"x-nerforge-token": "wrong"}).status_code == 401


def test_a_store_failure_is_a_503_with_the_coded_message(make_client, monkeypatch):
    from nerforge.errors import StorageError
    from nerforge.storage.store import Store as StoreClass

    def locked(*args, **kwargs):
        raise StorageError("E301", path="n.db")

    client = make_client()
    task = client.get("/api/state?session=ana").json()["task"]
    monkeypatch.setattr(StoreClass, "add_answer", locked)
    reply = _answer(client, task)
    assert reply.status_code == 503 and "[E301]" in reply.json()["error"]


def test_spans_of_other_labels_are_kept_but_not_shown(tmp_path):
    source = tmp_path / "silver.jsonl"
    record = {
        "text": "Anna bought a zorbo 3 in Paris",
        "spans": [{"start": 0, "end": 4, "label": "PERSON"}, {"start": 14, "end": 21, "label": "GADGET"}],
        "complete": True,
    }
    source.write_text(json.dumps(record) + "\n")
    app = create_review_app("d", source, labels=["GADGET"], db=tmp_path / "n.db")
    client = with_page_token(TestClient(app, base_url="http://localhost:8080"))
    task = client.get("/api/state?session=ana").json()["task"]
    assert [(s["start"], s["label"]) for s in task["spans"]] == [(14, "GADGET")]
    _answer(client, task, spans=[{"start": 25, "end": 30, "label": "GADGET"}])
    undone = client.post("/api/undo?session=ana", json={}).json()["undone"]
    assert {s["label"] for s in undone["spans"]} == {"GADGET"}
    _answer(client, undone | {"id": undone["task_id"]}, spans=[{"start": 25, "end": 30, "label": "GADGET"}])
    with Store(tmp_path / "n.db") as store:
        (answer,) = store.iter_answers("d")
    assert answer.complete and [(s.start, s.label, s.answer) for s in answer.spans] == [
        (0, "PERSON", "accept"),
        (14, "GADGET", "reject"),
        (25, "GADGET", "accept"),
    ]


def test_without_a_token_only_loopback_hosts_are_answered(make_client):
    client = make_client()
    for host in ("127.0.0.1:8080", "localhost", "[::1]:8080"):
        assert client.get("/api/state", headers={"host": host}).status_code == 200
    refused = client.get("/api/state", headers={"host": "evil.example:8080"})
    assert refused.status_code == 403 and refused.json()["field"] == "host"


def test_no_labels_or_an_empty_source_are_coded_errors(tmp_path, source):
    from nerforge.errors import NerforgeError

    with pytest.raises(NerforgeError, match=r"\[E321\]"):
        create_review_app("d", source, labels=[" ", ""], db=tmp_path / "n.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(NerforgeError, match=r"\[E017\]"):
        create_review_app("d", empty, labels=["GADGET"], db=tmp_path / "n.db")
