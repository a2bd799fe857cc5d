"""Missing-aware scoring of predicted entities against gold tasks, with an error breakdown.

A predicted span is counted only where the gold annotation is known: everywhere in a
complete task; in an incomplete one only if every non-space character it covers lies in a
gold span (a known entity), or if it repeats a rejected span. Elsewhere it touches
*missing* annotation and counts neither way (as spaCy's own NER scorer does). A complete
task with no spans is a negative example: every prediction in it is a false positive.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..records import Span, Task

ErrorKind = Literal["boundary", "label", "label_and_boundary", "spurious", "missed"]
MAX_EXAMPLES_PER_KIND = 10  # enough to see a pattern in a report, few enough to read


@dataclass
class PRF:
    """Counts and their ratios. P = TP/(TP+FP), R = TP/(TP+FN), F = 2PR/(P+R); 0 when undefined."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 0 when there is nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        """2PR / (P + R), the harmonic mean of precision and recall; 0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """``p``, ``r``, ``f`` and the counts, as a JSON-ready dict."""
        return {
            "p": self.precision,
            "r": self.recall,
            "f": self.f,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class ErrorExample:
    """One error: the text, the gold span and the predicted span involved (either may be None)."""

    text: str
    gold: Span | None
    predicted: Span | None

    def to_dict(self) -> dict[str, Any]:
        """The text and each span with its own text, as a JSON-ready dict."""

        def show(span: Span | None) -> dict[str, Any] | None:
            if span is None:
                return None
            return {
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": self.text[span.start : span.end],
            }

        return {"text": self.text, "gold": show(self.gold), "predicted": show(self.predicted)}


@dataclass
class Scores:
    """Overall and per-label P/R/F, and errors by kind with counts and examples."""

    overall: PRF = field(default_factory=PRF)
    per_label: dict[str, PRF] = field(default_factory=lambda: defaultdict(PRF))
    error_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_examples: dict[str, list[ErrorExample]] = field(default_factory=lambda: defaultdict(list))
    n_tasks: int = 0
    n_ignored_predictions: int = 0
    retention: Scores | None = None  # when updating a pipeline: old labels against the frozen base

    def to_dict(self) -> dict[str, Any]:
        """Overall and per-label scores, error counts and examples, as a JSON-ready dict."""
        return {
            "overall": self.overall.to_dict(),
            "per_label": {label: prf.to_dict() for label, prf in sorted(self.per_label.items())},
            "errors": {kind: self.error_counts[kind] for kind in sorted(self.error_counts)},
            "error_examples": {k: [e.to_dict() for e in v] for k, v in sorted(self.error_examples.items())},
            "n_tasks": self.n_tasks,
            "n_ignored_predictions": self.n_ignored_predictions,
        }


def score_tasks(
    gold: Iterable[Task], predicted: Iterable[Sequence[Span]], *, labels: Iterable[str] | None = None
) -> Scores:
    """Score predictions against gold tasks, pairwise in order.

    Args:
        gold: Gold tasks. Rejected and ignored tasks with no spans are skipped.
        predicted: The predicted spans for each gold task's text.
        labels: Labels in scope; spans of other labels are left out of the counts (their
            text still counts as annotated). By default, every label seen.

    Returns:
        The scores.
    """
    in_scope = frozenset(labels) if labels is not None else None
    scores = Scores()
    for task, spans in zip(gold, predicted, strict=True):
        add_task(scores, task, spans, in_scope)
    return scores


def add_task(
    scores: Scores, task: Task, predicted: Sequence[Span], in_scope: frozenset[str] | None
) -> tuple[int, int, int]:
    """Add one task's counts to the scores; return the task's own ``(tp, fp, fn)``.

    A rejected or ignored task without spans is skipped (all zeros): it says nothing.
    """
    if task.answer != "accept" and not task.spans:
        return (0, 0, 0)
    overall = scores.overall
    before = (overall.tp, overall.fp, overall.fn)
    scores.n_tasks += 1
    _score_one(task, list(predicted), in_scope, scores)
    return (overall.tp - before[0], overall.fp - before[1], overall.fn - before[2])


def _score_one(task: Task, predicted: list[Span], in_scope: frozenset[str] | None, scores: Scores) -> None:
    gold_all = task.accepted_spans
    gold = [s for s in gold_all if in_scope is None or s.label in in_scope]
    predicted = [s for s in predicted if in_scope is None or s.label in in_scope]
    gold_keys = {(s.start, s.end, s.label) for s in gold}
    rejected_keys = {(s.start, s.end, s.label) for s in task.rejected_spans}
    counted: list[Span] = []
    for span in predicted:
        key = (span.start, span.end, span.label)
        if key in gold_keys:
            _add(scores, span.label, tp=1)
            counted.append(span)
        elif task.complete or key in rejected_keys or _inside_known(task.text, span, gold_all):
            _add(scores, span.label, fp=1)
            counted.append(span)
            _classify_false_positive(task.text, span, gold, scores)
        else:
            scores.n_ignored_predictions += 1
    predicted_keys = {(s.start, s.end, s.label) for s in counted}
    for span in gold:
        if (span.start, span.end, span.label) not in predicted_keys:
            _add(scores, span.label, fn=1)
            if not any(span.overlaps(p) for p in predicted):
                _record(scores, "missed", ErrorExample(task.text, span, None))


def _inside_known(text: str, span: Span, gold: Sequence[Span]) -> bool:
    covered = [g for g in gold if g.overlaps(span)]
    return all(
        text[i].isspace() or any(g.start <= i < g.end for g in covered) for i in range(span.start, span.end)
    )


def _classify_false_positive(text: str, span: Span, gold: Sequence[Span], scores: Scores) -> None:
    overlapping = [g for g in gold if g.overlaps(span)]
    if not overlapping:
        _record(scores, "spurious", ErrorExample(text, None, span))
        return
    g = overlapping[0]
    same_extent = (g.start, g.end) == (span.start, span.end)
    kind: ErrorKind = (
        "label" if same_extent else ("boundary" if g.label == span.label else "label_and_boundary")
    )
    _record(scores, kind, ErrorExample(text, g, span))


def _add(scores: Scores, label: str, *, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
    for prf in (scores.overall, scores.per_label[label]):
        prf.tp += tp
        prf.fp += fp
        prf.fn += fn


def _record(scores: Scores, kind: ErrorKind, example: ErrorExample) -> None:
    scores.error_counts[kind] += 1
    if len(scores.error_examples[kind]) < MAX_EXAMPLES_PER_KIND:
        scores.error_examples[kind].append(example)
