"""Scoring the patterns alone against gold: how far matching gets before any training."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import spacy

from ..errors import Location
from ..io import Format, TaskSource, as_tasks
from ..io.files import display_path
from ..patterns import PatternMatcher, load_patterns, longest_first
from ..records import Pattern, Task
from ..task_json import AnswerKind
from .evaluate import f_interval
from .gold import check_label_case, check_not_empty, choose_scope, survey, unscored_labels
from .results import Evaluation, OnScored, TaskPrediction
from .scoring import score_tasks


def score_patterns(
    patterns: str | Path | Sequence[Pattern],
    test: TaskSource,
    *,
    lang: str = "en",
    format: Format | None = None,
    answer_kind: AnswerKind = "auto",
    seed: int = 0,
    on_scored: OnScored | None = None,
) -> Evaluation:
    """Match the patterns on the test texts (longest first) and score them as a model's predictions.

    The gold is checked as ``evaluate`` checks it (:mod:`.gold`): the patterns' labels play the
    model's. Only the patterns' labels that the gold annotates are scored; gold labels no
    pattern produces are listed as unscored. Ignored tasks are skipped, as in
    :func:`~nerforge.evaluation.evaluate.evaluate`, and the result has the same shape:
    ``predictions`` holds one entry per input task, in order. ``on_scored`` sees each scored
    task and the spans matched on it.

    Raises:
        DataError: E020 if the test data holds nothing to score, E021 if a gold label differs
            from a pattern label only in case, E022 if the gold annotates none of them.
        PatternError: If the pattern file is invalid (every bad line listed).
    """
    loaded = load_patterns(patterns) if isinstance(patterns, (str, Path)) else list(patterns)
    nlp = spacy.blank(lang)
    matcher = PatternMatcher(nlp, loaded)
    where = Location(display_path(test)) if isinstance(test, (str, Path)) else None
    read: list[Task] = []  # a test set: small enough to hold
    gold = survey(as_tasks(test, format=format, answer_kind=answer_kind), read.append)
    check_not_empty(gold, where)
    check_label_case(gold.label_counts, matcher.labels, where)
    labels, _ = choose_scope(None, sorted(matcher.labels), gold.label_counts, where)
    numbered = [(number, task) for number, task in enumerate(read, 1) if task.answer != "ignore"]
    tasks = [task for _, task in numbered]
    predicted = []
    tokenizer: Any = nlp.tokenizer
    for (number, task), doc in zip(numbered, tokenizer.pipe(t.text for t in tasks), strict=True):
        gold.check_tokens(task, doc, number)  # on the docs the patterns match: tokenized once
        predicted.append(longest_first(matcher.find_spans(doc)))
    if on_scored is not None:
        for task, spans in zip(tasks, predicted, strict=True):
            on_scored(task, spans)
    by_task = iter(predicted)
    predictions = [
        TaskPrediction(ignored=True) if task.answer == "ignore" else TaskPrediction(tuple(next(by_task)))
        for task in read
    ]
    return Evaluation(
        score_tasks(tasks, predicted, labels=labels),
        labels,
        unscored_labels=unscored_labels(gold.label_counts, labels),
        n_ignored_tasks=gold.n_ignored,
        f_interval=f_interval(tasks, predicted, labels, seed=seed),
        predictions=predictions,
        n_cut_spans=gold.n_cut_spans,
        cut_examples=tuple(gold.cut_examples),
        n_partial_tasks=gold.n_partial,
    )
