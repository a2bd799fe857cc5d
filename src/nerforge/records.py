"""The record types every step exchanges: :class:`Task` and :class:`Span`.

A task is one text with its character-offset spans (README, "The task record"). Formats are
converted to and from tasks once, at the edges (``nerforge.io``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .errors import Location

TaskAnswer = Literal["accept", "reject", "ignore"]
SpanAnswer = Literal["accept", "reject", "ignore"]
TASK_ANSWERS: tuple[TaskAnswer, ...] = ("accept", "reject", "ignore")
# Prodigy writes all three on spans too; an ignored span says nothing (its tokens are missing).
SPAN_ANSWERS: tuple[SpanAnswer, ...] = ("accept", "reject", "ignore")
# spaCy's spancat default ``spans_key``: where a span categorizer's spans live (``doc.spans["sc"]``)
DEFAULT_SPANS_KEY = "sc"


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character span of a task's text, ``end`` exclusive.

    Attributes:
        start: Offset of the first character.
        end: Offset just past the last character.
        label: The entity label, e.g. ``"GADGET"``.
        answer: ``"reject"`` marks a span known to be wrong (a negative example);
            ``"ignore"`` one the annotator skipped (its tokens are unknown, neither entity nor outside).
        source: Where the span came from (a pattern id, ``file:line``, a model name).
    """

    start: int
    end: int
    label: str
    answer: SpanAnswer = "accept"
    source: str | None = field(default=None, compare=False)

    @property
    def is_accepted(self) -> bool:
        """Whether the answer is ``accept``."""
        return self.answer == "accept"

    @property
    def is_rejected(self) -> bool:
        """Whether the answer is ``reject``."""
        return self.answer == "reject"

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end

    def text_in(self, text: str) -> str:
        """The span's text in the task text ``text``."""
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Task:
    """One text and what is known of its entities.

    Attributes:
        text: The text.
        spans: Sorted spans; accepted ones never overlap, unless the task names a
            ``spans_key`` (``extra["spans_key"]``: a span categorizer's spans).
        answer: ``"reject"`` and ``"ignore"`` tasks carry no accepted spans.
        complete: Whether every entity of the labels in scope is marked. If false,
            unmarked tokens are *missing* (unknown), not *outside*. A task built in
            Python is gold unless it says otherwise (``True``); the readers decide from
            the record, by one rule (``nerforge.task_json.task_from_dict``): raw texts,
            rejected and binary answers are incomplete, accepted manual ones complete.
        meta: Free metadata, passed through untouched.
        extra: Other top-level JSON fields (e.g. Prodigy's ``_input_hash``), kept so
            that a round trip loses nothing.
        origin: Where the task was read from, for error messages.
        cats: Text categories and how much each applies, 0.0 to 1.0 (spaCy's ``doc.cats``);
            empty when the task says nothing about categories.
    """

    text: str
    spans: tuple[Span, ...] = ()
    answer: TaskAnswer = "accept"
    complete: bool = True
    meta: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    origin: Location | None = field(default=None, compare=False)
    cats: Mapping[str, float] = field(default_factory=dict)

    @property
    def accepted_spans(self) -> tuple[Span, ...]:
        """The spans answered ``accept``: the task's entities."""
        return tuple(span for span in self.spans if span.is_accepted)

    @property
    def rejected_spans(self) -> tuple[Span, ...]:
        """The spans answered ``reject``: known to be wrong."""
        return tuple(span for span in self.spans if span.is_rejected)

    @property
    def ignored_spans(self) -> tuple[Span, ...]:
        """The spans answered ``ignore``."""
        return tuple(span for span in self.spans if span.answer == "ignore")

    @property
    def spans_key(self) -> str | None:
        """The span group its spans belong to (the record's ``"spans_key"``), for a span categorizer.

        A task that names one may hold overlapping spans; None: entity spans, which never overlap.
        """
        key = self.extra.get("spans_key")
        return key if isinstance(key, str) and key else None

    @property
    def labels(self) -> set[str]:
        """The labels of the accepted spans."""
        return {span.label for span in self.accepted_spans}

    def with_spans(self, spans: tuple[Span, ...], *, complete: bool | None = None) -> Task:
        """A copy with other spans (sorted), and optionally another ``complete``."""
        return replace(
            self,
            spans=tuple(sorted(spans)),
            complete=self.complete if complete is None else complete,
        )


@dataclass(frozen=True, slots=True)
class Pattern:
    """A match pattern: a token pattern (Matcher) or a phrase (PhraseMatcher).

    Attributes:
        label: The label a match gets.
        pattern: A list of token specs, or a phrase string.
        id: The pattern's id, or ``file:line`` when the file gave none; every span a
            pattern finds carries it as its ``source``.
    """

    label: str
    pattern: str | tuple[Mapping[str, Any], ...]
    id: str

    @property
    def is_phrase(self) -> bool:
        """Whether it is a phrase (for the PhraseMatcher) rather than token specs."""
        return isinstance(self.pattern, str)
