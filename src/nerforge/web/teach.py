"""The teach page: one suggested span a card, accept or reject, the model updated in the background.

Same store, same safety (token or loopback guard, validated bodies, text as text) and the
same keys as the review page. Routes only; the work is in :mod:`nerforge.active` (scoring,
order, updates) and :class:`~.teach_feed.TeachFeed` (cards scored ahead in a thread).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

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
from ..errors import DataError, ParameterError
from ..io import Format, read_tasks
from ..patterns import load_patterns
from ..records import Task
from ..spans import token_offsets
from ..storage import Store, StoredAnswer, default_db_path
from ..training.defaults import TEACH_OUTSIDE_RATE
from .pages import PageApi
from .requests import AnswerRequest, RequestError, parse_answer
from .review import check_web_extra
from .suggest import Question
from .teach_feed import CLOSE_SECONDS, TeachFeed, until_set


@dataclass(frozen=True, slots=True)
class TeachSettings:
    """What the page needs to know: the dataset, the label, and who may call it."""

    dataset: str
    label: str
    token: str | None = None
    overlap: int = 1  # different sessions each card goes to (0: every session sees every card)


@dataclass(frozen=True, slots=True)
class TeachParts:
    """The working parts behind the page (kept for tests and for the command's messages)."""

    store: Store
    feed: TeachFeed
    scorer: SpanScorer
    learner: BackgroundLearner


def create_teach_asgi(settings: TeachSettings, parts: TeachParts) -> Any:
    """The teach app: the page, its static files and its JSON API, behind the guards of :mod:`.server`."""
    return TeachApi(settings, parts).app()


class TeachApi(PageApi):
    """The teach page: one suggested span a card, yes or no; the model learns from the answers."""

    page = "teach.parts.html"

    def __init__(self, settings: TeachSettings, parts: TeachParts) -> None:
        super().__init__(settings.dataset, parts.store, parts.feed, host_token=settings.token)
        self.settings = settings
        self.parts = parts
        self.feed: TeachFeed = parts.feed  # the base keeps it as a QuestionFeed; this page uses all of it
        self.labels = frozenset({settings.label})

    def parse_answer(self, body: Any, session: str | None) -> AnswerRequest:
        """No spans: a teach answer judges the span shown."""
        if isinstance(body, dict) and body.get("spans"):
            raise RequestError(422, "spans", "must be left out: a teach answer judges the span shown")
        return parse_answer(body, self.labels, session=session)

    def prepare(self, session: str) -> None:
        """Wait (outside the lock) for the session's next card: the filler may still be scoring."""
        self.feed.current(session)

    def question(self, task: Task) -> Question:
        """The card of a stored binary question."""
        return self.feed.card(task)

    def answered_task(self, question: Question, answer: AnswerRequest) -> Task:
        """The card's span, accepted or rejected."""
        return binary_answer(question.task, answer.answer)

    def answered(self, session: str, question: Question, answered: Task) -> None:
        """The feed hands it out no more; the model learns from it."""
        self.feed.answered(session, question, answered)
        if answered.answer == "ignore":
            return
        if answered.answer == "accept":
            self.parts.scorer.n_accepted += 1
        self.parts.learner.add(answered)

    def undone(self, session: str, question: Task, answer: Task) -> None:
        """The model forgets it; the card goes back to the session."""
        if answer.answer == "accept":
            self.parts.scorer.n_accepted -= 1
        self.parts.learner.discard(answer)
        self.feed.undone(session, question, answer)

    def progress(self) -> dict[str, Any]:
        """Whether each session sees every card (0), one (1) or N sessions each card."""
        return {"overlap": self.settings.overlap}

    def page_view(self) -> dict[str, Any]:
        """The label, the model's state, and why suggestions stopped (if they did)."""
        learner, scorer = self.parts.learner, self.parts.scorer
        return {
            "label": self.settings.label,
            "error": None if self.feed.error is None else str(self.feed.error),
            "model": {
                "updates": learner.n_updates_,
                "updating": learner.updating,
                "accepted": scorer.n_accepted,
                "patterns_only": scorer.model_knows_little and scorer.matcher is not None,
                "resuming": learner.resuming,
            },
        }

    def task_view(self, question: Question) -> dict[str, Any]:
        """The text, the span asked about, and its score."""
        span = question.task.spans[0]
        return {
            "id": str(question.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
            "text": question.task.text,
            "span": {"start": span.start, "end": span.end, "label": span.label, "source": span.source},
            "score": question.task.meta.get("score"),
        }

    def answer_view(self, stored: StoredAnswer) -> dict[str, Any]:
        """The answer, the text's start, and the span's words."""
        span = stored.task.spans[0] if stored.task.spans else None
        return self.stored_view(stored) | {
            "span": None if span is None else span.text_in(stored.task.text),
        }


@dataclass(frozen=True, slots=True)
class TeachServer:
    """The teach app (``app``, an ASGI app) and its working parts."""

    app: Any
    parts: TeachParts

    def close(self, timeout: float = CLOSE_SECONDS) -> None:
        """Stop the threads that score cards and update the model, and wait for them.

        Call it when the server has stopped: Python exiting while they run the model can
        crash the process.
        """
        self.parts.feed.close(timeout)
        self.parts.learner.wait(timeout)


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
    outside_rate: float = TEACH_OUTSIDE_RATE,
    overlap: int = 1,
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
        outside_rate: Share of the unknown tokens the updates read as outside, a new sample each
            epoch: ``nerforge train``'s rule, at a lower default share (see ``TEACH_OUTSIDE_RATE``).
        overlap: How many different sessions each card goes to: 1 (the default), N >= 2 (for
            agreement: ``nerforge db agreement``), or 0 for every session seeing every card.

    Raises:
        ParameterError: E351 for an empty label, E403 for a bad order, update_every or overlap.
        DataError: E017 if the source holds no text.
    """
    check_web_extra()
    label = label.strip()
    if not label:
        raise ParameterError("E351")
    _check_settings(order, update_every, buffer_size, overlap)
    if next(iter(read_tasks(source, format=source_format)), None) is None:
        raise DataError("E017", path=str(source), purpose="teach on")
    nlp, knew_label = teach_pipeline(model, label, warm_start=warm_start, seed=seed)
    loaded = [p for p in load_patterns(patterns) if p.label == label] if patterns is not None else []
    scorer = SpanScorer(nlp, label, patterns=loaded, model_ready=knew_label)
    store = Store(default_db_path(db))
    store.create_dataset(dataset)
    stored = [
        (s.annotator, s.task)
        for s in store.iter_stored_answers(dataset)
        if s.task.spans and s.task.answer != "ignore"
    ]
    previous = [task for _, task in stored]
    scorer.n_accepted = sum(task.answer == "accept" for task in previous)

    def swap(updated: Language) -> None:
        scorer.nlp = updated  # the next batch the filler scores uses the updated model
        scorer.model_ready = True  # it has learned the label: its own spans are suggested from now on

    learner = BackgroundLearner(
        nlp,
        swap,
        update_every=update_every,
        settings=UpdateSettings(seed=seed, outside_rate=outside_rate),
        previous=previous,
    )
    learner.resume()  # a resumed session: the model learns the stored answers before the first card

    closing = threading.Event()  # set by feed.close(): no more texts are read and scored

    def suggestions() -> Iterator[Suggestion]:
        learner.wait()  # in the filler's thread: the first cards come from the resumed model
        stream = scorer.pipe(until_set(closing, read_tasks(source, format=source_format)))
        return order_suggestions(stream, order, buffer_size=buffer_size, seed=seed)

    def tokenize(text: str) -> tuple[tuple[int, int], ...]:
        return token_offsets(nlp.make_doc(text))

    feed = TeachFeed(
        suggestions,
        tokenize,
        answered=stored,  # a resumed session skips them, and spans overlapping the accepts stored
        overlap=overlap,
        closing=closing,
    )
    parts = TeachParts(store, feed, scorer, learner)
    return TeachServer(create_teach_asgi(TeachSettings(dataset, label, token, overlap), parts), parts)


def _check_settings(order: str, update_every: int, buffer_size: int, overlap: int) -> None:
    if order not in ORDERS:
        expected = f"one of {', '.join(ORDERS)}"
        raise ParameterError("E403", parameter="order", owner="teach", expected=expected, value=order)
    minimums = (("update_every", update_every, 1), ("buffer_size", buffer_size, 1), ("overlap", overlap, 0))
    for name, value, least in minimums:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            expected = f"an int >= {least}"
            raise ParameterError("E403", parameter=name, owner="teach", expected=expected, value=value)
