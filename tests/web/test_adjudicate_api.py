"""The adjudication API: versions with names, a pick with provenance, auto-accept, undo, claims, guards."""

from __future__ import annotations

from typing import Any

import pytest

from nerforge.errors import ParameterError, StorageError
from nerforge.io import read_tasks
from nerforge.lint import lint
from nerforge.records import Span, Task
from nerforge.storage import Store

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")

from page_helpers import adjudication_client as client
from page_helpers import gold_tasks as gold
from starlette.testclient import TestClient

from nerforge.web.adjudicate import create_adjudication_app

DISPUTED = "my zorbo 3 died today"
AGREED = "is the zorbo 4 worth it ?"
ALONE = "selling my zorbo 7 cheap"
GADGET_3 = Span(3, 10, "GADGET")
GADGET_4 = Span(7, 14, "GADGET")


@pytest.fixture
def db(tmp_path):
    """Dataset "d": ana and bob differ on DISPUTED, agree on AGREED; only ana answered ALONE."""
    path = tmp_path / "n.db"
    with Store(path) as store:
        store.add_answers(
            "d", [Task(DISPUTED, (GADGET_3,)), Task(AGREED, (GADGET_4,)), Task(ALONE)], annotator="ana"
        )
        store.add_answers("d", [Task(DISPUTED), Task(AGREED, (GADGET_4,))], annotator="bob")
    return path


def pick(page: Any, session: str, version: int, spans: list[dict[str, Any]] | None = None) -> Any:
    """Accept version N of the session's text, with ``spans`` instead of its own if given (edited)."""
    task = page.get(f"/api/state?session={session}").json()["task"]
    picked = task["versions"][version - 1]
    sent = picked["spans"] if spans is None else spans
    body = {"task_id": task["id"], "answer": "accept", "spans": sent, "version": picked["annotator"]}
    return page.post(f"/api/answer?session={session}", json=body | {"request_id": "r1"})


def test_each_disputed_text_shows_every_version_with_its_annotator(db):
    state = client(db).get("/api/state?session=carol").json()
    assert state["task"]["text"] == DISPUTED
    versions = state["task"]["versions"]
    assert [v["annotator"] for v in versions] == ["ana", "bob"]
    assert versions[0]["spans"] == [{"start": 3, "end": 10, "label": "GADGET"}] and versions[1]["spans"] == []
    assert state["progress"]["total"] == 2  # ALONE has one version: nothing to settle


def test_a_picked_version_is_stored_complete_with_its_provenance(db):
    reply = pick(client(db), "carol", 1)
    assert reply.status_code == 200, reply.text
    [task] = gold(db)
    assert (task.text, task.answer, task.complete, task.spans) == (DISPUTED, "accept", True, (GADGET_3,))
    assert task.extra["_annotators"] == ["ana", "bob"] and task.extra["_adjudicator"] == "carol"
    assert task.extra["_versions"] == {"ana": [{"start": 3, "end": 10, "label": "GADGET"}], "bob": []}
    assert (task.extra["_picked"], task.extra["_edited"]) == ("ana", False)
    assert reply.json()["task"]["text"] == AGREED  # the next text to settle


def test_an_edited_pick_is_stored_with_its_spans_and_marked_edited(db):
    page = client(db, labels=["PRODUCT"])
    assert page.get("/api/state?session=carol").json()["labels"] == ["PRODUCT", "GADGET"]
    edited = [{"start": 3, "end": 8, "label": "GADGET"}, {"start": 9, "end": 10, "label": "PRODUCT"}]
    reply = pick(page, "carol", 2, spans=edited)  # bob's version (no entities), two spans added
    assert reply.status_code == 200, reply.text
    [task] = gold(db)
    assert task.spans == (Span(3, 8, "GADGET"), Span(9, 10, "PRODUCT")) and task.complete
    assert task.extra["_picked"] == "bob" and task.extra["_edited"] is True
    assert task.extra["_versions"] == {"ana": [{"start": 3, "end": 10, "label": "GADGET"}], "bob": []}
    assert task.extra["_adjudicator"] == "carol"
    saved = reply.json()["saved"]
    assert (saved["picked"], saved["edited"]) == ("bob", True)


