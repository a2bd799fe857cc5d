"""The training and dev data of a run: parsed once, split once, counted once, checked."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, TrainingError
from ..records import Task


@dataclass(frozen=True)
class DataSummary:
    """What one split holds. ``n_words`` counts whitespace-separated words."""

    path: str
    sha256: str = ""
    n_tasks: int = 0
    n_words: int = 0
    n_complete: int = 0
    n_negative: int = 0
    n_rejected_spans: int = 0
    labels: Mapping[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values, labels sorted."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "n_tasks": self.n_tasks,
            "n_words": self.n_words,
            "n_complete": self.n_complete,
            "n_negative": self.n_negative,
            "n_rejected_spans": self.n_rejected_spans,
            "labels": dict(sorted(self.labels.items())),
        }


@dataclass(frozen=True)
class DataReport:
    """The two splits a run trains and selects on."""

    train: DataSummary
    dev: DataSummary

    def to_dict(self) -> dict[str, Any]:
        """``{"train": {...}, "dev": {...}}``."""
        return {"train": self.train.to_dict(), "dev": self.dev.to_dict()}


def summarize(path: str, tasks: Iterable[Task]) -> DataSummary:
    """Count what a split of the file at ``path`` holds (the file is hashed, not re-read as tasks)."""
    n_tasks = n_words = n_complete = n_negative = n_rejected = 0
    labels: Counter[str] = Counter()
    for task in tasks:
        accepted = task.accepted_spans
        n_tasks += 1
        n_words += len(task.text.split())
        n_complete += task.complete
        n_negative += task.complete and not accepted
        n_rejected += len(task.rejected_spans)
        labels.update(span.label for span in accepted)
    return DataSummary(path, _sha256(path), n_tasks, n_words, n_complete, n_negative, n_rejected, labels)


def check_data(
    train: DataSummary,
    dev: DataSummary,
    requested: Sequence[str] | None,
    *,
    known: Iterable[str] = (),
    categories: bool = False,
) -> None:
    """Raise a coded error for data that can't train the labels asked for (all, by default).

    ``known`` are labels the model has already (a base pipeline's), allowed in dev. With
    ``categories`` (the data trains a text classifier), data without spans trains no NER.
    """
    if train.n_tasks == 0:
        raise TrainingError("E201", Location(train.path))
    if categories and not requested and not train.labels:
        if dev.n_tasks == 0:
            raise TrainingError("E204")
        return
    if requested and not any(train.labels.get(label) for label in requested):
        raise TrainingError("E203", labels=", ".join(requested))
    if not train.labels:
        raise TrainingError("E203", labels="any")
    if dev.n_tasks == 0:
        raise TrainingError("E204")
    scope = set(requested) if requested else set(dev.labels)
    unknown = sorted((set(dev.labels) & scope) - set(train.labels) - set(known))
    if unknown:
        raise TrainingError("E202", labels=", ".join(unknown))


def _sha256(path: str) -> str:
    if path == "-" or not Path(path).is_file():
        return ""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
