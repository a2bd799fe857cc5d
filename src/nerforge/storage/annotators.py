"""Each annotator's share of a dataset: answers, answer kinds, pace, and texts shared with others."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, NamedTuple

# A gap between two answers longer than this is a break (a meeting, lunch), not one slow answer:
# it counts as this long, so a day's breaks can't make someone look slow.
IDLE_LIMIT_S = 300.0


class AnswerTime(NamedTuple):
    """What the pace and overlap figures need of one stored answer."""

    annotator: str
    answer: str
    created: float
    input_hash: int


@dataclass(frozen=True, slots=True)
class AnnotatorStats:
    """One annotator's answers in a dataset.

    Attributes:
        annotator: The name the answers were stored under (a review session, or an import's).
        n_answers: Answers given.
        by_answer: Answers per kind (accept, reject, ignore), every kind present.
        median_seconds: The median gap between the annotator's consecutive answers, each gap
            capped at ``IDLE_LIMIT_S``; gaps of 0 (answers stored by one import share a time)
            say nothing about pace and are left out. None when no gap is left.
        n_texts: Distinct texts answered.
        n_shared: Of those, texts that at least one other annotator answered too.
    """

    annotator: str
    n_answers: int
    by_answer: Mapping[str, int] = field(default_factory=dict)
    median_seconds: float | None = None
    n_texts: int = 0
    n_shared: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict."""
        return {
            "annotator": self.annotator,
            "n_answers": self.n_answers,
            "by_answer": dict(self.by_answer),
            "median_seconds": self.median_seconds,
            "n_texts": self.n_texts,
            "n_shared": self.n_shared,
        }


def annotator_stats(rows: Iterable[AnswerTime]) -> tuple[AnnotatorStats, ...]:
    """Each annotator's figures (see :class:`AnnotatorStats`), by name."""
    times: dict[str, list[float]] = defaultdict(list)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        times[row.annotator].append(row.created)
        kinds[row.annotator][row.answer] += 1
        texts[row.annotator].add(row.input_hash)
    answered_by = Counter(text for own in texts.values() for text in own)
    return tuple(
        AnnotatorStats(
            name,
            len(times[name]),
            {kind: kinds[name][kind] for kind in ("accept", "reject", "ignore")},
            median_gap(times[name]),
            len(texts[name]),
            sum(1 for text in texts[name] if answered_by[text] > 1),
        )
        for name in sorted(times)
    )


def median_gap(created: Iterable[float], *, idle_limit: float = IDLE_LIMIT_S) -> float | None:
    """The median of the gaps between consecutive times, each capped at ``idle_limit``; zero gaps left out."""
    ordered = sorted(created)
    gaps = [min(later - earlier, idle_limit) for earlier, later in pairwise(ordered)]
    gaps = [gap for gap in gaps if gap > 0]
    return statistics.median(gaps) if gaps else None