def test_spans_marked_with_no_version_picked_are_edited(db):
    page = client(db)
    task = page.get("/api/state?session=carol").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": [{"start": 3, "end": 8, "label": "GADGET"}]}
    assert page.post("/api/answer?session=carol", json=body).status_code == 200
    [stored] = gold(db)
    assert (stored.spans, stored.extra["_picked"], stored.extra["_edited"]) == (
        (Span(3, 8, "GADGET"),),
        None,
        True,
    )


@pytest.mark.parametrize(
    ("spans", "version", "field", "words"),
    [
        ([{"start": 3, "end": 9, "label": "GADGET"}], "ana", "spans[0]", "token boundaries"),
        ([{"start": 3, "end": 10, "label": "PHONE"}], "ana", "spans[0].label", "must be one of the labels"),
        (
            [{"start": 0, "end": 8, "label": "GADGET"}, {"start": 3, "end": 10, "label": "GADGET"}],
            "ana",
            "spans[1]",
            "overlaps",
        ),
        ([{"start": 3, "end": 99, "label": "GADGET"}], "ana", "spans[0]", "out of range"),
        ([], "zed", "version", "ana, bob"),
        ([], 7, "version", "annotator"),
    ],
)
def test_an_edit_off_the_tokens_or_labels_is_refused_and_nothing_stored(db, spans, version, field, words):
    page = client(db)
    task = page.get("/api/state?session=carol").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": spans, "version": version}
    reply = page.post("/api/answer?session=carol", json=body)
    assert reply.status_code == 422 and reply.json()["field"] == field, reply.text
    assert words in reply.json()["error"]
    assert gold(db) == []
    assert page.get("/api/state?session=carol").json()["task"]["id"] == task["id"]  # still to settle


def test_agreed_texts_go_straight_to_gold_once(db):
    found = create_adjudication_app("d", "gold", db=db, auto_accept_agreed=True)
    assert (found.n_texts, found.n_auto) == (2, 1)
    [task] = gold(db)
    assert (task.text, task.spans, task.extra["_adjudicator"]) == (AGREED, (GADGET_4,), "auto")
    assert create_adjudication_app("d", "gold", db=db, auto_accept_agreed=True).n_auto == 0  # a restart
    page = client(db)
    assert pick(page, "carol", 2).json()["task"] is None  # the agreed text is not asked about
    assert [t.text for t in gold(db)] == [AGREED, DISPUTED]


def test_undo_deletes_the_pick_and_gives_the_text_back(db):
    page = client(db)
    pick(page, "carol", 1)
    reply = page.post("/api/undo?session=carol", json={}).json()
    assert reply["undone"]["adjudicator"] == "carol" and reply["task"]["text"] == DISPUTED
    assert gold(db) == []


def test_a_reopened_text_is_settled_again_and_its_gold_answer_replaced(db):
    page = client(db, labels=["PRODUCT"])
    saved = pick(page, "carol", 1).json()["saved"]  # ana's version
    reopened = page.get(f"/api/answers/{saved['id']}?session=carol").json()
    task, answer = reopened["task"], reopened["answer"]
    assert task["text"] == DISPUTED and [v["annotator"] for v in task["versions"]] == ["ana", "bob"]
    assert task["spans"] == [{"start": 3, "end": 10, "label": "GADGET"}]  # the gold spans, in the editor
    assert (answer["id"], answer["picked"], answer["edited"]) == (saved["id"], "ana", False)
    edited = [{"start": 3, "end": 8, "label": "PRODUCT"}]
    body = {"task_id": task["id"], "answer": "accept", "spans": edited, "version": "bob", "request_id": "r2"}
    again = page.post("/api/answer?session=carol", json=body)
    assert again.status_code == 200, again.text
    assert again.json()["saved"]["id"] == saved["id"]  # replaced, not added
    assert again.json()["task"]["text"] == AGREED  # the text carol holds comes next again
    [stored] = gold(db)
    assert (stored.text, stored.spans) == (DISPUTED, (Span(3, 8, "PRODUCT"),))
    assert (stored.extra["_picked"], stored.extra["_edited"], stored.extra["_adjudicator"]) == (
        "bob",
        True,
        "carol",
    )
    assert stored.extra["_annotators"] == ["ana", "bob"]
    assert page.get("/api/state?session=carol").json()["progress"]["mine"] == 1


