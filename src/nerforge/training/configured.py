"""Config first: any spaCy training config trained by nerforge's loop, with spaCy's overrides.

``plan_from_config`` reads a config as ``spacy train`` does (``[paths]`` and dotted
overrides such as ``{"training.max_epochs": 3}``), reads its dev corpus once into tasks for
nerforge's evaluator, and returns the same kind of plan the options build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import spacy
from spacy.util import load_config, resolve_dot_names
from thinc.api import Config, ConfigValidationError

from ..docs import doc_to_task
from ..errors import TrainingError
from ..pipelines import SPANCAT_FACTORIES
from ..records import DEFAULT_SPANS_KEY, Task
from .components import NerComponent, TrainedComponent
from .config import Schedule
from .data import DataReport, check_data, summarize
from .parameters import SELECTION_WHY
from .plan import TrainingPlan
from .report import Parameters
from .settings import TrainerSettings
from .spancat import DEFAULT_SIZES, SpancatComponent


def apply_overrides(config: Config, overrides: Mapping[str, Any]) -> Config:
    """The config with dotted overrides applied, as ``spacy train --training.max_epochs 3`` does."""
    if not overrides:
        return config
    try:
        return Config().from_str(config.to_str(), overrides=dict(overrides), interpolate=False)
    except (ConfigValidationError, KeyError, ValueError) as error:
        raise TrainingError("E212", overrides=", ".join(overrides), detail=str(error)[:300]) from None


def read_config(path: str | Path, overrides: Mapping[str, Any]) -> Config:
    """A training config from disk, overrides applied (E213 if it can't be read)."""
    try:
        return load_config(Path(path), overrides=dict(overrides), interpolate=False)
    except (OSError, ValueError, KeyError) as error:
        raise TrainingError("E213", path=str(path), detail=str(error)[:300]) from None


def plan_from_config(
    trainer: TrainerSettings,
    path: str | Path,
    train: str | None,
    dev: str | None,
    *,
    check: Callable[[Sequence[Task], Sequence[Task]], None],
) -> TrainingPlan:
    """The plan for a user's config; ``train`` and ``dev`` set ``paths.train`` and ``paths.dev``.

    ``check`` sees the training and dev tasks once read (nerforge's lint).
    """
    overrides = dict(trainer.overrides or {})
    if train is not None:
        overrides["paths.train"] = train
    if dev is not None:
        overrides["paths.dev"] = dev
    config = read_config(path, overrides)
    resolved = config.interpolate()
    spancat = _spancat(resolved)
    train_tasks, dev_tasks = _corpus_tasks(resolved, None if spancat is None else spancat.spans_key)
    paths = resolved.get("paths", {})
    data = DataReport(
        summarize(str(paths.get("train", "")), train_tasks), summarize(str(paths.get("dev", "")), dev_tasks)
    )
    check_data(data.train, data.dev, trainer.labels)
    check(train_tasks, dev_tasks)
    labels = tuple(sorted(trainer.labels or data.train.labels))
    training = resolved["training"]
    schedule = Schedule(training["eval_frequency"], training["patience"], training["max_epochs"])
    select = trainer.select or "best"
    parameters = Parameters(
        lang=resolved["nlp"]["lang"],
        labels=labels,
        dropout=training["dropout"],
        seed=training["seed"],
        holdout=0.0,
        select=select,
        select_why=SELECTION_WHY[select],
        eval_frequency=schedule.eval_frequency,
        patience=schedule.patience,
        max_epochs=schedule.max_epochs,
        batch_size=None,
        backbone=f"as {path} says",
        config=str(path),
        overrides=overrides,
    )
    component: TrainedComponent = NerComponent(labels) if spancat is None else replace(spancat, labels=labels)
    return TrainingPlan(config, parameters, data, schedule, dev_tasks, {component.name: component})


def _spancat(resolved: Config) -> SpancatComponent | None:
    """The config's span categorizer (its name, spans key and n-gram sizes), if its pipeline has one."""
    for name in resolved["nlp"]["pipeline"]:
        block = resolved["components"].get(name, {})
        if block.get("factory") in SPANCAT_FACTORIES:
            sizes = block.get("suggester", {}).get("sizes", DEFAULT_SIZES)
            return SpancatComponent((), tuple(sizes), block.get("spans_key", DEFAULT_SPANS_KEY), name)
    return None


def _corpus_tasks(resolved: Config, spans_key: str | None) -> tuple[tuple[Task, ...], tuple[Task, ...]]:
    """The config's training and dev corpora as tasks, read once through its own readers.

    With ``spans_key`` (a span categorizer's config), a doc's spans are that span group's.
    """
    training = resolved["training"]
    nlp = spacy.blank(resolved["nlp"]["lang"])
    train_corpus, dev_corpus = resolve_dot_names(resolved, [training["train_corpus"], training["dev_corpus"]])
    train = tuple(doc_to_task(example.reference, spans_key=spans_key) for example in train_corpus(nlp))
    dev = tuple(doc_to_task(example.reference, spans_key=spans_key) for example in dev_corpus(nlp))
    return train, dev
