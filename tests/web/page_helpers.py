"""Clients of the review and teach apps that carry the page's token, as the page's own script does.

And the tiny source of the ``page`` fixture, for test modules to import (never from conftest).
"""

from __future__ import annotations

import re
from typing import Any

# The tiny source both pages serve in the tests that run on either (the ``page`` fixture).
TEXTS = ["my zorbo 3 died today", "is the zorbo 4 worth it ?", "selling my zorbo 7 cheap"]
PATTERNS = '{"label": "GADGET", "pattern": [{"LOWER": "zorbo"}, {"IS_DIGIT": true}]}\n'

TOKEN_HEADER = "x-nerforge-token"
TOKEN_IN_PAGE = re.compile(r'<meta name="nerforge-token" content="([^"]+)">')


def page_token(page_html: str) -> str | None:
    """The write token embedded in a served page, or None."""
    found = TOKEN_IN_PAGE.search(page_html)
    return found.group(1) if found else None


def with_page_token(client: Any, query: str = "") -> Any:
    """The client, sending the token of the page ``/`` serves (if it serves one) on every request."""
    token = page_token(client.get("/" + query).text)
    if token is not None:
        client.headers[TOKEN_HEADER] = token
    return client


def adjudication_client(db: Any, **options: Any) -> Any:
    """A client of the adjudication page settling dataset "d" into "gold", with the page's token."""
    from starlette.testclient import TestClient

    from nerforge.web.adjudicate import create_adjudication_app

    found = create_adjudication_app("d", "gold", db=db, **options)
    return with_page_token(TestClient(found.app, base_url="http://127.0.0.1:8080"))


def gold_tasks(db: Any) -> list[Any]:
    """The tasks stored in the "gold" dataset."""
    from nerforge.storage import Store

    with Store(db, read_only=True) as store:
        return list(store.iter_answers("gold"))
