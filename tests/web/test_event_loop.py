"""Slow work (the teach feed's wait, a model's suggestions) never stops the server answering."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("uvicorn", reason="the web extra is not installed")
import httpx
from browser_helpers import serving
from page_helpers import PATTERNS, TEXTS, TOKEN_HEADER, page_token

from nerforge.web import create_review_app
from nerforge.web.teach import create_teach_app

QUICK = 2.0  # seconds: a static file served on a free loop takes milliseconds


def _source(tmp_path):
    source, patterns = tmp_path / "source.txt", tmp_path / "patterns.jsonl"
    source.write_text("\n".join(TEXTS) + "\n")
    patterns.write_text(PATTERNS)
    return source, patterns


def _time_a_static_file(address: str) -> float:
    started = time.monotonic()
    assert httpx.get(f"{address}/static/style.css", timeout=30).status_code == 200
    return time.monotonic() - started


def test_a_teach_request_waiting_for_cards_leaves_the_server_free(tmp_path, monkeypatch):
    release = threading.Event()

    def stalled(*args, **kwargs):
        release.wait(20)  # the first batch is still being scored
        return iter(())

    monkeypatch.setattr("nerforge.web.teach.order_suggestions", stalled)
    monkeypatch.setattr("nerforge.web.teach_feed.WAIT_SECONDS", 8.0)
    source, patterns = _source(tmp_path)
    server = create_teach_app(
        "d", "blank:en", source, label="GADGET", patterns=patterns, db=tmp_path / "n.db", warm_start=None
    )
    with serving(server.app) as address:
        waiting = threading.Thread(target=httpx.get, args=(f"{address}/api/state?session=ana",), daemon=True)
        waiting.start()
        time.sleep(0.5)
        took = _time_a_static_file(address)
        release.set()
        waiting.join(timeout=20)
    assert took < QUICK, f"a static file took {took:.1f} s while a card was awaited"


def test_suggestions_prefetched_after_an_answer_leave_the_server_free(tmp_path, monkeypatch):
    monkeypatch.setattr("nerforge.web.feed.Feed.prefetch", lambda self, session: time.sleep(4))
    source, patterns = _source(tmp_path)
    app = create_review_app("d", source, labels=["GADGET"], patterns=patterns, db=tmp_path / "n.db")
    with serving(app) as address, httpx.Client(base_url=address, timeout=30) as client:
        client.headers[TOKEN_HEADER] = page_token(client.get("/").text) or ""
        task = client.get("/api/state?session=ana").json()["task"]
        body = {"task_id": task["id"], "answer": "accept", "spans": []}
        assert client.post("/api/answer?session=ana", json=body).status_code == 200
        took = _time_a_static_file(address)
    assert took < QUICK, f"a static file took {took:.1f} s while suggestions were prefetched"
