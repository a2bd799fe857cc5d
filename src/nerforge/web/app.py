"""The review page's ASGI app: what only the review page has. The shared routes are :mod:`.pages`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.background import BackgroundTask
from starlette.types import ASGIApp

from ..records import Span, Task
from ..storage import Store, StoredAnswer
from .feed import Feed
from .pages import PageApi
from .requests import AnswerRequest, answered_task, check_spans, parse_answer
from .suggest import Question, Suggester


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """What the page needs to know: the dataset, the labels, the span group, and who may call it."""

    dataset: str
    labels: tuple[str, ...]
    n_total: int
    overlap: int = 1  # different sessions each text goes to (0: every session sees every text)
    token: str | None = None
    spans_key: str | None = None  # a span group's (spancat): spans may overlap; None: entities


def create_app(settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> ASGIApp:
    """The review app: the page, its static files and its JSON API, behind the guards of :mod:`.server`."""
    return ReviewApi(settings, store, feed, suggester).app()


class ReviewApi(PageApi):
    """The review page: every span of a text, edited; answers reopened from the history."""

    page = "review.parts.html"
    reopens = True

    def __init__(self, settings: ReviewSettings, store: Store, feed: Feed, suggester: Suggester) -> None:
        super().__init__(settings.dataset, store, feed, host_token=settings.token)
        self.settings = settings
        self.feed: Feed = feed  # the base keeps it as a QuestionFeed; this page uses all of it
        self.suggester = suggester
        self.labels = frozenset(settings.labels)

    def reopened_view(self, question: Question, stored: StoredAnswer) -> dict[str, Any]:
        """The question, with the answer's accepted spans of the labels in scope."""
        spans = [_span_view(s) for s in stored.task.accepted_spans if s.label in self.labels]
        return self.task_view(question) | {"spans": spans}

    def after_reply(self, session: str) -> Any:
        """The next batch of suggestions, while the annotator reads (a worker thread, under the lock)."""
        return BackgroundTask(self.serial, self.feed.prefetch, session)

    def parse_answer(self, body: Any, session: str | None) -> AnswerRequest:
        """Any spans of the labels in scope."""
        return parse_answer(body, self.labels, session=session)

    def question(self, task: Task) -> Question:
        """The task tokenized, its spans as stored."""
        return self.suggester.question(task)

    def answered_task(self, question: Question, answer: AnswerRequest) -> Task:
        """The spans checked against the question's tokens, then the complete record."""
        key = self.settings.spans_key
        check_spans(answer.spans, question, overlapping=key is not None)
        return answered_task(question, answer, self.labels, spans_key=key)

    def answered(self, session: str, question: Question, answered: Task) -> None:
        """The feed hands it out no more."""
        self.feed.answered(session, question)

    def undone(self, session: str, question: Task, answer: Task) -> None:
        """Back to the session, as first shown."""
        self.feed.undone(session, self.suggester.question(question))

    def progress(self) -> dict[str, Any]:
        """The texts in the source, and whether each session sees every text."""
        return {"total": self.settings.n_total, "overlap": self.settings.overlap}

    def page_view(self) -> dict[str, Any]:
        """The labels in scope, and the span group whose spans may overlap (None: entities, never)."""
        return {"labels": list(self.settings.labels), "spans_key": self.settings.spans_key}

    def task_view(self, question: Question) -> dict[str, Any]:
        """The text, its tokens, and its suggestions of the labels in scope."""
        return {
            "id": str(question.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
            "text": question.task.text,
            "tokens": [list(pair) for pair in question.tokens],
            "spans": [_span_view(span) for span in question.task.accepted_spans if span.label in self.labels],
        }

    def answer_view(self, stored: StoredAnswer) -> dict[str, Any]:
        """The answer, the text's start, and its spans of the labels in scope."""
        return self.stored_view(stored) | {
            "spans": [
                _span_view(s) | {"answer": s.answer} for s in stored.task.spans if s.label in self.labels
            ],
        }


def _span_view(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label, "source": span.source}