def test_only_the_sessions_own_gold_answers_reopen(db):
    page = client(db)
    saved = pick(page, "carol", 1).json()["saved"]
    assert page.get(f"/api/answers/{saved['id']}?session=dave").status_code == 404
    with Store(db, read_only=True) as store:
        [source] = [a.id for a in store.iter_stored_answers("d") if a.annotator == "ana"][:1]
    # an answer of the adjudicated dataset is not one of this page's, even for its annotator
    assert page.get(f"/api/answers/{source}?session=ana").status_code == 404


def test_a_text_settled_before_a_restart_is_reopened_and_settled_after_it(db):
    saved = pick(client(db), "carol", 1).json()["saved"]
    after = client(db)
    reopened = after.get(f"/api/answers/{saved['id']}?session=carol").json()["task"]
    body = {"task_id": reopened["id"], "answer": "reject", "spans": [], "request_id": "r2"}
    assert after.post("/api/answer?session=carol", json=body).json()["saved"]["id"] == saved["id"]
    [stored] = gold(db)
    assert (stored.text, stored.answer, stored.spans) == (DISPUTED, "reject", ())
    assert stored.extra["_picked"] is None and stored.extra["_adjudicator"] == "carol"


def test_two_adjudicators_never_get_the_same_text(db):
    page = client(db)
    first = page.get("/api/state?session=carol").json()["task"]["text"]
    second = page.get("/api/state?session=dave").json()["task"]["text"]
    assert {first, second} == {DISPUTED, AGREED}
    pick(page, "carol", 1)
    assert page.get("/api/state?session=dave").json()["task"]["text"] == second
    assert page.get("/api/state?session=carol").json()["task"] is None


def test_a_restart_goes_on_where_gold_left_off(db):
    pick(client(db), "carol", 1)
    assert client(db).get("/api/state?session=carol").json()["task"]["text"] == AGREED


def test_a_text_held_before_a_restart_is_answered_after_it(db):
    before = client(db).get("/api/state?session=carol").json()["task"]
    after = client(db)
    body = {"task_id": before["id"], "answer": "accept", "spans": before["versions"][0]["spans"]}
    assert after.post("/api/answer?session=carol", json=body).status_code == 200
    assert [t.text for t in gold(db)] == [DISPUTED]


def test_a_resent_pick_is_stored_once(db):
    page = client(db)
    task = page.get("/api/state?session=carol").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": [], "request_id": "r1"}
    first, again = (page.post("/api/answer?session=carol", json=body).json() for _ in range(2))
    assert first["saved"]["id"] == again["saved"]["id"] and len(gold(db)) == 1


def test_a_foreign_write_is_refused(db):
    page = client(db)
    task = page.get("/api/state?session=carol").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": []}
    foreign = page.post("/api/answer?session=carol", json=body, headers={"Origin": "http://evil.example"})
    without_token = TestClient(page.app, base_url="http://127.0.0.1:8080").post("/api/answer", json=body)
    assert (foreign.status_code, without_token.status_code) == (403, 403)
    assert gold(db) == []


def test_gold_into_itself_or_from_no_dataset_is_refused(db):
    with pytest.raises(ParameterError, match=r"\[E403\]"):
        create_adjudication_app("d", "d", db=db)
    with pytest.raises(StorageError, match=r"\[E305\]"):
        create_adjudication_app("nope", "gold", db=db)


def test_gold_reads_as_a_dataset_and_lint_sees_it_settled(db, monkeypatch):
    page = client(db, auto_accept_agreed=True)
    pick(page, "carol", 1)
    monkeypatch.setenv("NERFORGE_DB", str(db))
    read = list(read_tasks("db:gold"))
    assert [(t.text, t.complete) for t in read] == [(AGREED, True), (DISPUTED, True)]
    assert any(f.code == "L609" for f in lint("db:d").findings)
    assert not any(f.code == "L609" for f in lint("db:gold").findings)


def test_binary_answers_are_refused_with_what_to_do_instead(tmp_path):
    path = tmp_path / "teach.db"
    card = Task(DISPUTED, (GADGET_3,), "accept", False, {}, {"_view_id": "ner"})
    with Store(path) as store:
        store.add_answers("cards", [card], annotator="ana")
        store.add_answers(
            "cards", [Task(DISPUTED, (GADGET_3,), "reject", False, {}, {"_view_id": "ner"})], annotator="bob"
        )
    with pytest.raises(ParameterError, match=r"\[E322\].*2 binary answer.*nerforge db agreement cards"):
        create_adjudication_app("cards", "gold", db=path)
    with Store(path) as store:
        assert "gold" not in store.datasets()
