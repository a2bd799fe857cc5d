"""The adjudication page: every version of a disputed text, with who gave it; the chosen one goes to GOLD.

Same store, same safety and the same undo, reload and restart behaviour as the review page
(:class:`~.pages.PageApi`), and its feed (:class:`~.feed.Feed`): one adjudicator a text. The
picked version's spans may be edited on the page (the review page's editor, ``static/spans.js``);
the spans sent are checked as the review page checks its answers (:func:`~.requests.parse_answer`
and :func:`~.requests.check_spans`). A settled text reopened from the history (``/api/answers/{id}``,
:meth:`~.pages.PageApi.reopen`, as on the review page) is settled again: its gold answer is replaced.
What a version is and what the gold task holds: :mod:`nerforge.evaluation.adjudication`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy

from ..errors import ParameterError
from ..evaluation.adjudication import (
    TextVersions,
    accept_agreed,
    gold_task,
    group_versions,
)
from ..records import Span, Task
from ..spans import token_offsets
from ..storage import Store, StoredAnswer, default_db_path, input_hash, task_hash
from ..task_json import is_binary_answer
from .feed import Feed
from .pages import PageApi
from .requests import AnswerRequest, RequestError, check_spans, parse_answer, session_name
from .review import check_web_extra, review_spans_key
from .suggest import Question


@dataclass(frozen=True, slots=True)
class Adjudication:
    """The page's app, and what was found: texts with two versions or more, and those settled at once."""

    app: Any
    n_texts: int
    n_auto: int


@dataclass(frozen=True, slots=True)
class PickRequest(AnswerRequest):
    """An adjudicator's answer: the spans on screen, and whose version they started from (None: none)."""

    version: str | None = None


def create_adjudication_app(
    dataset: str,
    gold: str,
    *,
    db: str | Path | None = None,
    labels: Sequence[str] = (),
    lang: str = "en",
    auto_accept_agreed: bool = False,
    token: str | None = None,
) -> Adjudication:
    """The adjudication app for ``nerforge review DATASET --into GOLD``.

    If the dataset's answers name a span group (``spans_key``, spancat), edited spans may
    overlap and every gold task names the same key.

    Args:
        dataset: The dataset whose texts answered by two annotators or more are settled.
        gold: The dataset the settled tasks go to (created if needed).
        db: The store file (default: ``$NERFORGE_DB``, else ``nerforge.db``).
        labels: Labels an edited span may have besides those the versions hold (their keys
            come first, in this order).
        lang: Language of the tokenizer the spans must align with.
        auto_accept_agreed: Store texts whose versions all agree in ``gold`` at once.
        token: Require this token on every request.

    Raises:
        StorageError: E305 if ``dataset`` is not in the store.
        ParameterError: E403 if ``gold`` is ``dataset``, E322 if ``dataset`` holds binary answers,
            E323 if its answers mix span groups (or entities and a span group).
    """
    check_web_extra()
    if gold == dataset:
        expected = "a dataset other than the one adjudicated"
        raise ParameterError("E403", parameter="into", owner="review", expected=expected, value=gold)
    store = Store(default_db_path(db))
    answers = list(store.iter_stored_answers(dataset))  # the page holds the disputed texts anyway
    n_binary = sum(1 for stored in answers if is_binary_answer(stored.task))
    if n_binary:
        raise ParameterError("E322", dataset=dataset, n=n_binary)
    _, spans_key = review_spans_key(stored.task for stored in answers)  # E323 for a mixed dataset
    texts = group_versions(answers, spans_key=spans_key)
    store.create_dataset(gold)
    n_auto = accept_agreed(store, gold, texts) if auto_accept_agreed else 0
    questions = _questions(texts, lang)
    feed = Feed(store, gold, lambda: iter(questions), overlap=1)  # the review page's, one text a session
    api = AdjudicateApi(gold, store, feed, texts, questions, labels=labels, token=token, spans_key=spans_key)
    return Adjudication(api.app(), len(texts), n_auto)


def _questions(texts: Sequence[TextVersions], lang: str) -> list[Question]:
    tokenizer: Any = spacy.blank(lang).tokenizer
    questions = []
    for text, doc in zip(texts, tokenizer.pipe(t.text for t in texts), strict=True):
        task = text.question()
        questions.append(Question(task, token_offsets(doc), input_hash(task), task_hash(task)))
    return questions


