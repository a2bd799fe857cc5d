"""Scoring text categories: per class P/R/F, macro and micro F, ROC AUC, and a confusion table.

Gold categories come from ``Task.cats``; a class a task does not mention is unknown for
that task (not 0), so binary answers (one class accepted or rejected) score what they say.
A category counts as predicted when its score reaches ``threshold`` (0.5, as spaCy's
scorer); for exclusive classes, the top-scoring class is the prediction.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.language import Language

from ..errors import DataError, Location
from ..pipelines import components_for
from ..records import Task
from ..spans import DEFAULT_BATCH_SIZE
from .scoring import PRF

TEXTCAT_FACTORIES = frozenset({"textcat", "textcat_multilabel"})  # spaCy's text classifiers
THRESHOLD = 0.5  # a score at or above this means "the class applies" (spaCy's textcat scorer)


def is_exclusive(tasks: Iterable[Task]) -> bool:
    """Whether the data's categories are exclusive: each task with cats has exactly one at 1.0.

    A task that mentions a single class (a binary answer) says nothing either way.
    """
    seen = False
    for task in tasks:
        if len(task.cats) > 1:
            seen = True
            if sum(value >= THRESHOLD for value in task.cats.values()) != 1:
                return False
    return seen


def check_exclusive(tasks: Iterable[Task]) -> None:
    """Raise E025 for the first task that holds more or fewer than one class at 1.0.

    Raises:
        DataError: E025, naming the task's file and line.
    """
    for task in tasks:
        if len(task.cats) > 1:
            positive = sorted(label for label, value in task.cats.items() if value >= THRESHOLD)
            if len(positive) != 1:
                shown = ", ".join(positive) or "none"
                raise DataError("E025", task.origin or Location("<tasks>"), positive=shown)


@dataclass
class TextcatScores:
    """Per class and averaged scores of predicted categories against gold.

    Attributes:
        per_class: P/R/F per class, from the classes each task mentions.
        exclusive: Whether the classes were scored as exclusive (one per text).
        auc: ROC AUC per class (multi-label), where gold has both classes present and absent.
        confusion: Exclusive classes only: ``confusion[gold][predicted]`` counts.
        n_tasks: Tasks scored (those with any category).
    """

    per_class: dict[str, PRF] = field(default_factory=dict)
    exclusive: bool = False
    auc: dict[str, float] = field(default_factory=dict)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)
    n_tasks: int = 0

    @property
    def macro_f(self) -> float:
        """Mean of the per-class F scores."""
        return sum(prf.f for prf in self.per_class.values()) / len(self.per_class) if self.per_class else 0.0

    @property
    def macro_auc(self) -> float:
        """Mean of the per-class ROC AUCs (classes whose gold has both outcomes); 0 without any."""
        return sum(self.auc.values()) / len(self.auc) if self.auc else 0.0

    @property
    def micro_f(self) -> float:
        """F of the summed TP, FP and FN over classes."""
        total = PRF()
        for prf in self.per_class.values():
            total.tp, total.fp, total.fn = total.tp + prf.tp, total.fp + prf.fp, total.fn + prf.fn
        return total.f

    def to_dict(self) -> dict[str, Any]:
        """The averaged and per-class scores, as a JSON-ready dict."""
        return {
            "exclusive": self.exclusive,
            "macro_f": self.macro_f,
            "micro_f": self.micro_f,
            "macro_auc": self.macro_auc,
            "per_class": {label: prf.to_dict() for label, prf in sorted(self.per_class.items())},
            "auc": dict(sorted(self.auc.items())),
            "confusion": self.confusion,
            "n_tasks": self.n_tasks,
        }


def score_cats(
    gold: Sequence[Task], predicted: Sequence[Mapping[str, float]], *, exclusive: bool | None = None
) -> TextcatScores:
    """Score predicted category scores against the gold tasks' ``cats``, pairwise in order.

    Args:
        gold: Gold tasks; those without categories (or answered ``ignore``) are skipped.
        predicted: The model's ``doc.cats`` for each task's text.
        exclusive: Score as exclusive classes (the top class is the prediction); by
            default, told from the gold data (:func:`is_exclusive`).
    """
    pairs = [(t, p) for t, p in zip(gold, predicted, strict=True) if t.cats and t.answer != "ignore"]
    tally = CatTally(exclusive=is_exclusive(t for t, _ in pairs) if exclusive is None else exclusive)
    for task, cats in pairs:
        tally.add(task, cats)
    return tally.scores()


class CatTally:
    """Text category scores added up one task at a time, for test sets of any size.

    Counts are per class; ROC AUC needs every score, kept as 8-byte floats per class
    (one array for gold positives, one for negatives), not as Python objects.

    Args:
        exclusive: Score as exclusive classes: the top class is the prediction.
    """

    def __init__(self, *, exclusive: bool) -> None:
        self.exclusive = exclusive
        self._scores = TextcatScores(exclusive=exclusive)
        self._ranked: dict[str, tuple[array[float], array[float]]] = {}
        self._confusion: dict[str, Counter[str]] = {}

    def add(self, task: Task, cats: Mapping[str, float]) -> None:
        """Count one task against the model's ``doc.cats``; skipped without gold categories."""
        if not task.cats or task.answer == "ignore":
            return
        self._scores.n_tasks += 1
        chosen = _chosen(cats, self.exclusive)
        for label, value in task.cats.items():
            truth, guess = value >= THRESHOLD, label in chosen
            _count(self._scores.per_class.setdefault(label, PRF()), truth=truth, guess=guess)
            positives, negatives = self._ranked.setdefault(label, (array("d"), array("d")))
            (positives if truth else negatives).append(cats.get(label, 0.0))
        if self.exclusive and len(task.cats) > 1:
            truth_label = max(task.cats, key=lambda label: task.cats[label])
            self._confusion.setdefault(truth_label, Counter())[next(iter(chosen), "-")] += 1

    def scores(self) -> TextcatScores:
        """The scores of the tasks added so far."""
        scores = self._scores
        scores.auc = {
            label: auc for label, (pos, neg) in self._ranked.items() if (auc := auc_of(pos, neg)) is not None
        }
        scores.confusion = {gold_label: dict(row) for gold_label, row in sorted(self._confusion.items())}
        return scores


