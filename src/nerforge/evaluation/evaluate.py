"""`nerforge evaluate`, `explore` and `predict` as library calls."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language

from ..api import TaskSource, as_tasks
from ..errors import DataError, Location, PipelineError
from ..io import Format
from ..io.files import display_path
from ..io.tasks import AnswerKind
from ..pipelines import entity_labels, load_pipeline
from ..records import Span, Task
from .forgetting import ForgettingReport, Thresholds, forgetting_report
from .html import explore_html as write_explore_html
from .html import write_evaluation_html  # noqa: F401 - re-exported: it lived here
from .predict import DEFAULT_BATCH_SIZE, predict_spans
from .prediction import predict  # noqa: F401 - re-exported: `predict` lived here
from .scoring import Scores, score_tasks
from .textcat import TextcatScores, score_model_cats, textcat_component

SMALL_TEST_SPANS = 100  # fewer gold entities than this and a handful of errors moves F by points
N_RESAMPLES = 1000  # bootstrap resamples for the F interval: stable to about 0.5 point
INTERVAL = 0.95  # coverage of the F interval


@dataclass
class Evaluation:
    """Scores of a model on a test set, and what was left out of scope.

    Attributes:
        scores: The missing-aware scores over the labels in scope.
        labels: Labels scored: those asked for, or the model's labels the gold annotates.
        unscored_labels: Gold labels the model does not predict (left out, with counts).
        skipped_labels: The model's labels the gold never annotates: not scored, since every
            prediction of them would count as wrong. Pass ``labels`` to score them anyway.
        n_ignored_tasks: Tasks answered ``ignore``: not gold, not scored.
        f_interval: The bootstrap 95% interval of overall F (x100), resampling tasks.
        pairs: The test tasks and predictions, kept for HTML output.
        forgetting: With a base pipeline: how the old labels fared.
    """

    scores: Scores
    labels: list[str]
    unscored_labels: dict[str, int] = field(default_factory=dict)
    skipped_labels: list[str] = field(default_factory=list)
    n_ignored_tasks: int = 0
    f_interval: tuple[float, float] = (0.0, 0.0)
    pairs: list[tuple[Task, list[Span]]] = field(default_factory=list, repr=False)
    forgetting: ForgettingReport | None = None
    cats: TextcatScores | None = None  # the text classifier's scores, when the model and gold have cats

    @property
    def n_gold_spans(self) -> int:
        """Gold entities scored in the test set: TP + FN."""
        return self.scores.overall.tp + self.scores.overall.fn

    @property
    def is_small(self) -> bool:
        """Whether the test set holds too few gold entities for F to be more than a rough guide."""
        return self.n_gold_spans < SMALL_TEST_SPANS

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as a JSON-ready dict: the scores, and what was left out of scope."""
        result = {
            "labels": self.labels,
            "unscored_labels": self.unscored_labels,
            "skipped_labels": self.skipped_labels,
            "n_ignored_tasks": self.n_ignored_tasks,
            "f_interval": list(self.f_interval),
            "n_gold_spans": self.n_gold_spans,
            "small_test_set": self.is_small,
            **self.scores.to_dict(),
        }
        if self.forgetting is not None:
            result["forgetting"] = self.forgetting.to_dict()
        if self.cats is not None:
            result["cats"] = self.cats.to_dict()
        return result


def evaluate(
    model: str | Path | Language,
    test: TaskSource,
    *,
    labels: Iterable[str] | None = None,
    base: str | Path | None = None,
    format: Format | None = None,
    answer_kind: AnswerKind = "auto",
    thresholds: Thresholds | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int = 0,
) -> Evaluation:
    """Predict on the test tasks and score the predictions (missing-aware).

    Args:
        model: A pipeline (name, path or object) with an NER.
        test: Gold tasks: a file in any format, or tasks in memory. Ignored tasks are skipped.
        labels: Labels to score; by default the model's labels that the gold annotates.
        base: The pipeline the model was updated from: adds the forgetting report.
        format: Override the format the file name implies.
        answer_kind: How accepted answers without ``complete`` are read (``nerforge.io``).
        thresholds: When the forgetting report calls an old label dropped.
        batch_size: Texts per batch.
        seed: Seed of the bootstrap resampling behind ``f_interval``.

    Raises:
        DataError: E020 if there is nothing to score, E021 if a gold label differs from a
            model label only in case, E022 if the gold annotates none of the model's labels.
    """
    nlp = model if isinstance(model, Language) else load_pipeline(model)
    if textcat_component(nlp) is None and "ner" not in nlp.pipe_names:
        raise PipelineError("E402", name=str(model))
    where = Location(display_path(test)) if isinstance(test, (str, Path)) else None
    # materialised on purpose: a test set is scored as a whole and small enough to hold
    read = list(as_tasks(test, format=format, answer_kind=answer_kind))
    tasks = [task for task in read if task.answer != "ignore"]
    if not tasks:
        raise DataError("E020", where, n_ignored=len(read))
    cats = score_model_cats(nlp, tasks, batch_size=batch_size)
    if cats is None and "ner" not in nlp.pipe_names:
        raise DataError("E026", where)
    gold_counts = _gold_label_counts(tasks)
    if cats is not None and ("ner" not in nlp.pipe_names or not gold_counts):
        return Evaluation(Scores(), [], n_ignored_tasks=len(read) - len(tasks), cats=cats)  # categories only
    model_labels = entity_labels(nlp)
    _check_label_case(gold_counts, model_labels, where)
    scope, skipped = _scope(labels, model_labels, gold_counts, where)
    predicted = list(predict_spans(nlp, (t.text for t in tasks), batch_size=batch_size))
    scores = score_tasks(tasks, predicted, labels=scope)
    unscored = {label: n for label, n in sorted(gold_counts.items()) if label not in scope}
    evaluation = Evaluation(
        scores,
        scope,
        unscored,
        skipped,
        len(read) - len(tasks),
        f_interval(tasks, predicted, scope, seed=seed),
        list(zip(tasks, predicted, strict=True)),
        cats=cats,
    )
    if base is not None:
        base_nlp = load_pipeline(base, need_ner=True)
        new = set(model_labels) - set(entity_labels(base_nlp))
        evaluation.forgetting = forgetting_report(
            nlp, base_nlp, tasks, new_labels=sorted(new), thresholds=thresholds
        )
    return evaluation


