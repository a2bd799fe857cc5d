"""The JSON API both pages share: state, answer and undo, each a thin route over a few hooks.

Store writes and feed changes run one at a time (a lock), in a worker thread: the event
loop never waits for SQLite, a model's suggestions or the teach feed's scoring, so the
page, its static files and other sessions' requests are served meanwhile.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, ClassVar, Protocol, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from ..records import Task
from ..storage import Store, StoredAnswer
from .requests import AnswerRequest, RequestError, check_same_task, session_name
from .server import build_app, json_body, page_response, page_token, path_id
from .suggest import Question

N_HISTORY = 5  # answers the page lists (the review page reopens them)
HISTORY_TEXT_CHARS = 80  # the start of an answered text the history shows
T = TypeVar("T")


class QuestionFeed(Protocol):
    """What hands a page's questions out to sessions: the review feed, or teach's cards."""

    def current(self, session: str) -> Question | None:
        """The session's question, claimed now if it holds none (None: no more)."""
        ...

    def claimed(self, session: str, hash_of_task: int) -> Question | None:
        """The question with this task hash, if the session holds it."""
        ...

    def reclaim(self, session: str, hash_of_task: int) -> Question | None:
        """A question the session held before a restart, claimed again if nobody else holds it."""
        ...


class PageApi(ABC):
    """A page's routes: ``/``, ``/api/state``, ``/api/answer``, ``/api/undo`` and its own extras.

    A page that ``reopens`` also serves ``/api/answers/{id}``: one of the session's answers with
    its task, to answer again (the answer replaces it: one answer per annotator and task).

    Args:
        dataset: The dataset answers go to.
        store: The store holding it.
        feed: What hands the questions out (claims per session).
        host_token: The token every request must carry (None: loopback hosts only).
    """

    page: ClassVar[str]  # each page's parts file under static/, filling static/page.html
    reopens: ClassVar[bool] = False  # the page reopens an answer of its history (``/api/answers/{id}``)

    def __init__(self, dataset: str, store: Store, feed: QuestionFeed, *, host_token: str | None) -> None:
        self.dataset = dataset
        self.store = store
        self.feed = feed
        self.host_token = host_token
        self.page_token = page_token(host_token)
        self._lock = threading.Lock()
        self._n_answered: dict[str, int] = {}  # per session, counted in the store once, then kept

    def _n_mine(self, session: str, change: int = 0) -> int:
        if session not in self._n_answered:
            self._n_answered[session] = sum(
                1 for _ in self.store.iter_answers(self.dataset, annotator=session)
            )
        self._n_answered[session] += change
        return self._n_answered[session]

    def app(self) -> ASGIApp:
        """The page's ASGI app, behind the guards of :mod:`.server`."""
        routes: list[BaseRoute] = [
            Route("/", self.index),
            Route("/api/state", self.state),
            Route("/api/answer", self.answer, methods=["POST"]),
            Route("/api/undo", self.undo, methods=["POST"]),
            *([Route("/api/answers/{answer_id}", self.reopen)] if self.reopens else []),
            *self.extra_routes(),
        ]
        return build_app(routes, page_token=self.page_token, host_token=self.host_token)

    def extra_routes(self) -> list[BaseRoute]:
        """Routes only this page has."""
        return []

    async def index(self, request: Request) -> Response:
        """The page, with its token."""
        return page_response(self.page, page_token=self.page_token, host_token=self.host_token)

    async def state(self, request: Request) -> Response:
        """The session's task (claimed now if it holds none), progress and history."""
        session = session_name(request.query_params.get("session"))
        await run_in_threadpool(self.prepare, session)
        return JSONResponse(await self.serial(self.view, session))

    async def answer(self, request: Request) -> Response:
        """Store an answer to a task the session holds (or held before a restart, or answered)."""
        answer = self.parse_answer(await json_body(request), request.query_params.get("session"))
        saved = await self.serial(self._store_answer, answer)
        await run_in_threadpool(self.prepare, answer.session)
        reply = {"saved": self.answer_view(saved)} | await self.serial(self.view, answer.session)
        return JSONResponse(reply, background=self.after_reply(answer.session))

    async def undo(self, request: Request) -> Response:
        """Delete the session's last answer; its task comes back first in line, as first shown."""
        body = await json_body(request)
        named = request.query_params.get("session") or (
            body.get("session") if isinstance(body, dict) else None
        )
        session = session_name(named)
        undone = await self.serial(self._undo, session)
        reply = {"undone": None if undone is None else self.answer_view(undone)}
        return JSONResponse(reply | await self.serial(self.view, session))

    async def reopen(self, request: Request) -> Response:
        """One of the session's answers in this dataset with its task, to answer again (404 otherwise)."""
        session = request.query_params.get("session")
        answer_id = path_id(request, "answer_id")
        return JSONResponse(await self.serial(self._reopen, answer_id, session))

    def _reopen(self, answer_id: int, session: str | None) -> dict[str, Any]:
        stored = self.store.get_answer(answer_id, dataset=self.dataset)
        if stored is None or stored.annotator != session_name(session):
            raise RequestError(404, "answer_id", "is not an answer of this session")
        view = self.reopened_view(self.stored_question(stored.task_hash), stored)
        return {"task": view, "answer": self.answer_view(stored)}

    def reopened_view(self, question: Question, stored: StoredAnswer) -> dict[str, Any]:
        """A reopened answer's task as the page shows it: the question, with the answer's spans."""
        spans = [{"start": s.start, "end": s.end, "label": s.label} for s in stored.task.accepted_spans]
        return self.task_view(question) | {"spans": spans}

    async def serial(self, work: Callable[..., T], *args: Any) -> T:
        """Run ``work`` in a worker thread, one at a time."""

        def locked() -> T:
            with self._lock:
                return work(*args)

        return await run_in_threadpool(locked)

    def _store_answer(self, answer: AnswerRequest) -> StoredAnswer:
        self._n_mine(answer.session)  # counted before this answer is stored
        question, held = self._question(answer)
        answered = self.answered_task(question, answer)
        saved = self.store.add_answer(
            self.dataset,
            question.task,
            answered,
            annotator=answer.session,
            request_id=answer.stored_request_id,
        )
        check_same_task(saved, question)
        if held:
            self.answered(answer.session, question, saved.task)
            self._n_mine(answer.session, +1)
        return saved

    def _question(self, answer: AnswerRequest) -> tuple[Question, bool]:
        """The question answered, and whether the session holds it (else it answered it before).

        A question held before a restart is claimed again if nobody else has it; one this
        session answered before (a resend, or a reopened answer) is answered again; anything
        else may be another session's: 409.
        """
        held = self.claimed(answer.session, answer.task_id) or self.reclaim(answer.session, answer.task_id)
        if held is not None:
            return held, True
        if self.store.has_answered(
            self.dataset, answer.task_id, annotator=answer.session, request_id=answer.stored_request_id
        ):
            return self.stored_question(answer.task_id), False
        message = "is not a task this page holds (another session may have it); reload the page"
        raise RequestError(409, "task_id", message)

    def stored_question(self, task_hash: int) -> Question:
        """A question as first stored (409 if the store has none with this hash)."""
        stored = self.store.get_question(task_hash)
        if stored is None:
            raise RequestError(409, "task_id", "is not a task shown to this session; reload the page")
        return self.question(stored)

    def _undo(self, session: str) -> StoredAnswer | None:
        self._n_mine(session)  # counted before the answer is deleted
        undone = self.store.delete_last_answer(self.dataset, annotator=session)
        if undone is not None:
            self._n_mine(session, -1)
            self.undone(session, self.store.get_question(undone.task_hash) or undone.task, undone.task)
        return undone

    def view(self, session: str) -> dict[str, Any]:
        """What the page shows: the task, the progress (the session's and the dataset's), the history."""
        question = self.current(session)
        history = self.store.recent_answers(self.dataset, annotator=session, n=N_HISTORY)
        progress = {"done": self.store.count_answers(self.dataset), "mine": self._n_mine(session)}
        return {
            "dataset": self.dataset,
            "session": session,
            "task": None if question is None else self.task_view(question),
            "progress": progress | self.progress(),
            "history": [self.answer_view(answer) for answer in history],
        } | self.page_view()

    def prepare(self, session: str) -> None:  # noqa: B027 - a hook most pages leave empty
        """Work done outside the lock before a view (the teach page waits for its next card here)."""

    def after_reply(self, session: str) -> Any:
        """A background task run after an answer's reply is sent (None: nothing)."""
        return None

    def progress(self) -> dict[str, Any]:
        """Page-specific progress fields."""
        return {}

    def page_view(self) -> dict[str, Any]:
        """Page-specific fields of every view."""
        return {}

    def reclaim(self, session: str, task_hash: int) -> Question | None:
        """A question the session held before a restart, claimed again (None: not to be had)."""
        return self.feed.reclaim(session, task_hash)

    @abstractmethod
    def parse_answer(self, body: Any, session: str | None) -> AnswerRequest:
        """The answer in a request body, checked (4xx otherwise)."""

    def current(self, session: str) -> Question | None:
        """The session's current question (claimed now if it holds none)."""
        return self.feed.current(session)

    def claimed(self, session: str, task_hash: int) -> Question | None:
        """The question with this hash, if the session holds it."""
        return self.feed.claimed(session, task_hash)

    @abstractmethod
    def question(self, task: Task) -> Question:
        """The page's question for a stored task."""

    @abstractmethod
    def answered_task(self, question: Question, answer: AnswerRequest) -> Task:
        """The record stored for the answer (spans checked here: 422 if off)."""

    @abstractmethod
    def answered(self, session: str, question: Question, answered: Task) -> None:
        """The session answered a question it held: it is never handed out again."""

    @abstractmethod
    def undone(self, session: str, question: Task, answer: Task) -> None:
        """An answer was undone: its question goes back to the session, first in line."""

    @abstractmethod
    def task_view(self, question: Question) -> dict[str, Any]:
        """The JSON the page shows a question with."""

    @abstractmethod
    def answer_view(self, stored: StoredAnswer) -> dict[str, Any]:
        """The JSON the page lists an answer with (``stored_view``, and the page's own fields)."""

    @staticmethod
    def stored_view(stored: StoredAnswer) -> dict[str, Any]:
        """What every page lists of an answer: its id, its task's, the answer and the text's start."""
        return {
            "id": stored.id,
            "task_id": str(stored.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
            "answer": stored.task.answer,
            "text": stored.task.text[:HISTORY_TEXT_CHARS],
        }