def _count(prf: PRF, *, truth: bool, guess: bool) -> None:
    prf.tp += truth and guess
    prf.fp += guess and not truth
    prf.fn += truth and not guess


def _chosen(cats: Mapping[str, float], exclusive: bool) -> set[str]:
    if exclusive:
        return {max(cats, key=lambda label: cats[label])} if cats else set()
    return {label for label, value in cats.items() if value >= THRESHOLD}


def roc_auc(scored: Sequence[tuple[float, bool]]) -> float | None:
    """ROC AUC: the chance a random positive outscores a random negative (ties count half).

    None when the gold holds only positives or only negatives.
    """
    positives = [score for score, truth in scored if truth]
    negatives = [score for score, truth in scored if not truth]
    return auc_of(positives, negatives)


def auc_of(positives: Sequence[float], negatives: Sequence[float]) -> float | None:
    """ROC AUC from the scores of gold positives and of gold negatives (Mann-Whitney U).

    For each positive, the negatives below it count 1 and those equal to it count half.
    None when either side is empty.
    """
    if not len(positives) or not len(negatives):
        return None
    ranked = numpy.sort(numpy.asarray(negatives, dtype=float))
    scores = numpy.asarray(positives, dtype=float)
    below = numpy.searchsorted(ranked, scores, side="left")
    tied = numpy.searchsorted(ranked, scores, side="right") - below
    return float((below.sum() + tied.sum() / 2) / (len(scores) * len(ranked)))


def textcat_component(nlp: Language) -> str | None:
    """The pipeline's text classifier (``textcat`` or ``textcat_multilabel``), if it has one."""
    return next(
        (name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in TEXTCAT_FACTORIES), None
    )


def predict_cats(
    nlp: Language, texts: Iterable[str], *, component: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[dict[str, float]]:
    """Yield the classifier's ``doc.cats`` for each text; only it and what it listens to run."""
    with nlp.select_pipes(enable=components_for(nlp, component)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            yield dict(doc.cats)


def score_model_cats(
    nlp: Language, tasks: Sequence[Task], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> TextcatScores | None:
    """The pipeline's text classifier scored on the tasks' ``cats``; None if either is absent.

    Exclusive scoring (the top class, and a confusion table) follows the component: ``textcat``.
    """
    component = textcat_component(nlp)
    if component is None or not any(task.cats for task in tasks):
        return None
    predicted = list(
        predict_cats(nlp, (task.text for task in tasks), component=component, batch_size=batch_size)
    )
    exclusive = nlp.get_pipe_meta(component).factory == "textcat"
    return score_cats(tasks, predicted, exclusive=exclusive)
