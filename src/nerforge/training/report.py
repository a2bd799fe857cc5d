"""What a training run decided and measured: typed, immutable, read by attribute.

``TrainingReport.to_dict()`` is what ``training.json`` holds. Parts that belong to one
component (its labels, what it retained) are keyed by the component's name, so a run that
trains a text classifier or a parser next to the NER adds an entry, not a second report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..evaluation.domains import DomainReport
from ..evaluation.forgetting import ForgettingReport, retention_report
from ..evaluation.scoring import Scores
from ..evaluation.textcat import TextcatScores
from .data import DataReport
from .parameters import Selection


@dataclass(frozen=True)
class UpdateParameters:
    """What an update of a pretrained pipeline was set to."""

    base: str
    new_labels: tuple[str, ...]
    old_labels: tuple[str, ...]
    rehearsal: bool
    rehearse: str | None
    rehearsal_ratio: float | None  # None without a rehearsal corpus
    learn_rate: float
    anchor: float
    new_weights_rate: float
    frozen_components: tuple[str, ...]
    update_data: Mapping[str, int]  # tasks per part: train, dev, rehearsal
    rehearse_default: bool = False  # the base's predictions on the default corpus rehearsed too
    trained_ner: str = "ner"  # the NER that learned: the base's, or one beside it for new labels alone

    def to_dict(self) -> dict[str, Any]:
        """The fields, as training.json's ``parameters`` adds them."""
        return {
            "base": self.base,
            "new_labels": list(self.new_labels),
            "old_labels": list(self.old_labels),
            "rehearsal": self.rehearsal,
            "rehearse": self.rehearse,
            "rehearsal_ratio": self.rehearsal_ratio,
            "learn_rate": self.learn_rate,
            "anchor": self.anchor,
            "new_weights_rate": self.new_weights_rate,
            "frozen_components": list(self.frozen_components),
            "update_data": dict(self.update_data),
            "rehearse_default": self.rehearse_default,
            "trained_ner": self.trained_ner,
        }


@dataclass(frozen=True)
class Parameters:
    """The settings a run used, each as chosen (given, or picked from the data and why)."""

    lang: str
    labels: tuple[str, ...]
    dropout: float
    seed: int
    holdout: float  # 0 when a dev file was given
    select: Selection
    select_why: str
    eval_frequency: int
    patience: int
    max_epochs: int
    batch_size: int | None  # words a batch when set; None: spaCy's compounding batch size
    backbone: str
    warm_start: str | None = None
    warm_start_why: str = ""
    transformer: Mapping[str, Any] | None = None
    update: UpdateParameters | None = None
    config: str | None = None  # a config trained as given (``--config``), else None: built from options
    overrides: Mapping[str, Any] = field(default_factory=dict)  # dotted config overrides, as given

    def to_dict(self) -> dict[str, Any]:
        """Flat, as training.json's ``parameters``: an update's fields sit beside the others."""
        out: dict[str, Any] = {
            "lang": self.lang,
            "labels": list(self.labels),
            "dropout": self.dropout,
            "seed": self.seed,
            "holdout": self.holdout,
            "select": self.select,
            "select_why": self.select_why,
            "eval_frequency": self.eval_frequency,
            "patience": self.patience,
            "max_epochs": self.max_epochs,
            "batch_size": self.batch_size,
            "backbone": self.backbone,
        }
        if self.transformer is not None:
            out["transformer"] = dict(self.transformer)
        if self.config is not None:
            out["config"] = self.config
        if self.overrides:
            out["overrides"] = dict(self.overrides)
        if self.update is not None:
            return out | self.update.to_dict()
        return out | {"warm_start": self.warm_start, "warm_start_why": self.warm_start_why}


@dataclass(frozen=True)
class ComponentReport:
    """One trained component's part of the run (today: the NER)."""

    labels: tuple[str, ...]  # scored at every evaluation
    new_labels: tuple[str, ...] = ()  # when updating: the labels the base did not know
    old_labels: tuple[str, ...] = ()  # when updating: the labels to retain

    def to_dict(self) -> dict[str, Any]:
        """The label lists."""
        return {
            "labels": list(self.labels),
            "new_labels": list(self.new_labels),
            "old_labels": list(self.old_labels),
        }


