"""A client of either page (review or teach) over a tiny source, for tests both pages must pass."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Page:
    """A TestClient of one page that sends the page's token, and what the store holds."""

    kind: str
    client: Any
    n_stored: Callable[[], int]
    make_client: Callable[[], Any]
    snapshot: Callable[[], list[Any]]

    def restarted(self) -> Page:
        """The same page served by a fresh app on the same store (a new page token)."""
        return Page(self.kind, self.make_client(), self.n_stored, self.make_client, self.snapshot)

    def task(self, session: str) -> dict[str, Any]:
        return self.client.get(f"/api/state?session={session}").json()["task"]

    def answer(self, task: dict[str, Any], session: str, **extra: Any) -> Any:
        body = {"task_id": task["id"], "answer": "accept"} | extra
        if self.kind == "review":
            body.setdefault("spans", task["spans"])
        return self.client.post(f"/api/answer?session={session}", json=body)


@pytest.fixture(params=["review", "teach"])
def page(request, tmp_path) -> Page:
    pytest.importorskip("starlette", reason="the web extra is not installed")
    pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
    from page_helpers import PATTERNS, TEXTS, with_page_token
    from starlette.testclient import TestClient

    from nerforge.storage import Store
    from nerforge.web import create_review_app
    from nerforge.web.teach import create_teach_app

    source, patterns, db = tmp_path / "source.jsonl", tmp_path / "patterns.jsonl", tmp_path / "n.db"
    source.write_text("\n".join(json.dumps({"text": text}) for text in TEXTS) + "\n")
    patterns.write_text(PATTERNS)

    def make_client() -> Any:
        if request.param == "review":
            app = create_review_app("d", source, labels=["GADGET"], patterns=patterns, db=db)
        else:
            app = create_teach_app(
                "d", "blank:en", source, label="GADGET", patterns=patterns, db=db, warm_start=None
            ).app
        return with_page_token(TestClient(app, base_url="http://127.0.0.1:8080"))

    def n_stored() -> int:
        with Store(db, read_only=True) as store:
            return store.count_answers("d")

    def snapshot() -> list[Any]:
        """Every stored answer: its text, decision and spans, in order."""
        with Store(db, read_only=True) as store:
            return [(task.text, task.answer, task.spans) for task in store.iter_answers("d")]

    return Page(request.param, make_client(), n_stored, make_client, snapshot)
