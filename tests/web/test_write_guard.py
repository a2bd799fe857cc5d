"""Writes only from the page itself: exact JSON media type, no foreign origin, the page's token."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
from page_helpers import TOKEN_HEADER


@pytest.fixture
def answered(page):
    """Either page, with one answer stored (session "edge")."""
    assert page.answer(page.task("edge"), "edge").status_code == 200
    return page.client, page.n_stored


def _undo(client, headers):
    return client.post("/api/undo?session=edge", content=b"{}", headers=headers)


@pytest.mark.parametrize("media_type", ["text/plain; x=application/json", "text/plain", "application/jsonp"])
def test_a_write_whose_media_type_is_not_exactly_json_is_refused(answered, media_type):
    client, n_stored = answered
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
def test_a_write_from_another_page_is_refused(answered, headers):
    client, n_stored = answered
    reply = _undo(client, {"content-type": "application/json"} | headers)
    assert reply.status_code == 403 and reply.json()["field"] == "origin" and n_stored() == 1
    assert "another web page" in reply.json()["error"]


@pytest.mark.parametrize("token", [None, "wrong"])
def test_a_write_without_the_page_token_is_refused(answered, token):
    client, n_stored = answered
    client.headers.pop(TOKEN_HEADER)
    headers = {"content-type": "application/json"} | ({TOKEN_HEADER: token} if token else {})
    reply = _undo(client, headers)
    assert reply.status_code == 403 and reply.json()["field"] == "token" and n_stored() == 1
    assert "Reload the page" in reply.json()["error"]


def test_a_write_from_the_page_itself_is_taken(answered):
    client, n_stored = answered
    headers = {"content-type": "application/json; charset=utf-8", "origin": "http://127.0.0.1:8080"}
    reply = _undo(client, headers | {"sec-fetch-site": "same-origin"})
    assert reply.status_code == 200 and reply.json()["undone"] is not None and n_stored() == 0
