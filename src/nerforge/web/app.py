"""The review page's ASGI app: routes only. The store and the feed do the work.

Handlers are ``async`` and do their short work inline: one event loop serialises every
store write and feed change, so two sessions can't race for a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ..storage import Store, StoredAnswer
from .feed import Feed
from .requests import (
    AnswerRequest,
    RequestError,
    answered_task,
    check_same_task,
    check_spans,
    parse_answer,
    session_name,
)
from .server import build_app, json_body, page_response, page_token, path_id
from .suggest import Question, Suggester

N_HISTORY = 5  # answers the page lists for reopening


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the page needs to know: the dataset, the labels, and who may call it."""

    dataset: str
    labels: tuple[str, ...]
    n_total: int
    overlap: bool = False
    token: str | None = None


def create_app(settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> ASGIApp:
    """The review app: the page, its static files and its JSON API, behind the guards of :mod:`.server`."""
    api = _Api(settings, store, feed, suggester)
    routes = [
        Route("/", api.index),
        Route("/api/state", api.state),
        Route("/api/answer", api.answer, methods=["POST"]),
        Route("/api/undo", api.undo, methods=["POST"]),
        Route("/api/answers/{answer_id}", api.reopen),
    ]
    return build_app(routes, page_token=api.page_token, host_token=settings.token)


class _Api:
    def __init__(self, settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> None:
        self.settings = settings
        self.store = store
        self.feed = feed
        self.suggester = suggester
        self.labels = frozenset(settings.labels)
        self.page_token = page_token(settings.token)

    async def index(self, request: Request) -> Response:
        return page_response("index.html", page_token=self.page_token, host_token=self.settings.token)

    async def state(self, request: Request) -> Response:
        session = session_name(request.query_params.get("session"))
        return JSONResponse(self._view(session))

    async def answer(self, request: Request) -> Response:
        session = request.query_params.get("session")
        answer = parse_answer(await json_body(request), self.labels, session=session)
        question = self.feed.claimed(answer.session, answer.task_id) or self._answered_question(answer)
        check_spans(answer.spans, question)
        saved = self.store.add_answer(
            self.settings.dataset,
            question.task,
            answered_task(question, answer, self.labels),
            annotator=answer.session,
            request_id=answer.stored_request_id,
        )
        check_same_task(saved, question)
        self.feed.answered(answer.session, question)
        view = {"saved": _answer_view(saved, self.labels)} | self._view(answer.session)
        return JSONResponse(view, background=BackgroundTask(self._prefetch, answer.session))

    async def _prefetch(self, session: str) -> None:
        """After the reply is sent: the next batch of suggestions, while the annotator reads."""
        self.feed.prefetch(session)

    async def undo(self, request: Request) -> Response:
        body = await json_body(request)
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
        stored = self.store.get_answer(path_id(request, "answer_id"))
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
            dataset, task_id, annotator=answer.session, request_id=answer.stored_request_id
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