class AdjudicateApi(PageApi):
    """The adjudication page: pick a version by its number; the choice and its provenance go to GOLD."""

    page = "adjudicate.parts.html"
    reopens = True  # a settled text, reopened from the history, is settled again (its gold answer replaced)

    def __init__(
        self,
        gold: str,
        store: Store,
        feed: Feed,
        texts: Sequence[TextVersions],
        questions: Sequence[Question],
        *,
        labels: Sequence[str] = (),
        token: str | None,
        spans_key: str | None = None,
    ) -> None:
        super().__init__(gold, store, feed, host_token=token)
        self.spans_key = spans_key  # a span group's (spancat): spans may overlap; None: entities
        self.feed: Feed = feed
        self.versions = {text.text: text for text in texts}
        self.by_hash = {question.task_hash: question for question in questions}
        held = {s.label for text in texts for v in text.versions for s in v.spans}
        given = tuple(dict.fromkeys(label.strip() for label in labels if label.strip()))
        self.label_order = given + tuple(sorted(held - set(given)))
        self.labels = frozenset(self.label_order)

    def parse_answer(self, body: Any, session: str | None) -> PickRequest:
        """The spans on screen, of the page's labels, and the version they started from."""
        answer = parse_answer(body, self.labels, session=session)
        version = body.get("version")
        if version is not None:
            try:
                version = session_name(version)
            except RequestError:
                raise RequestError(422, "version", "must be the name of an annotator, or null") from None
        a = answer
        return PickRequest(a.session, a.task_id, a.answer, a.spans, a.request_id, version)

    def question(self, task: Task) -> Question:
        """The text's question (409 if it is not a text to settle)."""
        question = self.by_hash.get(task_hash(task))
        if question is None:
            raise RequestError(409, "task_id", "is not a text to settle here; reload the page")
        return question

    def answered_task(self, question: Question, answer: AnswerRequest) -> Task:
        """The gold task: the spans (checked on the tokens), the versions, the pick and the adjudicator."""
        check_spans(answer.spans, question, overlapping=self.spans_key is not None)
        versions = self.versions[question.task.text]
        picked = answer.version if isinstance(answer, PickRequest) else None
        if picked is not None and versions.version(picked) is None:
            names = ", ".join(versions.annotators)
            raise RequestError(422, "version", f"must be one of this text's annotators ({names}), or null")
        return gold_task(
            versions, answer.spans, adjudicator=answer.session, answer=answer.answer, picked=picked
        )

    def answered(self, session: str, question: Question, answered: Task) -> None:
        """Settled."""
        self.feed.answered(session, question)

    def undone(self, session: str, question: Task, answer: Task) -> None:
        """Back to the session."""
        self.feed.undone(session, self.question(question))

    def progress(self) -> dict[str, Any]:
        """The texts to settle."""
        return {"total": len(self.by_hash)}

    def page_view(self) -> dict[str, Any]:
        """The labels an edited span may have (those given first, then the versions'), and the span group."""
        return {"labels": list(self.label_order), "spans_key": self.spans_key}

    def task_view(self, question: Question) -> dict[str, Any]:
        """The text, its tokens, and each version with who gave it."""
        versions = self.versions[question.task.text].versions
        return {
            "id": str(question.task_hash),  # 64-bit: a JSON number would lose digits in JavaScript
            "text": question.task.text,
            "tokens": [list(pair) for pair in question.tokens],
            "spans": [],
            "versions": [
                {"annotator": v.annotator, "answer": v.answer, "spans": [_span_view(s) for s in v.spans]}
                for v in versions
            ],
        }

    def answer_view(self, stored: StoredAnswer) -> dict[str, Any]:
        """The answer, the text's start, its spans, and who chose among whom."""
        return self.stored_view(stored) | {
            "spans": [_span_view(s) for s in stored.task.accepted_spans],
            "adjudicator": stored.task.extra.get("_adjudicator"),
            "annotators": stored.task.extra.get("_annotators", []),
            "picked": stored.task.extra.get("_picked"),
            "edited": bool(stored.task.extra.get("_edited", False)),
        }


def _span_view(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "label": span.label}