def _gold_label_counts(tasks: list[Task]) -> dict[str, int]:
    """Spans per label the gold annotates: accepted ones, and rejected ones (binary answers)."""
    counts: dict[str, int] = {}
    for task in tasks:
        for span in task.spans:
            if span.answer != "ignore":
                counts[span.label] = counts.get(span.label, 0) + 1
    return counts


def _check_label_case(gold: dict[str, int], model_labels: list[str], where: Location | None) -> None:
    by_folded = {label.casefold(): label for label in model_labels}
    for label in sorted(gold):
        other = by_folded.get(label.casefold())
        if label not in model_labels and other is not None:
            raise DataError("E021", where, label=label, model_label=other, n=gold[label])


def _scope(
    labels: Iterable[str] | None, model_labels: list[str], gold: dict[str, int], where: Location | None
) -> tuple[list[str], list[str]]:
    """The labels to score and the model labels skipped because the gold never annotates them."""
    if labels is not None:
        return sorted(labels), []
    if not gold:  # negatives only: every prediction is wrong, which is worth scoring
        return model_labels, []
    scope = [label for label in model_labels if label in gold]
    if not scope:
        raise DataError(
            "E022", where, gold_labels=", ".join(sorted(gold)), model_labels=", ".join(model_labels)
        )
    return scope, [label for label in model_labels if label not in gold]


def f_interval(
    gold: list[Task], predicted: list[list[Span]], labels: list[str], *, seed: int = 0
) -> tuple[float, float]:
    """The bootstrap interval of overall F (x100): tasks resampled with replacement.

    Each of ``N_RESAMPLES`` resamples draws as many tasks as the test set holds; F is
    recomputed from the summed TP/FP/FN; the interval spans the middle ``INTERVAL`` of them.
    """
    counts = []
    for task, spans in zip(gold, predicted, strict=True):
        prf = score_tasks([task], [spans], labels=labels).overall
        counts.append((prf.tp, prf.fp, prf.fn))
    if not counts:
        return (0.0, 0.0)
    rng = random.Random(seed)
    fs = sorted(_f_of(rng.choices(counts, k=len(counts))) for _ in range(N_RESAMPLES))
    tail = (1 - INTERVAL) / 2
    return 100 * fs[int(tail * N_RESAMPLES)], 100 * fs[int((1 - tail) * N_RESAMPLES) - 1]


def _f_of(counts: list[tuple[int, int, int]]) -> float:
    tp, fp, fn = (sum(column) for column in zip(*counts, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _pipeline(model: str | Path | Language) -> Language:
    return model if isinstance(model, Language) else load_pipeline(model, need_ner=True)


def explore(
    model: str | Path | Language,
    texts: Iterable[str],
    *,
    labels: Iterable[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Yield each text with its predicted entities as ``(text, label)`` pairs: the course's table.

    With ``labels``, only entities of those labels are shown.
    """
    nlp = _pipeline(model)
    keep = frozenset(labels) if labels is not None else None
    text_list = list(texts)  # small by nature: a table for a person to read
    for text, spans in zip(text_list, predict_spans(nlp, text_list, batch_size=batch_size), strict=True):
        yield text, [(text[s.start : s.end], s.label) for s in spans if keep is None or s.label in keep]


def explore_html(
    model: str | Path | Language,
    texts: Iterable[str],
    path: str | Path,
    *,
    labels: Iterable[str] | None = None,
) -> None:
    """displaCy entity HTML of the model's predictions on the texts."""
    write_explore_html(_pipeline(model), texts, path, labels=labels)
