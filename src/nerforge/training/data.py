"""A first pass over the training and dev data: sizes, labels, hashes, and the checks that need them."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TrainingError
from ..io import Format
from .readers import Split, iter_split


@dataclass
class DataSummary:
    """What one split holds. ``n_words`` counts whitespace-separated words."""

    path: str
    sha256: str = ""
    n_tasks: int = 0
    n_words: int = 0
    n_complete: int = 0
    n_negative: int = 0
    n_rejected_spans: int = 0
    labels: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"labels": dict(sorted(self.labels.items()))}


def summarize(path: str, *, format: Format | None, split: Split, holdout: float, seed: int) -> DataSummary:
    """Stream a split once and count what it holds."""
    summary = DataSummary(path, sha256=_sha256(path))
    for task in iter_split(path, format=format, split=split, holdout=holdout, seed=seed):
        summary.n_tasks += 1
        summary.n_words += len(task.text.split())
        summary.n_complete += task.complete
        accepted = task.accepted_spans
        summary.n_negative += task.complete and not accepted
        summary.n_rejected_spans += len(task.spans) - len(accepted)
        summary.labels.update(span.label for span in accepted)
    return summary


def check_data(
    train: DataSummary, dev: DataSummary, requested: list[str] | None, *, known: set[str] | None = None
) -> None:
    """Raise a coded error for data that can't train the labels asked for (all, by default).

    ``known`` are labels the model has already (a base pipeline's), allowed in dev.
    """
    if train.n_tasks == 0:
        raise TrainingError("E201")
    if requested and not any(train.labels[label] for label in requested):
        raise TrainingError("E203", labels=", ".join(requested))
    if not train.labels:
        raise TrainingError("E203", labels="any")
    if dev.n_tasks == 0:
        raise TrainingError("E204")
    scope = set(requested) if requested else set(dev.labels)
    unknown = sorted((set(dev.labels) & scope) - set(train.labels) - (known or set()))
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
