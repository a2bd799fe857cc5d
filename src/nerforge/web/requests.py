"""Request bodies of the review page, validated: every problem is a 4xx naming the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, get_args

from ..records import Span, Task, TaskAnswer
from ..spans import misalignment
from ..storage import StoredAnswer
from .suggest import Question

MAX_BODY_BYTES = 256 * 1024  # an answer holds offsets, not the text: 256 KiB is thousands of spans
MAX_SPANS = 2000  # more spans than any one text needs; bounds the work a request can cause
SESSION_NAME = re.compile(r"^[A-Za-z0-9_.@\-]{1,64}$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")
DEFAULT_SESSION = "default"
ID = re.compile(r"^-?\d{1,20}$")  # a task hash or answer id as the page sends it: digits in a string
MIN_ID, MAX_ID = -(2**63), 2**63 - 1  # SQLite's INTEGER: every task hash and answer id fits


class RequestError(Exception):
    """A request the page can't act on; ``status`` is the HTTP status, ``field`` what is wrong."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.status = status
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, str]:
        """The JSON error body: the message and the field it is about."""
        return {"error": f"'{self.field}' {self.message}", "field": self.field}


@dataclass(frozen=True, slots=True)
class AnswerRequest:
    """An answer as the page sends it: the question's id, the decision and the spans on screen."""

    session: str
    task_id: int
    answer: TaskAnswer
    spans: tuple[Span, ...]
    request_id: str | None

    @property
    def stored_request_id(self) -> str | None:
        """The request id as stored, the session's own: no other session can reuse it."""
        return None if self.request_id is None else f"{self.session}:{self.request_id}"


def session_name(value: Any) -> str:
    """The ``session`` query value or field, checked (default: ``default``)."""
    if value is None or value == "":
        return DEFAULT_SESSION
    if not isinstance(value, str) or not SESSION_NAME.match(value):
        raise RequestError(400, "session", "must be 1-64 letters, digits, '_', '.', '@' or '-'")
    return value


def parse_answer(body: Any, labels: frozenset[str], *, session: str | None = None) -> AnswerRequest:
    """Check the shape of an answer body; offsets are checked against the question later.

    The session is the page's ``?session=`` (``session``), else the body's ``session`` field.
    """
    if not isinstance(body, dict):
        raise RequestError(400, "body", "must be a JSON object")
    answer: TaskAnswer = body.get("answer")  # type: ignore[assignment] # checked on the next line
    if answer not in get_args(TaskAnswer):
        raise RequestError(422, "answer", "must be one of accept, reject, ignore")
    task_id = parse_id(body.get("task_id"))
    if task_id is None:
        raise RequestError(422, "task_id", "must be the id of the task shown, as a string of digits")
    request_id = body.get("request_id")
    if request_id is not None and (not isinstance(request_id, str) or not REQUEST_ID.match(request_id)):
        raise RequestError(422, "request_id", "must be 1-64 letters, digits, '_' or '-'")
    raw_spans = body.get("spans", [])
    if not isinstance(raw_spans, list) or len(raw_spans) > MAX_SPANS:
        raise RequestError(422, "spans", f"must be a list of at most {MAX_SPANS} spans")
    spans = tuple(sorted(_parse_span(raw, index, labels) for index, raw in enumerate(raw_spans)))
    named = session if session is not None else body.get("session")
    return AnswerRequest(session_name(named), task_id, answer, spans, request_id)


def parse_id(value: Any) -> int | None:
    """A task hash or answer id sent as a string of digits, or None if it is not one in SQLite's range."""
    if not isinstance(value, str) or not ID.match(value):
        return None
    number = int(value)
    return number if MIN_ID <= number <= MAX_ID else None


def _parse_span(raw: Any, index: int, labels: frozenset[str]) -> Span:
    field = f"spans[{index}]"
    if not isinstance(raw, dict):
        raise RequestError(422, field, 'must be an object like {"start": 0, "end": 5, "label": "GADGET"}')
    for key in ("start", "end"):
        value = raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise RequestError(422, f"{field}.{key}", "must be an integer character offset")
    label = raw.get("label")
    if label not in labels:
        raise RequestError(422, f"{field}.label", f"must be one of the labels {', '.join(sorted(labels))}")
    return Span(raw["start"], raw["end"], label)


def check_spans(spans: tuple[Span, ...], question: Question, *, overlapping: bool = False) -> None:
    """Offsets in range, on token boundaries, and not overlapping.

    With ``overlapping`` (a span group's spans, for a span categorizer), spans may overlap or
    nest, but the same span with the same label is refused the second time.
    """
    n_chars = len(question.task.text)
    for index, span in enumerate(spans):
        field = f"spans[{index}]"
        if not 0 <= span.start < span.end <= n_chars:
            detail = f"offsets {span.start}-{span.end} are out of range for a text of {n_chars} characters"
            raise RequestError(422, field, detail)
        off = misalignment(span, question.tokens)  # the rule `nerforge db import` applies too
        if off is not None:
            detail = f"offsets {span.start}-{span.end} are not on token boundaries"
            raise RequestError(422, field, f"{detail}: {off.fix(question.task.text)}")
        if index and spans[index - 1] == span:  # sorted: a repeat is next to its first
            raise RequestError(422, field, "repeats the span before it, with its label; keep one of them")
        if index and not overlapping and spans[index - 1].overlaps(span):
            raise RequestError(422, field, "overlaps the span before it; keep one of them")


def answered_task(
    question: Question, request: AnswerRequest, labels: frozenset[str], *, spans_key: str | None = None
) -> Task:
    """The record stored for an answer.

    Accepted: the spans on screen, complete for the labels in scope, and every suggestion the
    annotator removed or relabelled as a rejected span; the source's spans of other labels
    are kept where no span on screen overlaps them. Rejected: the spans on screen as rejected
    spans. Ignored: the question as it was. With ``spans_key`` (a span group's spans, which may
    overlap) every record names that key, and the source's spans of other labels are all kept.
    """
    task = question.task
    extra = task.extra if spans_key is None else {**task.extra, "spans_key": spans_key}
    if request.answer == "ignore":
        return Task(task.text, task.spans, "ignore", False, task.meta, extra)
    if request.answer == "reject":
        rejected = tuple(Span(s.start, s.end, s.label, "reject", s.source) for s in request.spans)
        return Task(task.text, rejected, "reject", False, task.meta, extra)
    suggested = {(s.start, s.end, s.label): s for s in task.accepted_spans if s.label in labels}
    kept = tuple(suggested.get((s.start, s.end, s.label), s) for s in request.spans)
    kept += tuple(
        s
        for s in task.accepted_spans
        if s.label not in labels and (spans_key is not None or not any(s.overlaps(k) for k in request.spans))
    )
    removed = tuple(
        Span(s.start, s.end, s.label, "reject", s.source)
        for key, s in suggested.items()
        if key not in {(k.start, k.end, k.label) for k in kept}
    )
    return Task(task.text, tuple(sorted(kept + removed)), "accept", True, task.meta, extra)


def check_same_task(saved: StoredAnswer, question: Question) -> None:
    """409 if the store answered with the record of another task: the request id was used for it."""
    if saved.task_hash != question.task_hash:
        raise RequestError(409, "request_id", "was already used for another task; send a new request id")
