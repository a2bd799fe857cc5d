"""Scoring the patterns alone against gold: how far matching gets before any training."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy

from ..api import TaskSource, as_tasks
from ..errors import DataError, Location
from ..io.files import display_path
from ..io.tasks import AnswerKind
from ..patterns import PatternMatcher, load_patterns, longest_first
from ..records import Pattern
from .evaluate import Evaluation, OnScored, TaskPrediction, f_interval
from .scoring import score_tasks


def score_patterns(
    patterns: str | Path | Sequence[Pattern],
    test: TaskSource,
    *,
    lang: str = "en",
    answer_kind: AnswerKind = "auto",
    seed: int = 0,
    on_scored: OnScored | None = None,
) -> Evaluation:
    """Match the patterns on the test texts (longest first) and score them as a model's predictions.

    Only the patterns' labels are scored; gold labels no pattern produces are listed as
    unscored. Ignored tasks are skipped, as in :func:`~nerforge.evaluation.evaluate.evaluate`,
    and the result has the same shape: ``predictions`` holds one entry per input task, in order.
    ``on_scored`` sees each scored task and the spans matched on it.

    Raises:
        DataError: E020 if the test data holds nothing to score.
        PatternError: If the pattern file is invalid (every bad line listed).
    """
    loaded = load_patterns(patterns) if isinstance(patterns, (str, Path)) else list(patterns)
    nlp = spacy.blank(lang)
    matcher = PatternMatcher(nlp, loaded)
    read = list(as_tasks(test, answer_kind=answer_kind))  # a test set: small enough to hold
    tasks = [task for task in read if task.answer != "ignore"]
    if not tasks:
        where = Location(display_path(test)) if isinstance(test, (str, Path)) else None
        raise DataError("E020", where, n_ignored=len(read))
    tokenizer: Any = nlp.tokenizer
    docs = tokenizer.pipe(task.text for task in tasks)
    predicted = [longest_first(matcher.find_spans(doc)) for doc in docs]
    labels = sorted(matcher.labels)
    if on_scored is not None:
        for task, spans in zip(tasks, predicted, strict=True):
            on_scored(task, spans)
    by_task = iter(predicted)
    predictions = [
        TaskPrediction(ignored=True) if task.answer == "ignore" else TaskPrediction(tuple(next(by_task)))
        for task in read
    ]
    gold_counts: dict[str, int] = {}
    for task in tasks:
        for span in task.accepted_spans:
            gold_counts[span.label] = gold_counts.get(span.label, 0) + 1
    return Evaluation(
        score_tasks(tasks, predicted, labels=labels),
        labels,
        unscored_labels={label: n for label, n in sorted(gold_counts.items()) if label not in labels},
        n_ignored_tasks=len(read) - len(tasks),
        f_interval=f_interval(tasks, predicted, labels, seed=seed),
        predictions=predictions,
    )
