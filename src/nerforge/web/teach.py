"""The teach page: one suggested span a card, accept or reject, the model updated in the background.

Same store, same safety (token or loopback guard, validated bodies, text as text) and the
same keys as the review page. Routes only; the work is in :mod:`nerforge.active` (scoring,
order, updates) and :class:`~.teach_feed.TeachFeed` (cards scored ahead in a thread).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..active import (
    ORDERS,
    BackgroundLearner,
    Order,
    SpanScorer,
    Suggestion,
    UpdateSettings,
    binary_answer,
    order_suggestions,
    teach_pipeline,
)
from ..active.ordering import BUFFER_SIZE
from ..active.updating import UPDATE_EVERY
from ..errors import DataError, NerforgeError, ParameterError
from ..io import Format, read_tasks
from ..patterns import load_patterns
from ..records import Task
from ..storage import Store, StoredAnswer, default_db_path
from .app import (
    _SECURITY_HEADERS,
    N_HISTORY,
    STATIC,
    _json_body,
    _LoopbackGuard,
    _request_error,
    _store_error,
    _TokenGuard,
)
from .requests import RequestError, parse_answer, session_name
from .review import check_web_extra
from .suggest import Question
from .teach_feed import TeachFeed, card_key


@dataclass(frozen=True, slots=True)
class TeachSettings:
    """What the page needs to know: the dataset, the label, and who may call it."""

    dataset: str
    label: str
    token: str | None = None


@dataclass(frozen=True, slots=True)
class TeachParts:
    """The working parts behind the page (kept for tests and for the command's messages)."""

    store: Store
    feed: TeachFeed
    scorer: SpanScorer
    learner: BackgroundLearner


def create_teach_asgi(settings: TeachSettings, parts: TeachParts) -> Any:
    """The teach app: the page, its static files and its JSON API; with a token, 401 without it."""
    api = _TeachApi(settings, parts)
    routes = [
        Route("/", api.index),
        Route("/api/state", api.state),
        Route("/api/answer", api.answer, methods=["POST"]),
        Route("/api/undo", api.undo, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers = {RequestError: _request_error, NerforgeError: _store_error}
    app = Starlette(routes=routes, exception_handlers=handlers)  # type: ignore[arg-type]
    if settings.token is not None:
        return _TokenGuard(app, settings.token)
    return _LoopbackGuard(app)


class _TeachApi:
    def __init__(self, settings: TeachSettings, parts: TeachParts) -> None:
        self.settings = settings
        self.parts = parts
        self.labels = frozenset({settings.label})

    async def index(self, request: Request) -> Response:
        page = (STATIC / "teach.html").read_text(encoding="utf-8")
        query = f"?token={self.settings.token}" if self.settings.token else ""
        return HTMLResponse(page.replace("{{query}}", query), headers=_SECURITY_HEADERS)

    async def state(self, request: Request) -> Response:
        session = session_name(request.query_params.get("session"))
        return JSONResponse(self._view(session))

    async def answer(self, request: Request) -> Response:
        body = await _json_body(request)
        if isinstance(body, dict) and body.get("spans"):
            raise RequestError(422, "spans", "must be left out: a teach answer judges the span shown")
        answer = parse_answer(body, self.labels, session=request.query_params.get("session"))
        store, feed, dataset = self.parts.store, self.parts.feed, self.settings.dataset
        card = feed.claimed(answer.session, answer.task_id)
        if card is None:
            if store.has_answered(
                dataset, answer.task_id, annotator=answer.session, request_id=answer.request_id
            ):
                return JSONResponse(self._view(answer.session))  # a resend: stored the first time
            raise RequestError(409, "task_id", "is not a card this session holds; reload the page")
        answered = binary_answer(card.task, answer.answer)
        saved = store.add_answer(
            dataset, card.task, answered, annotator=answer.session, request_id=answer.request_id
        )
        feed.answered(answer.session, card, answered)
        self._learn(answered)
        return JSONResponse({"saved": _answer_view(saved)} | self._view(answer.session))

    async def undo(self, request: Request) -> Response:
        body = await _json_body(request)
        named = request.query_params.get("session") or (
            body.get("session") if isinstance(body, dict) else None
        )
        session = session_name(named)
        undone = self.parts.store.delete_last_answer(self.settings.dataset, annotator=session)
        if undone is not None:
            self._unlearn(undone.task)
            question = self.parts.store.get_question(undone.task_hash)
            self.parts.feed.undone(session, question or undone.task, undone.task)
        view = self._view(session)
        return JSONResponse({"undone": None if undone is None else _answer_view(undone)} | view)

    def _learn(self, answered: Task) -> None:
        if answered.answer == "ignore":
            return
        if answered.answer == "accept":
            self.parts.scorer.n_accepted += 1
        self.parts.learner.add(answered)

    def _unlearn(self, answered: Task) -> None:
        if answered.answer == "accept":
            self.parts.scorer.n_accepted -= 1
        self.parts.learner.discard(answered)

    def _view(self, session: str) -> dict[str, Any]:
        card = self.parts.feed.current(session)
        store, dataset = self.parts.store, self.settings.dataset
        history = store.recent_answers(dataset, annotator=session, n=N_HISTORY)
        learner = self.parts.learner
        return {
            "dataset": dataset,
            "label": self.settings.label,
            "session": session,
            "task": None if card is None else _card_view(card),
            "error": None if self.parts.feed.error is None else str(self.parts.feed.error),
            "progress": {"done": store.count_answers(dataset)},
            "model": {
                "updates": learner.n_updates_,
                "updating": learner.updating,
                "accepted": self.parts.scorer.n_accepted,
                "patterns_only": self.parts.scorer.model_knows_little
                and self.parts.scorer.matcher is not None,
            },
            "history": [_answer_view(answer) for answer in history],
        }


def _card_view(card: Question) -> dict[str, Any]:
    span = card.task.spans[0]
    return {
        "id": str(card.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
        "text": card.task.text,
        "span": {"start": span.start, "end": span.end, "label": span.label, "source": span.source},
        "score": card.task.meta.get("score"),
    }


def _answer_view(stored: StoredAnswer) -> dict[str, Any]:
    span = stored.task.spans[0] if stored.task.spans else None
    return {
        "id": stored.id,
        "task_id": str(stored.task_hash),
        "answer": stored.task.answer,
        "text": stored.task.text[:80],
        "span": None if span is None else span.text_in(stored.task.text),
    }


@dataclass(frozen=True, slots=True)
class TeachServer:
    """The teach app (``app``, an ASGI app) and its working parts."""

    app: Any
    parts: TeachParts


def create_teach_app(
    dataset: str,
    model: str,
    source: str | Path,
    *,
    label: str,
    patterns: str | Path | None = None,
    db: str | Path | None = None,
    order: Order = "uncertain",
    update_every: int = UPDATE_EVERY,
    buffer_size: int = BUFFER_SIZE,
    seed: int = 0,
    token: str | None = None,
    source_format: Format | None = None,
    warm_start: str | None = "auto",
) -> TeachServer:
    """The teach page for ``nerforge teach``: binary answers go to ``dataset`` in the store.

    Args:
        dataset: The dataset answers are saved to (created if needed).
        model: The pipeline to teach (its NER gains ``label``), or ``blank:LANG`` for a new NER.
        source: The texts, in any readable format, streamed (never held whole).
        label: The one label taught.
        patterns: Patterns suggested while the model knows little.
        db: The store file (default: ``$NERFORGE_DB``, else ``nerforge.db``).
        order: ``uncertain`` (probability nearest 0.5 first), ``score`` or ``random``.
        update_every: Answers between background model updates.
        buffer_size: Suggestions held to choose the next one from.
        seed: Seed of the random order and of the updates.
        token: Require this token on every request.
        source_format: Override the format the source's name implies.
        warm_start: For ``blank:LANG``: the pipeline whose NER tok2vec starts the new one.

    Raises:
        ParameterError: E351 for an empty label, E403 for a bad order or update_every.
        DataError: E017 if the source holds no text.
    """
    check_web_extra()
    label = label.strip()
    if not label:
        raise ParameterError("E351")
    _check_settings(order, update_every, buffer_size)
    if next(iter(read_tasks(source, format=source_format)), None) is None:
        raise DataError("E017", path=str(source), purpose="teach on")
    nlp = teach_pipeline(model, label, warm_start=warm_start, seed=seed)
    loaded = [p for p in load_patterns(patterns) if p.label == label] if patterns is not None else []
    scorer = SpanScorer(nlp, label, patterns=loaded)
    store = Store(default_db_path(db))
    store.create_dataset(dataset)
    previous = [task for task in store.iter_answers(dataset) if task.spans and task.answer != "ignore"]
    scorer.n_accepted = sum(task.answer == "accept" for task in previous)

    def swap(updated: Language) -> None:
        scorer.nlp = updated  # the next batch the filler scores uses the updated model

    learner = BackgroundLearner(
        nlp, swap, update_every=update_every, settings=UpdateSettings(seed=seed), previous=previous
    )

    def suggestions() -> Iterator[Suggestion]:
        stream = scorer.pipe(read_tasks(source, format=source_format))
        return order_suggestions(stream, order, buffer_size=buffer_size, seed=seed)

    def tokenize(text: str) -> tuple[tuple[int, int], ...]:
        return tuple((t.idx, t.idx + len(t)) for t in nlp.make_doc(text) if not t.is_space)

    feed = TeachFeed(
        suggestions,
        tokenize,
        answered=[card_key(task) for task in previous],
        accepted=previous,  # a resumed session skips spans overlapping the accepts stored
    )
    parts = TeachParts(store, feed, scorer, learner)
    return TeachServer(create_teach_asgi(TeachSettings(dataset, label, token), parts), parts)


def _check_settings(order: str, update_every: int, buffer_size: int) -> None:
    if order not in ORDERS:
        expected = f"one of {', '.join(ORDERS)}"
        raise ParameterError("E403", parameter="order", owner="teach", expected=expected, value=order)
    for name, value in (("update_every", update_every), ("buffer_size", buffer_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError("E403", parameter=name, owner="teach", expected="an int >= 1", value=value)
