"""The one input contract for gold data: what every command that scores checks, before it scores.

``evaluate`` (with or without ``--html``), ``patterns score`` and ``train-curve``'s dev set read
gold the same way: one pass that counts it (:class:`GoldSurvey`), then the same checks in the
same order: nothing to score (E020), a label that differs from a scored label only in case
(E021), gold that annotates none of the scored labels (E022). Gold spans that cut a token of
the tokenizer used are counted with their places (:meth:`GoldSurvey.check_tokens`, on the docs
the scorer makes anyway, so no text is tokenized twice): a model can never predict them
exactly, so they are reported as a warning, and scored as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import DataError, Location
from ..records import Task

MAX_CUT_EXAMPLES = 5  # places of spans that cut a token listed in a report; the rest are counted


@dataclass
class GoldSurvey:
    """What one pass over the gold tells before any prediction.

    Attributes:
        n_read: Tasks read.
        n_ignored: Tasks answered ``ignore``: not gold, not scored.
        label_counts: Spans per label (accepted and rejected).
        accepted_labels: Labels with an accepted span.
        has_cats: Whether any task has text categories.
        n_partial: Gold tasks that are incomplete (binary or partial answers): on them only the
            answered spans are known, so precision counts answered spans only.
        n_cut_spans: Accepted or rejected spans that start or end inside a token.
        cut_examples: The first ``MAX_CUT_EXAMPLES`` of them: place, text and offsets.
    """

    n_read: int = 0
    n_ignored: int = 0
    label_counts: dict[str, int] = field(default_factory=dict)
    accepted_labels: set[str] = field(default_factory=set)
    has_cats: bool = False
    n_partial: int = 0
    n_cut_spans: int = 0
    cut_examples: list[str] = field(default_factory=list)

    @property
    def n_scored(self) -> int:
        """Tasks that are gold: read and not ignored."""
        return self.n_read - self.n_ignored

    def add(self, task: Task) -> None:
        """Count one task."""
        self.n_read += 1
        if task.answer == "ignore":
            self.n_ignored += 1
            return
        self.has_cats = self.has_cats or bool(task.cats)
        self.n_partial += not task.complete
        for span in task.spans:
            if span.answer != "ignore":
                self.label_counts[span.label] = self.label_counts.get(span.label, 0) + 1
        self.accepted_labels.update(span.label for span in task.accepted_spans)

    def check_tokens(self, task: Task, doc: Any, number: int) -> None:
        """Count the task's spans that start or end inside one of the doc's tokens."""
        for span in task.spans:
            if span.answer == "ignore" or doc.char_span(span.start, span.end) is not None:
                continue
            self.n_cut_spans += 1
            if len(self.cut_examples) < MAX_CUT_EXAMPLES:
                place = str(task.origin) if task.origin is not None else f"task {number}"
                self.cut_examples.append(f"{place}: {span.text_in(task.text)!r} ({span.start}-{span.end})")


def survey(tasks: Iterable[Task], keep: Callable[[Task], None]) -> GoldSurvey:
    """Read the gold once: count it and ``keep`` each task.

    The spans are checked against the tokens later, by the scorer, on the docs it makes
    (:meth:`GoldSurvey.check_tokens`).
    """
    gold = GoldSurvey()
    for task in tasks:
        gold.add(task)
        keep(task)
    return gold


def check_not_empty(gold: GoldSurvey, where: Location | None) -> None:
    """E020 when every task was ignored, or there was none."""
    if not gold.n_scored:
        raise DataError("E020", where, n_ignored=gold.n_read)


def check_label_case(gold: dict[str, int], scored_labels: Iterable[str], where: Location | None) -> None:
    """E021 when a gold label differs from a scored label only in case: it would score 0."""
    scored = list(scored_labels)
    by_folded = {label.casefold(): label for label in scored}
    for label in sorted(gold):
        other = by_folded.get(label.casefold())
        if label not in scored and other is not None:
            raise DataError("E021", where, label=label, model_label=other, n=gold[label])


def choose_scope(
    labels: Iterable[str] | None, scored_labels: list[str], gold: dict[str, int], where: Location | None
) -> tuple[list[str], list[str]]:
    """The labels to score and those skipped because the gold never annotates them.

    ``labels`` (asked for) wins. Gold with no span at all (negatives only) scores every
    label: every prediction is then wrong, which is worth knowing. Otherwise only the
    labels the gold annotates are scored; E022 if it annotates none of them.
    """
    if labels is not None:
        return sorted(labels), []
    if not gold:
        return scored_labels, []
    scope = [label for label in scored_labels if label in gold]
    if not scope:
        raise DataError(
            "E022", where, gold_labels=", ".join(sorted(gold)), model_labels=", ".join(scored_labels)
        )
    return scope, [label for label in scored_labels if label not in gold]


def unscored_labels(gold: dict[str, int], scope: Iterable[str]) -> dict[str, int]:
    """Gold labels left out of the scores, with their span counts."""
    kept = frozenset(scope)
    return {label: n for label, n in sorted(gold.items()) if label not in kept}
