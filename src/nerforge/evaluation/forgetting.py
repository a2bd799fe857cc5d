"""The forgetting report: for every label the base knew, base F against updated F."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from spacy.language import Language

from ..pipelines import entity_labels
from ..records import Span, Task
from .scoring import PRF, Scores, add_task

MAX_DROP = 0.01  # F an old label may lose against gold before it is flagged (one point of F)
MIN_AGREEMENT = 0.95  # share of the base's own entities an old label must keep, without gold for it
MIN_SUPPORT = 20  # base entities of a label needed before its agreement is judged: fewer is noise
# F and agreement are ratios of counts, and a difference of two lands a hair off its exact value
# (1.0 - 0.99 = 0.010000000000000009): a comparison with a threshold allows this much.
TOLERANCE = 1e-9

Reference = Literal["gold", "base"]
Verdict = Literal["kept", "dropped", "too_few"]


@dataclass(frozen=True)
class Thresholds:
    """When an old label counts as dropped, and how much evidence that takes.

    Every F and share is a fraction (0..1), as in the records it judges.

    Attributes:
        max_drop: F a label may lose against gold (0.01: one point).
        min_agreement: Share of the base's own entities a label must keep, without gold for it.
        min_support: Entities (gold, or the base's) a label needs before it is judged.
    """

    max_drop: float = MAX_DROP
    min_agreement: float = MIN_AGREEMENT
    min_support: int = MIN_SUPPORT


@dataclass(frozen=True)
class LabelRetention:
    """One old label: F of the base and of the updated model (fractions), the change and the verdict.

    ``reference`` says what they are scored against: the gold test spans when the test set
    annotates the label, else the base's own predictions (the base then scores 1.0).
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
        return [row for row in self.too_few if -row.change > self.thresholds.max_drop + TOLERANCE]

    def to_dict(self) -> dict[str, Any]:
        """The thresholds and every label's row, as a JSON-ready dict."""
        return {"thresholds": asdict(self.thresholds), "labels": [row.to_dict() for row in self.rows]}


class ForgettingTally:
    """The forgetting report added up one task at a time, for test sets of any size.

    Old labels the tasks annotate are scored against gold (dropped if they lose more than
    ``max_drop`` F points); the others against the base's predictions (dropped below
    ``min_agreement``). Either way a label with fewer than ``min_support`` entities in its
    reference is ``too_few`` to judge.

    Args:
        base: The pipeline the model was updated from: its labels are the old ones.
        annotated: The labels the test set's accepted spans carry (a first pass over it).
        new_labels: Labels the update added: not old, not judged.
        thresholds: When an old label counts as dropped.
    """

    def __init__(
        self,
        base: Language,
        annotated: Collection[str],
        *,
        new_labels: Sequence[str] = (),
        thresholds: Thresholds | None = None,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        old = sorted(set(entity_labels(base)) - set(new_labels))
        self.gold_labels = [label for label in old if label in annotated]
        self.others = [label for label in old if label not in annotated]
        self._gold_scope, self._others_scope = frozenset(self.gold_labels), frozenset(self.others)
        self._base, self._updated, self._agreement = Scores(), Scores(), Scores()

    def add(self, task: Task, base_spans: Sequence[Span], updated_spans: Sequence[Span]) -> None:
        """Count one task: the base's and the updated model's entities in its text."""
        if self.gold_labels:
            add_task(self._base, task, base_spans, self._gold_scope)
            add_task(self._updated, task, updated_spans, self._gold_scope)
        reference = Task(task.text, tuple(apart_from(_only(base_spans, self.others), task.accepted_spans)))
        kept = apart_from(updated_spans, task.accepted_spans)
        add_task(self._agreement, reference, kept, self._others_scope)

    def report(self) -> ForgettingReport:
        """Every old label's row, judged, from the tasks added so far."""
        thresholds, rows = self.thresholds, []
        for label in self.gold_labels:
            base, updated = self._base.per_label[label], self._updated.per_label[label]
            lost = base.f - updated.f > thresholds.max_drop + TOLERANCE
            verdict = _judge(base.tp + base.fn, lost, thresholds)
            rows.append(LabelRetention(label, base.f, updated.f, "gold", base.tp + base.fn, verdict))
        for label in self.others:
            prf = self._agreement.per_label.get(label)
            if prf is None or prf.tp + prf.fn == 0:
                continue  # the base never predicts it here: nothing to keep
            rows.append(_agreement_row(label, prf, thresholds))
        return ForgettingReport(tuple(rows), thresholds)


def agreement_verdict(agreement: float, support: int, thresholds: Thresholds | None = None) -> Verdict:
    """The verdict on an old label scored against the base's own entities (no gold for it).

    ``agreement`` is the label's F (a fraction) against the base's predictions and ``support`` the
    base's entities of it: ``too_few`` under ``min_support``, else ``dropped`` under
    ``min_agreement``, else ``kept``. The one rule for training's retention table, the
    domain report and ``evaluate --base``.
    """
    thresholds = thresholds or Thresholds()
    return _judge(support, agreement < thresholds.min_agreement - TOLERANCE, thresholds)


def retention_report(retention: Scores, thresholds: Thresholds | None = None) -> ForgettingReport:
    """Training's retention scores (old labels against the frozen base on dev), judged.

    Labels the base never predicted there are left out: there is nothing to keep.
    """
    thresholds = thresholds or Thresholds()
    rows = [
        _agreement_row(label, prf, thresholds)
        for label, prf in sorted(retention.per_label.items())
        if prf.tp + prf.fn
    ]
    return ForgettingReport(tuple(rows), thresholds)


def _agreement_row(label: str, prf: PRF, thresholds: Thresholds) -> LabelRetention:
    support = prf.tp + prf.fn
    verdict = agreement_verdict(prf.f, support, thresholds)
    return LabelRetention(label, 1.0, prf.f, "base", support, verdict)


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


def _only(spans: Sequence[Span], labels: list[str]) -> list[Span]:
    return [span for span in spans if span.label in labels]
