"""The forgetting report: for every label the base knew, base F against updated F."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from spacy.language import Language

from ..pipelines import entity_labels
from ..records import Span, Task
from .predict import predict_spans
from .scoring import score_tasks

MAX_DROP = 1.0  # F points an old label may lose against gold before it is flagged
MIN_AGREEMENT = 95.0  # % of the base's own entities an old label must keep, without gold for it
MIN_SUPPORT = 20  # base entities of a label needed before its agreement is judged: fewer is noise

Reference = Literal["gold", "base"]
Verdict = Literal["kept", "dropped", "too_few"]


@dataclass(frozen=True)
class Thresholds:
    """When an old label counts as dropped, and how much evidence that takes.

    Attributes:
        max_drop: F points a label may lose against gold.
        min_agreement: % of the base's own entities a label must keep, without gold for it.
        min_support: Entities (gold, or the base's) a label needs before it is judged.
    """

    max_drop: float = MAX_DROP
    min_agreement: float = MIN_AGREEMENT
    min_support: int = MIN_SUPPORT


@dataclass(frozen=True)
class LabelRetention:
    """One old label: F of the base and of the updated model (x100), the change and the verdict.

    ``reference`` says what they are scored against: the gold test spans when the test set
    annotates the label, else the base's own predictions (the base then scores 100).
    ``support`` is how many entities of the label that reference holds; with fewer than
    the threshold the verdict is ``too_few``, whatever the change.
    """

    label: str
    base_f: float
    updated_f: float
    reference: Reference
    support: int
    verdict: Verdict

    @property
    def change(self) -> float:
        """Updated F minus base F: negative when the label lost ground."""
        return self.updated_f - self.base_f

    @property
    def flagged(self) -> bool:
        """Whether the verdict is ``dropped``."""
        return self.verdict == "dropped"

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready dict, with ``change`` and ``flagged``."""
        return asdict(self) | {"change": self.change, "flagged": self.flagged}


@dataclass(frozen=True)
class ForgettingReport:
    """Every old label's retention, judged by one set of thresholds."""

    rows: tuple[LabelRetention, ...]
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def dropped(self) -> list[LabelRetention]:
        """The labels whose verdict is ``dropped``."""
        return [row for row in self.rows if row.verdict == "dropped"]

    @property
    def too_few(self) -> list[LabelRetention]:
        """The labels with too few reference entities to judge."""
        return [row for row in self.rows if row.verdict == "too_few"]

    @property
    def unjudged_losses(self) -> list[LabelRetention]:
        """Labels too thin to judge that still lost more than the drop a judged label may."""
        return [row for row in self.too_few if -row.change > self.thresholds.max_drop]

    def to_dict(self) -> dict[str, Any]:
        """The thresholds and every label's row, as a JSON-ready dict."""
        return {"thresholds": asdict(self.thresholds), "labels": [row.to_dict() for row in self.rows]}


def forgetting_report(
    updated: Language,
    base: Language,
    tasks: Sequence[Task],
    *,
    new_labels: Sequence[str] = (),
    thresholds: Thresholds | None = None,
) -> ForgettingReport:
    """Compare the updated model with the base on every old label, judging each.

    Old labels the tasks annotate are scored against gold (dropped if they lose more than
    ``max_drop`` F points); the others against the base's predictions (dropped below
    ``min_agreement``). Either way a label with fewer than ``min_support`` entities in its
    reference is ``too_few`` to judge.
    """
    thresholds = thresholds or Thresholds()
    old = sorted(set(entity_labels(base)) - set(new_labels))
    texts = [task.text for task in tasks]
    base_spans = list(predict_spans(base, texts))
    updated_spans = list(predict_spans(updated, texts))
    annotated = {span.label for task in tasks for span in task.accepted_spans}
    gold_labels = [label for label in old if label in annotated]
    rows = []
    if gold_labels:
        base_scores = score_tasks(tasks, base_spans, labels=gold_labels)
        updated_scores = score_tasks(tasks, updated_spans, labels=gold_labels)
        for label in gold_labels:
            before, after = 100 * base_scores.per_label[label].f, 100 * updated_scores.per_label[label].f
            support = base_scores.per_label[label].tp + base_scores.per_label[label].fn
            verdict = _judge(support, before - after > thresholds.max_drop, thresholds)
            rows.append(LabelRetention(label, before, after, "gold", support, verdict))
    others = [label for label in old if label not in annotated]
    reference = [
        Task(t.text, tuple(apart_from(_only(spans, others), t.accepted_spans)))
        for t, spans in zip(tasks, base_spans, strict=True)
    ]
    kept = [apart_from(spans, t.accepted_spans) for t, spans in zip(tasks, updated_spans, strict=True)]
    agreement = score_tasks(reference, kept, labels=others)
    for label in others:
        prf = agreement.per_label.get(label)
        if prf is None or prf.tp + prf.fn == 0:
            continue  # the base never predicts it here: nothing to keep
        support = prf.tp + prf.fn
        verdict = _judge(support, 100 * prf.f < thresholds.min_agreement, thresholds)
        rows.append(LabelRetention(label, 100.0, 100 * prf.f, "base", support, verdict))
    return ForgettingReport(tuple(rows), thresholds)


def _judge(support: int, lost: bool, thresholds: Thresholds) -> Verdict:
    if support < thresholds.min_support:
        return "too_few"
    return "dropped" if lost else "kept"


def apart_from(spans: Sequence[Span], given: Sequence[Span]) -> list[Span]:
    """The spans that overlap none of the given ones.

    Where a gold span is, the old label is not expected to survive, so agreement with the base
    is measured everywhere else.
    """
    return [span for span in spans if not any(span.overlaps(g) for g in given)]


def _only(spans: list[Span], labels: list[str]) -> list[Span]:
    return [span for span in spans if span.label in labels]