@dataclass(frozen=True)
class EvaluationRecord:
    """One dev evaluation: when it happened and what it scored.

    ``scores`` are the trained labels' exact-match scores on dev; when updating, their
    ``retention`` holds how well the old labels still agree with the frozen base. ``cats``
    are the text classifier's dev scores when one trains, and ``score`` is what model
    selection follows (the NER's F, the classifier's ``cats_score``, or both weighted).
    """

    step: int
    epoch: int
    words: int
    seconds: float
    losses: Mapping[str, float]
    is_best: bool
    scores: Scores
    component: str = "ner"
    cats: TextcatScores | None = None
    score: float | None = None

    @property
    def f(self) -> float:
        """F of the trained labels."""
        return self.scores.overall.f

    @property
    def precision(self) -> float:
        """Precision of the trained labels."""
        return self.scores.overall.precision

    @property
    def recall(self) -> float:
        """Recall of the trained labels."""
        return self.scores.overall.recall

    @property
    def retention(self) -> Scores | None:
        """When updating: the old labels' agreement with the base, away from the new spans."""
        return self.scores.retention

    @property
    def retained(self) -> ForgettingReport | None:
        """When updating: each old label's agreement with the base on dev, with its verdict."""
        return None if self.retention is None else retention_report(self.retention)

    def to_dict(self) -> dict[str, Any]:
        """One entry of training.json's ``evaluations``."""
        scores = self.scores.to_dict()
        out: dict[str, Any] = {
            "step": self.step,
            "epoch": self.epoch,
            "words": self.words,
            "seconds": round(self.seconds, 2),
            "losses": dict(self.losses),
            "is_best": self.is_best,
            "component": self.component,
            **scores["overall"],
            "per_label": scores["per_label"],
        }
        if self.retention is not None:
            retained = self.retention.to_dict()
            out |= {"retention_f": retained["overall"]["f"], "retention_per_label": retained["per_label"]}
        if self.cats is not None:
            out |= {"cats": self.cats.to_dict()}
        if self.score is not None:
            out |= {"score": self.score}
        return out


@dataclass(frozen=True)
class Speed:
    """How fast the run went. Update words/sec leaves out the time spent evaluating."""

    steps: int = 0
    words_seen: int = 0
    training_words_per_second: float = 0.0
    update_words_per_second: float = 0.0
    evaluation_seconds: float = 0.0

    @classmethod
    def measure(cls, steps: int, words: int, loop_seconds: float, evaluation_seconds: float) -> Speed:
        """Speeds from the loop's counts and times."""
        update_seconds = loop_seconds - evaluation_seconds
        return cls(
            steps,
            words,
            round(words / loop_seconds, 1) if loop_seconds > 0 else 0.0,
            round(words / update_seconds, 1) if update_seconds > 0 else 0.0,
            round(evaluation_seconds, 2),
        )


@dataclass(frozen=True)
class TrainingReport:
    """A finished (or interrupted) run: its parameters, data, every evaluation, speed and models."""

    parameters: Parameters
    data: DataReport
    components: Mapping[str, ComponentReport]
    evaluations: tuple[EvaluationRecord, ...] = ()
    speed: Speed = field(default_factory=Speed)
    wall_seconds: float = 0.0
    interrupted: bool = False
    model_best: str = ""
    model_last: str = ""
    domains: DomainReport | None = None  # an update: measured per domain, dev and held-out default corpus

    @property
    def best(self) -> EvaluationRecord | None:
        """The evaluation model-best holds (the last one marked best), if any."""
        return next((e for e in reversed(self.evaluations) if e.is_best), None)

    @property
    def dev_is_partial(self) -> bool:
        """Whether dev holds partial answers (binary, silver): its precision counts answered spans only.

        A prediction on tokens nobody answered counts neither way, so precision is measured
        only against rejected spans and complete tasks: it can read far higher than on texts
        labelled in full.
        """
        return self.data.dev.n_complete < self.data.dev.n_tasks

    @property
    def precision_unmeasured(self) -> bool:
        """Whether no complete task was trained or scored on: nothing measured the model's precision."""
        return self.dev_is_partial and self.data.train.n_complete == 0 and self.data.dev.n_complete == 0

    @property
    def words_per_second(self) -> float:
        """Words seen per second of the whole run, set-up included."""
        seconds = self.wall_seconds
        return round(self.speed.words_seen / seconds, 1) if seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        """What training.json holds."""
        best = self.best
        return {
            "parameters": self.parameters.to_dict(),
            "data": self.data.to_dict(),
            "components": {name: part.to_dict() for name, part in self.components.items()},
            "evaluations": [entry.to_dict() for entry in self.evaluations],
            "steps": self.speed.steps,
            "words_seen": self.speed.words_seen,
            "training_words_per_second": self.speed.training_words_per_second,
            "update_words_per_second": self.speed.update_words_per_second,
            "evaluation_seconds": self.speed.evaluation_seconds,
            "best": best.to_dict() if best is not None else None,
            "wall_seconds": round(self.wall_seconds, 2),
            "words_per_second": self.words_per_second,
            "dev_is_partial": self.dev_is_partial,
            "precision_unmeasured": self.precision_unmeasured,
            "interrupted": self.interrupted,
            "model_best": self.model_best,
            "model_last": self.model_last,
            **({"domains": self.domains.to_dict()} if self.domains is not None else {}),
        }
