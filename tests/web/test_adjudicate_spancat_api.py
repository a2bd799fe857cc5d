"""The adjudication page in spancat mode: answers under a spans_key settle with overlaps, in that key."""

from __future__ import annotations

from typing import Any

import pytest

from nerforge.errors import ParameterError
from nerforge.records import Span, Task
from nerforge.storage import Store

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")

from page_helpers import adjudication_client as _client
from page_helpers import gold_tasks as _gold

from nerforge.web.adjudicate import create_adjudication_app

TEXT = "my iphone 15 pro died today"
AGREED = "the iphone 14 is fine"
GADGET = Span(3, 16, "GADGET")  # "iphone 15 pro"
PRODUCT_LINE = Span(3, 9, "PRODUCT_LINE")  # "iphone", inside it
NESTED = tuple(sorted((GADGET, PRODUCT_LINE)))
SC = {"spans_key": "sc"}


def _sc(text: str, *spans: Span) -> Task:
    return Task(text, tuple(sorted(spans)), extra=SC)


@pytest.fixture
def db(tmp_path):
    """Dataset "d" under spans_key "sc": ana nests PRODUCT_LINE in GADGET, bob marks GADGET only."""
    path = tmp_path / "n.db"
    nested = (Span(4, 10, "PRODUCT_LINE"), Span(4, 13, "GADGET"))
    with Store(path) as store:
        store.add_answers("d", [_sc(TEXT, GADGET, PRODUCT_LINE), _sc(AGREED, *nested)], annotator="ana")
        store.add_answers("d", [_sc(TEXT, GADGET), _sc(AGREED, *nested)], annotator="bob")
    return path


def _as_json(*spans: Span) -> list[dict[str, Any]]:
    return [{"start": s.start, "end": s.end, "label": s.label} for s in spans]


def _accept(page: Any, spans: list[dict[str, Any]], version: str | None) -> Any:
    task = page.get("/api/state?session=carol").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": spans, "version": version}
    return page.post("/api/answer?session=carol", json=body)


def test_a_picked_version_with_nested_spans_goes_to_gold_under_the_same_key(db):
    page = _client(db)
    state = page.get("/api/state?session=carol").json()
    assert state["spans_key"] == "sc" and state["task"]["text"] == TEXT
    ana = state["task"]["versions"][0]
    assert ana["annotator"] == "ana" and ana["spans"] == _as_json(*NESTED)
    reply = _accept(page, ana["spans"], "ana")
    assert reply.status_code == 200, reply.text
    [stored] = _gold(db)
    assert stored.spans_key == "sc" and stored.complete
    assert stored.spans == NESTED  # both nested spans
    assert (stored.extra["_picked"], stored.extra["_edited"]) == ("ana", False)
    assert stored.extra["_versions"]["bob"] == _as_json(GADGET)


def test_an_edit_may_nest_a_span_and_is_still_checked_on_the_tokens(db):
    page = _client(db)
    off_tokens = _accept(page, _as_json(GADGET, Span(3, 8, "PRODUCT_LINE")), "bob")
    assert off_tokens.status_code == 422 and "token boundaries" in off_tokens.json()["error"]
    reply = _accept(page, _as_json(GADGET, PRODUCT_LINE), "bob")  # bob's, PRODUCT_LINE nested in
    assert reply.status_code == 200, reply.text
    [stored] = _gold(db)
    assert (stored.spans_key, stored.spans) == ("sc", NESTED)
    assert (stored.extra["_picked"], stored.extra["_edited"]) == ("bob", True)


def test_agreed_nested_versions_pass_straight_through_under_the_key(db):
    assert create_adjudication_app("d", "gold", db=db, auto_accept_agreed=True).n_auto == 1
    [stored] = _gold(db)
    assert (stored.text, stored.spans_key, len(stored.spans)) == (AGREED, "sc", 2)


def test_entity_answers_still_refuse_overlaps_and_a_mixed_dataset_is_refused(db, tmp_path):
    entities = tmp_path / "e.db"
    with Store(entities) as store:
        store.add_answers("d", [Task(TEXT, (GADGET,))], annotator="ana")
        store.add_answers("d", [Task(TEXT)], annotator="bob")
    page = _client(entities, labels=["PRODUCT_LINE"])
    assert page.get("/api/state?session=carol").json()["spans_key"] is None
    reply = _accept(page, _as_json(GADGET, PRODUCT_LINE), "ana")
    assert reply.status_code == 422 and "overlaps" in reply.json()["error"]
    with Store(db) as store:
        store.add_answers("d", [Task("plain text", (Span(0, 5, "GADGET"),))], annotator="cy")
    with pytest.raises(ParameterError, match=r"\[E323\]"):
        create_adjudication_app("d", "gold", db=db)
