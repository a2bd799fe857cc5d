"""The public API: one call per step of the workflow, each taking paths or in-memory data.

Every function accepts data the same way (:data:`TaskSource`): a file path in any format
``nerforge.io.read_tasks`` reads (``-`` for stdin), or tasks and texts already in Python.
Pipelines are a package name, a folder, or a loaded ``Language``. Results are typed.

This module converts at the edge and calls the library; it adds no behaviour of its own.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .io import TaskSource, as_tasks  # part of the front door: every call takes data this way
from .records import Pattern, Task
from .task_json import AnswerKind

if TYPE_CHECKING:
    from spacy.language import Language

    from .evaluation.results import Evaluation
    from .lint.runner import LintReport
    from .patterns.bootstrap import MatchCounts, Unmatched
    from .training.report import TrainingReport

__all__ = ["TaskSource", "as_tasks", "bootstrap", "evaluate", "lint", "predict", "train"]


def _is_path(data: object) -> bool:
    return isinstance(data, (str, Path))


def _pipeline(model: str | Path | Language, *, need_ner: bool = True) -> Language:
    from spacy.language import Language

    from .pipelines import load_pipeline

    return model if isinstance(model, Language) else load_pipeline(model, need_ner=need_ner)


def bootstrap(
    texts: TaskSource,
    patterns: str | Path | Sequence[Pattern],
    *,
    base: str | Path | Language | None = None,
    lang: str = "en",
    unmatched: Unmatched = "missing",
    n_process: int = 1,
    counts: MatchCounts | None = None,
    category: str | None = None,
) -> Iterator[Task]:
    """Silver tasks: each text with the spans the patterns match (streamed).

    Args:
        texts: The texts (a file, tasks or strings).
        patterns: A pattern JSONL file, or loaded patterns.
        base: A pipeline whose entities of other labels complete each task.
        lang: Language of the blank tokenizer when there is no base.
        unmatched: Without a base, whether unmarked tokens are ``missing`` or ``outside``.
        n_process: Worker processes.
        counts: Filled in with per-pattern and per-label counts as the stream is consumed.
        category: Also seed this text category: 1.0 where a pattern matched, 0.0 where none did.
    """
    import spacy

    from .patterns import bootstrap as bootstrap_tasks
    from .patterns import load_patterns

    loaded = load_patterns(patterns) if isinstance(patterns, (str, Path)) else list(patterns)
    nlp = _pipeline(base) if base is not None else spacy.blank(lang)
    return bootstrap_tasks(
        as_tasks(texts),
        loaded,
        nlp=nlp,
        base_ner=base is not None,
        unmatched=unmatched,
        n_process=n_process,
        counts=counts,
        category=category,
    )


def lint(
    data: TaskSource,
    *,
    dev: TaskSource | None = None,
    base: str | Path | None = None,
    new_labels: Sequence[str] | None = None,
    lang: str = "en",
) -> LintReport:
    """Check training data (and dev data) against the course's best practices; see ``nerforge lint``."""
    from .lint import runner

    if _is_path(data) and (dev is None or _is_path(dev)):
        return runner.lint(data, dev=dev, base=base, new_labels=new_labels, lang=lang)  # type: ignore[arg-type]
    dev_tasks = as_tasks(dev) if dev is not None else None
    return runner.lint_tasks(as_tasks(data), dev=dev_tasks, base=base, new_labels=new_labels, lang=lang)


def train(
    data: TaskSource,
    dev: TaskSource | None = None,
    *,
    output: str | Path,
    base: str | None = None,
    labels: Sequence[str] | None = None,
    overwrite: bool = False,
    **settings: Any,
) -> TrainingReport:
    """Train a new NER, or update ``base`` with rehearsal; return the run's typed report.

    Writes ``model-best``, ``model-last`` and ``training.json`` under ``output``
    (``report.model_best`` names the folder ``spacy.load`` takes). ``settings`` are
    :class:`~nerforge.training.Trainer`'s (``max_epochs``, ``seed``, ``rehearse``, ...).
    Tasks in memory are written to a temporary JSONL file for spaCy's corpus readers.

    Raises:
        TrainingError: If the data can't be trained on (lint's errors, E210, unless
            ``force=True``), or ``output`` holds a model and ``overwrite`` is off (E211).
    """
    from .training.trainer import Trainer

    trainer = Trainer(base=base, labels=list(labels) if labels is not None else None, **settings)
    with tempfile.TemporaryDirectory(prefix="nerforge-train-") as folder:
        train_path = _as_path(data, Path(folder) / "train.jsonl")
        dev_path = _as_path(dev, Path(folder) / "dev.jsonl") if dev is not None else None
        trainer.fit(train_path, dev_path, output=output, overwrite=overwrite)
    assert trainer.report_ is not None  # fit always sets it
    return trainer.report_


def _as_path(data: TaskSource, spill: Path) -> str | Path:
    """The data's own path, or ``spill`` with the in-memory tasks written to it."""
    if _is_path(data):
        return data  # type: ignore[return-value]
    from .io import write_tasks

    write_tasks(as_tasks(data), spill)
    return spill


def evaluate(
    model: str | Path | Language,
    test: TaskSource,
    *,
    labels: Sequence[str] | None = None,
    base: str | Path | None = None,
    answer_kind: AnswerKind = "auto",
) -> Evaluation:
    """Score a model on gold tasks (missing-aware); see ``nerforge evaluate``."""
    from .evaluation.evaluate import evaluate as evaluate_model

    return evaluate_model(model, test, labels=labels, base=base, answer_kind=answer_kind)


def predict(model: str | Path | Language, texts: TaskSource, *, batch_size: int = 256) -> Iterator[Task]:
    """Each text as a complete task holding the model's entities (streamed); ``meta`` is kept.

    With a text classifier in the model, each task's ``cats`` are its ``doc.cats``; a span
    categorizer's spans (which may overlap) come with their ``spans_key``.
    """
    from .evaluation.predict import NerWork

    work = NerWork(_pipeline(model, need_ner=False), batch_size)
    stream = iter(as_tasks(texts))
    while batch := list(itertools.islice(stream, batch_size)):
        found = work([task.text for task in batch])
        for task, one in zip(batch, found, strict=True):
            cats = task.cats if one.cats is None else one.cats
            extra = {"spans_key": one.spans_key} if one.spans_key is not None else {}
            yield Task(
                task.text, tuple(sorted(one.spans)), "accept", True, task.meta, extra, task.origin, cats
            )
