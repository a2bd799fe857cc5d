"""Train curves: does more data still help? Train on growing seeded shares of the data.

The training tasks are shuffled once with the seed; the run at ``k / samples`` trains on
the first ``k / samples`` of that order (each share holds the smaller ones), kept in file
order. The last run trains on the file itself, so its F is that of ``nerforge train`` with
the same settings and seed. Each run is a plain :class:`~nerforge.training.Trainer` run;
its F is its best dev evaluation's (the one ``model-best`` holds).

The data is checked once, before the first run, as ``nerforge train`` checks it (lint's errors
refuse it, E210, unless ``force``); the smaller shares then train with ``force``: lint's minimum
example counts would refuse a share that is small by design.

Verdict: more data is likely to help when the last step still gains at least
``MIN_GAIN`` F (0.01, one F point, as a fraction). A smaller or negative gain says the curve
has flattened at this data size; it does not rule out gains from other data.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ParameterError, TrainingError
from ..io import Format, write_tasks
from ..records import Task
from .readers import trainable_tasks
from .report import TrainingReport
from .trainer import MODEL_BEST, Trainer

DEFAULT_SAMPLES = 4  # 25/50/75/100%: Prodigy's train-curve default
MIN_GAIN = 0.01  # F (as a fraction) the last step must still gain for more data to look useful
SUBSET_FILE = "train-{percent}.jsonl"


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One run of the curve.

    Attributes:
        fraction: Share of the training tasks used (0 < fraction <= 1).
        n_tasks: Training tasks used.
        f: The run's best dev F (a fraction).
        precision: Dev precision of that evaluation.
        recall: Dev recall of that evaluation.
        gain: ``f`` minus the previous run's F (the first run's gain is its F).
        wall_seconds: How long the run took.
    """

    fraction: float
    n_tasks: int
    f: float
    precision: float
    recall: float
    gain: float
    wall_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """The point as JSON-ready values."""
        return {
            "fraction": self.fraction,
            "n_tasks": self.n_tasks,
            "f": self.f,
            "precision": self.precision,
            "recall": self.recall,
            "gain": self.gain,
            "wall_seconds": round(self.wall_seconds, 2),
        }


@dataclass(frozen=True, slots=True)
class TrainCurve:
    """A finished curve: one point per share, smallest first."""

    points: tuple[CurvePoint, ...]
    seed: int
    min_gain: float = MIN_GAIN

    @property
    def last_gain(self) -> float:
        """The F the last step added."""
        return self.points[-1].gain if len(self.points) > 1 else 0.0

    @property
    def more_data_helps(self) -> bool:
        """Whether the last step still gained at least ``min_gain`` F."""
        return len(self.points) > 1 and self.last_gain >= self.min_gain

    def to_dict(self) -> dict[str, Any]:
        """The curve as JSON-ready values."""
        return {
            "points": [point.to_dict() for point in self.points],
            "seed": self.seed,
            "min_gain": self.min_gain,
            "last_gain": self.last_gain,
            "more_data_helps": self.more_data_helps,
        }


def train_curve(
    train: str | Path,
    dev: str | Path,
    *,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    output: str | Path | None = None,
    format: Format | None = None,
    trainer_settings: Mapping[str, Any] | None = None,
    on_point: Callable[[CurvePoint], None] | None = None,
) -> TrainCurve:
    """Train on ``1/samples``, ``2/samples``, ... of the training tasks and score each on ``dev``.

    Args:
        train: Training tasks (any format nerforge reads, or ``db:DATASET``).
        dev: Dev tasks every run is scored on.
        samples: How many shares (4: 25, 50, 75 and 100%).
        seed: Seed of the shares and of every run.
        output: Keep each run's models under ``output/PERCENT`` (default: thrown away).
        format: Override the format the train file's name implies.
        trainer_settings: Other :class:`Trainer` settings (``max_epochs``, ``warm_start``...).
        on_point: Called with each point as soon as its run ends.

    Raises:
        ParameterError: E403 for ``samples`` below 1.
        TrainingError: E281 if a share would hold no task; E210 (before any run) if lint
            finds errors in the data, unless ``trainer_settings`` has ``force``.
    """
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ParameterError(
            "E403", parameter="samples", owner="train_curve", expected="an int >= 1", value=samples
        )
    tasks = trainable_tasks(str(train), format=format, answer_kind="auto")  # as each run reads them
    if len(tasks) < samples:
        raise TrainingError("E281", n_tasks=len(tasks), n_samples=samples)
    settings = {"format": format, **(trainer_settings or {}), "seed": seed}
    Trainer(**settings).check(train, dev)  # once, before any run: not after three of them
    points: list[CurvePoint] = []
    with tempfile.TemporaryDirectory(prefix="nerforge-curve-") as scratch:
        for fraction, path, n_tasks in _shares(train, tasks, samples, seed, Path(scratch)):
            folder = Path(output) / f"{round(100 * fraction)}" if output else Path(scratch) / "model"
            # a share is small by design: lint's minimum counts would refuse it (the whole was checked)
            forced = settings | ({"force": True} if fraction < 1 else {})
            trainer = Trainer(**forced).fit(path, dev, output=folder, overwrite=True)
            point = _point(fraction, n_tasks, trainer.report_, points)
            points.append(point)
            if on_point is not None:
                on_point(point)
    return TrainCurve(tuple(points), seed)


def _shares(
    train: str | Path, tasks: list[Task], samples: int, seed: int, scratch: Path
) -> Iterator[tuple[float, str, int]]:
    """``(fraction, path, n_tasks)`` per share: seeded nested subsets, the whole file last."""
    order = list(range(len(tasks)))
    random.Random(seed).shuffle(order)
    for k in range(1, samples + 1):
        if k == samples:
            yield 1.0, str(train), len(tasks)
            return
        n_tasks = max(1, round(len(tasks) * k / samples))
        chosen = sorted(order[:n_tasks])
        path = scratch / SUBSET_FILE.format(percent=round(100 * k / samples))
        write_tasks((tasks[i] for i in chosen), path)
        yield k / samples, str(path), n_tasks


def _point(
    fraction: float, n_tasks: int, report: TrainingReport | None, before: list[CurvePoint]
) -> CurvePoint:
    best = report.best if report is not None else None
    f = best.f if best is not None else 0.0
    previous = before[-1].f if before else 0.0
    point = CurvePoint(
        fraction,
        n_tasks,
        f,
        best.precision if best is not None else 0.0,
        best.recall if best is not None else 0.0,
        f - previous,
        report.wall_seconds if report is not None else 0.0,
    )
    return replace(point, gain=round(point.gain, 6))


__all__ = ["DEFAULT_SAMPLES", "MIN_GAIN", "MODEL_BEST", "CurvePoint", "TrainCurve", "train_curve"]
