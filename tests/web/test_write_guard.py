"""Writes only from the page itself: exact JSON media type, no foreign origin, the page's token."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
from page_helpers import TOKEN_HEADER, with_page_token
from starlette.testclient import TestClient

from nerforge.storage import Store
from nerforge.web import create_review_app
from nerforge.web.teach import create_teach_app

TEXTS = ["my zorbo 3 died today", "is the zorbo 4 worth it ?", "selling my zorbo 7 cheap"]
PATTERNS = '{"label": "GADGET", "pattern": [{"LOWER": "zorbo"}, {"IS_DIGIT": true}]}\n'


@pytest.fixture(params=["review", "teach"])
def page(request, tmp_path):
    """A client of either page holding one stored answer, and a count of the stored answers."""
    source, patterns, db = tmp_path / "source.jsonl", tmp_path / "patterns.jsonl", tmp_path / "n.db"
    source.write_text("\n".join(json.dumps({"text": text}) for text in TEXTS) + "\n")
    patterns.write_text(PATTERNS)
    if request.param == "review":
        app = create_review_app("d", source, labels=["GADGET"], patterns=patterns, db=db)
    else:
        app = create_teach_app(
            "d", "blank:en", source, label="GADGET", patterns=patterns, db=db, warm_start=None
        ).app
    client = with_page_token(TestClient(app, base_url="http://127.0.0.1:8080"))
    task = client.get("/api/state?session=edge").json()["task"]
    body = {"task_id": task["id"], "answer": "accept", "spans": task.get("spans", [])}
    if request.param == "teach":
        del body["spans"]
    assert client.post("/api/answer?session=edge", json=body).status_code == 200

    def n_stored() -> int:
        with Store(db, read_only=True) as store:
            return store.count_answers("d")

    return client, n_stored


def _undo(client, headers):
    return client.post("/api/undo?session=edge", content=b"{}", headers=headers)


@pytest.mark.parametrize("media_type", ["text/plain; x=application/json", "text/plain", "application/jsonp"])
def test_a_write_whose_media_type_is_not_exactly_json_is_refused(page, media_type):
    client, n_stored = page
    reply = _undo(client, {"content-type": media_type})
    assert reply.status_code == 415 and n_stored() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://127.0.0.1:9999"},  # another port: another origin
        {"origin": "null"},  # a file:// page or a sandboxed frame
        {"origin": "http://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_a_write_from_another_page_is_refused(page, headers):
    client, n_stored = page
    reply = _undo(client, {"content-type": "application/json"} | headers)
    assert reply.status_code == 403 and reply.json()["field"] == "origin" and n_stored() == 1
    assert "another web page" in reply.json()["error"]


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_write_without_the_page_token_is_refused(page, token):
    client, n_stored = page
    client.headers.pop(TOKEN_HEADER)
    headers = {"content-type": "application/json"} | ({TOKEN_HEADER: token} if token else {})
    reply = _undo(client, headers)
    assert reply.status_code == 403 and reply.json()["field"] == "token" and n_stored() == 1
    assert "Reload the page" in reply.json()["error"]


def test_a_write_from_the_page_itself_is_taken(page):
    client, n_stored = page
    headers = {"content-type": "application/json; charset=utf-8", "origin": "http://127.0.0.1:8080"}
    reply = _undo(client, headers | {"sec-fetch-site": "same-origin"})
    assert reply.status_code == 200 and reply.json()["undone"] is not None and n_stored() == 0
