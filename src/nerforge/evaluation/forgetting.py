"""The forgetting report: for every label the base knew, base F against updated F."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from spacy.language import Language

from ..records import Span, Task
from .predict import predict_spans
from .scoring import score_tasks

MAX_DROP = 1.0  # F points an old label may lose against gold before it is flagged
MIN_AGREEMENT = 95.0  # % of the base's own entities an old label must keep, without gold for it
MIN_SUPPORT = 20  # base entities of a label needed before its agreement is judged: fewer is noise

Reference = Literal["gold", "base"]


@dataclass(frozen=True)
class LabelRetention:
    """One old label: F of the base and of the updated model (x100), and the change.

    ``reference`` says what they are scored against: the gold test spans when the test set
    annotates the label, else the base's own predictions (the base then scores 100).
    """

    label: str
    base_f: float
    updated_f: float
    reference: Reference
    flagged: bool

    @property
    def change(self) -> float:
        return self.updated_f - self.base_f

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"change": self.change}


def forgetting_report(
    updated: Language, base: Language, tasks: Sequence[Task], *, new_labels: Sequence[str] = ()
) -> list[LabelRetention]:
    """Compare the updated model with the base on every old label, flagging drops.

    Old labels the tasks annotate are scored against gold (flagged if they lose more than
    ``MAX_DROP`` F points); the others against the base's predictions (flagged below
    ``MIN_AGREEMENT`` when the base predicts the label at least ``MIN_SUPPORT`` times).
    """
    old = sorted(set(base.get_pipe("ner").labels) - set(new_labels))  # type: ignore[attr-defined]
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
            rows.append(LabelRetention(label, before, after, "gold", before - after > MAX_DROP))
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
        flagged = 100 * prf.f < MIN_AGREEMENT and prf.tp + prf.fn >= MIN_SUPPORT
        rows.append(LabelRetention(label, 100.0, 100 * prf.f, "base", flagged))
    return rows


def apart_from(spans: Sequence[Span], given: Sequence[Span]) -> list[Span]:
    """The spans that overlap none of the given ones: where a gold span is, the old label
    is not expected to survive, so agreement with the base is measured everywhere else."""
    return [span for span in spans if not any(span.overlaps(g) for g in given)]


def _only(spans: list[Span], labels: list[str]) -> list[Span]:
    return [span for span in spans if span.label in labels]
