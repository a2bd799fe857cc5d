"""The review page's ASGI app: routes only. The store and the feed do the work.

Handlers are ``async`` and do their short work inline: one event loop serialises every
store write and feed change, so two sessions can't race for a task.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import NerforgeError
from ..storage import Store, StoredAnswer
from .feed import Feed
from .requests import (
    MAX_BODY_BYTES,
    AnswerRequest,
    RequestError,
    answered_task,
    check_spans,
    parse_answer,
    session_name,
)
from .suggest import Question, Suggester

STATIC = Path(__file__).parent / "static"
N_HISTORY = 5  # answers the page lists for reopening
TOKEN_HEADER = "x-nerforge-token"


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the page needs to know: the dataset, the labels, and who may call it."""

    dataset: str
    labels: tuple[str, ...]
    n_total: int
    overlap: bool = False
    token: str | None = None


def create_app(settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> Starlette:
    """The review app: the page, its static files and its JSON API; with a token, 401 without it."""
    api = _Api(settings, store, feed, suggester)
    routes = [
        Route("/", api.index),
        Route("/api/state", api.state),
        Route("/api/answer", api.answer, methods=["POST"]),
        Route("/api/undo", api.undo, methods=["POST"]),
        Route("/api/answers/{answer_id:int}", api.reopen),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers = {RequestError: _request_error, NerforgeError: _store_error}
    app = Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]
    if settings.token is not None:
        return _TokenGuard(app, settings.token)  # type: ignore[return-value]
    return _LoopbackGuard(app)  # type: ignore[return-value]


async def _request_error(_: Request, err: RequestError) -> Response:
    return JSONResponse(err.to_dict(), status_code=err.status)


async def _store_error(_: Request, err: NerforgeError) -> Response:
    """A store that is locked, read-only or broken: the coded message, and nothing was saved."""
    return JSONResponse({"error": str(err), "field": "store"}, status_code=503)


class _Api:
    def __init__(self, settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> None:
        self.settings = settings
        self.store = store
        self.feed = feed
        self.suggester = suggester
        self.labels = frozenset(settings.labels)

    async def index(self, request: Request) -> Response:
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        query = f"?token={self.settings.token}" if self.settings.token else ""
        return HTMLResponse(page.replace("{{query}}", query), headers=_SECURITY_HEADERS)

    async def state(self, request: Request) -> Response:
        session = session_name(request.query_params.get("session"))
        return JSONResponse(self._view(session))

    async def answer(self, request: Request) -> Response:
        session = request.query_params.get("session")
        answer = parse_answer(await _json_body(request), self.labels, session=session)
        question = self.feed.claimed(answer.session, answer.task_id) or self._answered_question(answer)
        check_spans(answer.spans, question)
        saved = self.store.add_answer(
            self.settings.dataset,
            question.task,
            answered_task(question, answer, self.labels),
            annotator=answer.session,
            request_id=answer.request_id,
        )
        self.feed.answered(answer.session, question)
        view = {"saved": _answer_view(saved, self.labels)} | self._view(answer.session)
        return JSONResponse(view, background=BackgroundTask(self._prefetch, answer.session))

    async def _prefetch(self, session: str) -> None:
        """After the reply is sent: the next batch of suggestions, while the annotator reads."""
        self.feed.prefetch(session)

    async def undo(self, request: Request) -> Response:
        body = await _json_body(request)
        named = request.query_params.get("session") or (
            body.get("session") if isinstance(body, dict) else None
        )
        session = session_name(named)
        undone = self.store.delete_last_answer(self.settings.dataset, annotator=session)
        if undone is not None:
            question = self.store.get_question(undone.task_hash)
            self.feed.undone(session, self.suggester.question(question or undone.task))
        view = self._view(session)
        return JSONResponse({"undone": None if undone is None else _answer_view(undone, self.labels)} | view)

    async def reopen(self, request: Request) -> Response:
        session = session_name(request.query_params.get("session"))
        stored = self.store.get_answer(int(request.path_params["answer_id"]))
        if stored is None or stored.annotator != session:
            raise RequestError(404, "answer_id", "is not an answer of this session")
        question = self._stored_question(stored.task_hash)
        view = _question_view(question, self.labels)
        view["spans"] = [_span_view(s) for s in stored.task.accepted_spans if s.label in self.labels]
        return JSONResponse({"task": view, "answer": _answer_view(stored, self.labels)})

    def _answered_question(self, answer: AnswerRequest) -> Question:
        """A question the session answered before (reopened), or whose answer this request already stored.

        Anything else is not this session's to answer: after a restart another session may hold it.
        """
        dataset, task_id = self.settings.dataset, answer.task_id
        if not self.store.has_answered(
            dataset, task_id, annotator=answer.session, request_id=answer.request_id
        ):
            raise RequestError(409, "task_id", "is not a task this session holds; reload the page")
        return self._stored_question(task_id)

    def _stored_question(self, task_hash: int) -> Question:
        stored = self.store.get_question(task_hash)
        if stored is None:
            raise RequestError(409, "task_id", "is not a task shown to this session; reload the page")
        return self.suggester.question(stored)

    def _view(self, session: str) -> dict[str, Any]:
        question = self.feed.current(session)
        history = self.store.recent_answers(self.settings.dataset, annotator=session, n=N_HISTORY)
        n_done = self.store.count_answers(self.settings.dataset)
        return {
            "dataset": self.settings.dataset,
            "labels": list(self.settings.labels),
            "session": session,
            "task": None if question is None else _question_view(question, self.labels),
            "progress": {"done": n_done, "total": self.settings.n_total, "overlap": self.settings.overlap},
            "history": [_answer_view(answer, self.labels) for answer in history],
        }


def _question_view(question: Question, labels: frozenset[str]) -> dict[str, Any]:
    return {
        "id": str(question.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
        "text": question.task.text,
        "tokens": [list(pair) for pair in question.tokens],
        "spans": [_span_view(span) for span in question.task.accepted_spans if span.label in labels],
    }


def _span_view(span: Any) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label, "source": span.source}


def _answer_view(stored: StoredAnswer, labels: frozenset[str]) -> dict[str, Any]:
    return {
        "id": stored.id,
        "task_id": str(stored.task_hash),
        "answer": stored.task.answer,
        "text": stored.task.text[:80],
        "spans": [_span_view(s) | {"answer": s.answer} for s in stored.task.spans if s.label in labels],
    }


async def _json_body(request: Request) -> Any:
    """The request's JSON, read no further than ``MAX_BODY_BYTES`` (413 past it)."""
    if "application/json" not in request.headers.get("content-type", ""):
        raise RequestError(415, "content-type", "must be application/json")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError(413, "body", f"is larger than {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(413, "body", f"is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError):
        raise RequestError(400, "body", "is not valid JSON") from None


_SECURITY_HEADERS = {
    # the page's own script and style only: injected markup could not run a script anyway
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


class _TokenGuard:
    """Answers 401 to any request without the token (query ``token``, or the header)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._allowed(scope):
            message = "a token is required: open the address nerforge printed at start"
            response = JSONResponse({"error": message, "field": "token"}, status_code=401)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        headers = dict(scope.get("headers") or [])
        given = headers.get(TOKEN_HEADER.encode(), b"").decode("latin-1")
        if not given:
            values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])
            given = values[0]
        return hmac.compare_digest(given.encode(), self.token.encode())


class _LoopbackGuard:
    """Without a token, answer only requests addressed to this machine by name or loopback address.

    A web page elsewhere can point its own domain at 127.0.0.1 (DNS rebinding) and read the
    answers of a page that trusts any Host header; a loopback Host can't be faked that way.
    """

    HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _host_name(scope) not in self.HOSTS:
            message = "open the page at 127.0.0.1 or localhost (with another --host, use its token)"
            await JSONResponse({"error": message, "field": "host"}, status_code=403)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _host_name(scope: Scope) -> str:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    host = headers.get(b"host", b"").decode("latin-1")
    if host.startswith("["):  # [::1]:8080
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
