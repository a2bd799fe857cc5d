"""Binary questions and answers as task records, and answers merged per text for training.

A binary answer says one thing about one span: it is an entity of its label (accept) or it
is not (reject). Everything else in the text is unknown, so the record is incomplete
(``complete: false``) and carries Prodigy's ``"_view_id": "ner"``: ``nerforge train
db:DATASET`` trains an accepted span as an entity, a rejected one as a negative
(``incorrect_spans_key``) and the rest of the text as missing.
"""

from __future__ import annotations

from dataclasses import replace

from ..records import Task, TaskAnswer
from .scoring import Suggestion

BINARY_VIEW = {"_view_id": "ner"}  # Prodigy's accept/reject interface: read as binary answers


def binary_question(suggestion: Suggestion) -> Task:
    """The question shown on a card: the text with the one suggested span, and its score."""
    task = suggestion.task
    meta = dict(task.meta) | {"score": suggestion.score}
    span = replace(suggestion.span, answer="accept")
    return Task(task.text, (span,), "accept", False, meta, BINARY_VIEW, task.origin)


def binary_answer(question: Task, answer: TaskAnswer) -> Task:
    """The record stored for an answer: the span accepted or rejected, the text incomplete."""
    spans = question.spans
    if answer == "reject":
        spans = tuple(replace(span, answer="reject") for span in spans)
    return Task(question.text, spans, answer, False, question.meta, BINARY_VIEW)


class AcceptedSpans:
    """The spans accepted so far, per text: a suggestion overlapping one needs no question.

    An NER holds no overlapping entities, so once a span is accepted every other span that
    overlaps it in the same text is wrong: asking about it spends an answer on what the
    accepted one already says (nothing else of the text's gold is used). Boundary variants of
    one entity are the commonest such questions: on the demo, 113 of the 197 pattern matches
    overlap a reviewed entity without being it ("iphone 15" in "iphone 15 pro max").
    """

    def __init__(self) -> None:
        self._by_text: dict[str, list[tuple[int, int]]] = {}

    def add(self, answer: Task) -> None:
        """Record an answer's accepted spans (rejected and ignored answers add nothing)."""
        if answer.answer == "accept":
            spans = self._by_text.setdefault(answer.text, [])
            spans.extend((span.start, span.end) for span in answer.spans if span.is_accepted)

    def overlaps(self, suggestion: Suggestion) -> bool:
        """Whether the suggested span overlaps (or is) a span accepted in its text."""
        span = suggestion.span
        accepted = self._by_text.get(suggestion.task.text, ())
        return any(start < span.end and span.start < end for start, end in accepted)
