"""Pipelines the tests share: rule-based stand-ins for a model, and small models trained once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.language import Language

from nerforge.training import Trainer


def ruler_pipeline(patterns: list[dict[str, Any]]) -> Language:
    """A blank English pipeline whose 'ner' is an entity ruler: deterministic entities."""
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="ner").add_patterns(patterns)
    return nlp


def save_ruler(folder: Path, patterns: list[dict[str, Any]]) -> Path:
    """:func:`ruler_pipeline` saved under ``folder / "ruler"``; its path."""
    path = folder / "ruler"
    ruler_pipeline(patterns).to_disk(path)
    return path


class TrainedRun(NamedTuple):
    """A model trained on data a test helper wrote: the fitted trainer, its output and the data."""

    trainer: Trainer
    output: Path
    train: Path
    dev: Path


def fit_written(folder: Path, write: Callable[[Path], tuple[Path, Path]]) -> TrainedRun:
    """Write train and dev data with ``write`` and train on it briefly (8 epochs, seed 0)."""
    train, dev = write(folder)
    trainer = Trainer(max_epochs=8, seed=0).fit(train, dev, output=folder / "out")
    return TrainedRun(trainer, folder / "out", train, dev)
