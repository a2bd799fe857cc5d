"""Updating a pretrained pipeline: its NER resumes, every other component stays as it was.

New labels alone are learned by a NER of their own beside the frozen base's instead
(:mod:`.beside`), unless ``Trainer(new_label_ner="shared")`` asks for the base's NER.

The base is loaded once (:class:`BasePipeline`, which knows its name) and passed along; what
the update trains on is prepared in memory (:class:`UpdateData`) and only written out for a
config that plain ``spacy train`` must be able to run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from thinc.api import Config

from ..errors import TrainingError
from ..io import write_tasks
from ..pipelines import load_pipeline
from ..records import Task
from ..spans import predict_spans
from . import defaults
from .anchoring import anchored_optimizer
from .beside import (
    base_ner_labels,
    beside_component_name,
    component_config,
    learns_beside,
    place_before_ner,
)
from .config import BASE_CONFIG, Schedule, TransformerSchedule
from .memory import CorpusKey, corpus_key
from .parameters import NewLabelNer
from .readers import TaskSplit
from .rehearsal import base_tasks
from .rehearsal_strategies import NoRehearsal, RehearsalStrategy

MIN_SHARED_SENSE = 0.3  # below this share of agreement, a reused label name means something else
# spaCy's default: measured on the demo, half of it learned GADGET worse (eval F 0.82 vs 0.92)
# and kept the old labels no better (dev agreement 0.91 vs 0.90)
UPDATE_LEARN_RATE = 0.001
# Dropout when updating a CNN base (a new model keeps spaCy's 0.1): the update sees few
# examples. Measured on bench/forgetting.py's data, seeds 0-4, when every epoch reused the
# first rehearsal sample: old-label change vs the base (mean, worst seed), GADGET F, and the
# old labels' agreement with the base on ABC news (--other-text, seeds 0-2). With the new
# weights' rate of 5 (anchoring.py): 0.1: -0.8, -1.7, 9.5, 85.8; 0.3: +0.7, -1.3, 9.1, 87.3.
# Before either (0.1, rate 1): -0.7, -2.7, 8.5, 87.5 (85.3 over seeds 0-4, against 88.3 at
# 0.3). The demo's GADGET F stays 0.92 to 0.94.
UPDATE_DROPOUT = 0.3
# Epochs of an update, whose last model is kept (Trainer's select="last"), as in the course's
# loop. Picking the checkpoint on dev instead (its new-label F is small and noisy: 0.16 to 0.19
# on the bench) stopped some seeds at epoch 2 or 3. Measured with bench/forgetting.py, seeds
# 0-7, rehearsal ratio 2: the last of 10 epochs scored GADGET 9.8 (naive 9.3), old labels +0.5,
# news agreement 89.7; the dev pick among up to 60 epochs 8.1, +1.1, 90.4.
UPDATE_MAX_EPOCHS = defaults.UPDATE_MAX_EPOCHS  # 10


@dataclass(frozen=True)
class BasePipeline:
    """A pretrained pipeline, loaded once, and the name it was loaded by (for configs)."""

    name: str
    nlp: Language

    @classmethod
    def load(cls, name: str) -> BasePipeline:
        """Load an installed package or a folder; it must have an NER (E401, E402)."""
        return cls(name, load_pipeline(name, need_ner=True))

    @property
    def labels(self) -> frozenset[str]:
        """The labels its NER knows."""
        return frozenset(self.nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class UpdateData:
    """What an update trains on, prepared in memory once before training."""

    train: tuple[Task, ...]  # the training tasks, old labels filled in by the frozen base
    dev: tuple[Task, ...]
    dev_base: tuple[Task, ...]  # the frozen base's entities of old labels on the dev texts
    rehearsal: tuple[Task, ...] | None
    new_labels: tuple[str, ...]
    old_labels: tuple[str, ...]
    held_out: tuple[Task, ...] = ()  # default-corpus tasks never rehearsed: the update report measures there
    component: str = "ner"  # the NER that trains: the base's, or one beside it for new labels alone
    # how it rehearses: what made ``train`` and ``rehearsal``
    strategy: RehearsalStrategy = field(default_factory=NoRehearsal)

    @property
    def beside(self) -> bool:
        """Whether a NER beside the frozen base's learns (new labels alone)."""
        return self.component != "ner"

    @property
    def counts(self) -> dict[str, int]:
        """Tasks per part, as training.json records them."""
        counts = {"train": len(self.train), "dev": len(self.dev)}
        if self.rehearsal is not None:
            counts["rehearsal"] = len(self.rehearsal)
        if self.held_out:
            counts["held_out"] = len(self.held_out)
        return counts

    def paths(self, folder: Path) -> dict[str, Path]:
        """Where the parts go when written under ``folder``, by the config's path names."""
        paths = {"train": folder / "train.jsonl", "dev": folder / "dev.jsonl"}
        if self.rehearsal is not None:
            paths["rehearsal"] = folder / "rehearsal.jsonl"
        return paths

    def held(self, folder: Path) -> dict[CorpusKey, tuple[Task, ...]]:
        """The parts by the keys the config's readers ask for them by."""
        parts = {"train": self.train, "dev": self.dev, "rehearsal": self.rehearsal or ()}
        return {corpus_key(str(path)): parts[name] for name, path in self.paths(folder).items()}

    def write(self, folder: Path) -> None:
        """Write the parts a config names, for a run outside nerforge (``spacy train``)."""
        folder.mkdir(parents=True, exist_ok=True)
        for key, tasks in self.held(folder).items():
            write_tasks(tasks, key[0])


def check_label_senses(tasks: Sequence[Task], base: Language) -> None:
    """Raise E209/E208 when a training label reuses an old label's name in another sense.

    Labels an earlier update learned beside the base's NER are not old labels here: updating
    them again resumes their own NER.
    """
    old = set(base_ner_labels(base))
    by_folded = {label.casefold(): label for label in old}
    used = {span.label for task in tasks for span in task.accepted_spans}
    for label in sorted(used - old):
        if label.casefold() in by_folded:
            raise TrainingError("E209", label=label, old=by_folded[label.casefold()])
    shared = sorted(used & old)
    if not shared:
        return
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for task, predicted in zip(tasks, predict_spans(base, (t.text for t in tasks)), strict=True):
        found = {(s.start, s.end, s.label) for s in predicted}
        for span in task.accepted_spans:
            if span.label in shared:
                total[span.label] += 1
                agree[span.label] += (span.start, span.end, span.label) in found
    for label in shared:
        share = agree[label] / total[label]
        if share < MIN_SHARED_SENSE:
            raise TrainingError("E208", label=label, share=share)


def _upstreams_of_ner(base: Language) -> tuple[list[str], list[str]]:
    """The components the NER listens to: those others listen to as well, and its own."""
    shared: list[str] = []
    own: list[str] = []
    for name, pipe in base.pipeline:
        listeners = set(getattr(pipe, "listening_components", ()))
        if "ner" in listeners:
            (shared if listeners - {"ner"} else own).append(name)
    return shared, own


def transformer_upstream(base: Language) -> str | None:
    """The curated transformer only the NER listens to, if the base has one: it is trained too."""
    _, own = _upstreams_of_ner(base)
    for name in own:
        if base.get_pipe_meta(name).factory == "curated_transformer":
            return name
    return None


def prepare_update_data(
    base: BasePipeline,
    split: TaskSplit,
    *,
    strategy: RehearsalStrategy,
    new_label_ner: NewLabelNer = "separate",
) -> UpdateData:
    """What an update trains on: training tasks, dev tasks, the base's dev predictions, rehearsal.

    ``strategy`` decides what the training tasks become and what is rehearsed beside them
    (:mod:`.rehearsal_strategies`); new labels alone, learned by a NER beside the frozen base,
    take its :meth:`~.rehearsal_strategies.RehearsalStrategy.beside` variant. The base's own
    predictions are on the dev texts.
    """
    check_label_senses(split.train, base.nlp)
    trained = frozenset(span.label for task in split.train for span in task.accepted_spans)
    own_tok2vec = _upstreams_of_ner(base.nlp) == ([], [])
    component = "ner"
    if new_label_ner == "separate" and learns_beside(base.nlp, trained, ner_has_own_tok2vec=own_tok2vec):
        strategy, component = strategy.beside(), beside_component_name(trained)
    corpus = strategy.corpus(base.nlp, split.train, trained, trained - base.labels)
    return UpdateData(
        train=strategy.training_tasks(split.train, base.nlp, trained),
        dev=split.dev,
        dev_base=tuple(base_tasks(split.dev, base.nlp, trained)),
        rehearsal=corpus.rehearsal,
        new_labels=tuple(sorted(trained - base.labels if component == "ner" else trained)),
        old_labels=tuple(sorted(base.labels - trained)),
        held_out=corpus.held_out,
        component=component,
        strategy=strategy,
    )


def update_config(
    base: BasePipeline,
    data: UpdateData,
    folder: Path,
    *,
    schedule: Schedule,
    dropout: float,
    seed: int,
    ratio: float,
    learn_rate: float,
    anchor: float,
    max_steps: int | None,
    transformer: TransformerSchedule | None = None,
) -> Config:
    """The base's own config, every component sourced from it, only the NER trained.

    The NER's weights are decayed toward the base's with strength ``anchor``.
    """
    nlp, base_name = base.nlp, base.name
    config = nlp.config.copy()
    shared, own = _upstreams_of_ner(nlp)
    trained = {"ner", *own}
    config["components"] = {name: {"source": base_name} for name in nlp.pipe_names + nlp.disabled}
    if data.beside:  # new labels alone: a NER beside the base's, which stays frozen
        trained = {data.component}
        _add_beside(config, nlp, data.component)
    elif shared:  # give the NER its own copy of the shared tok2vec: the tagger and parser keep theirs
        config["components"]["ner"]["replace_listeners"] = ["model.tok2vec"]
    defaults = Config().from_str(BASE_CONFIG, interpolate=False)
    config["training"] = defaults["training"]
    config["training"].update(
        {
            "frozen_components": [name for name in nlp.pipe_names + nlp.disabled if name not in trained],
            "dropout": dropout,
            "eval_frequency": schedule.eval_frequency,
            "patience": schedule.patience,
            "max_epochs": schedule.max_epochs,
            "seed": seed,
            "gpu_allocator": None,
        }
    )
    config["training"]["optimizer"] = anchored_optimizer(config["training"]["optimizer"], anchor, learn_rate)
    if max_steps is not None:
        config["training"]["max_steps"] = max_steps
    if transformer is not None:  # a transformer only the NER listens to: fine-tuned with it
        transformer.apply_to(config["training"])
    config["system"] = {"seed": seed, "gpu_allocator": None}
    _set_corpora(config, data, folder, ratio=ratio, seed=seed)
    config["initialize"] = _initialize_section(
        base_name, data.component, new=data.component not in nlp.pipe_names
    )
    config["pretraining"] = {}
    return config


def _initialize_section(base_name: str, component: str, *, new: bool) -> dict[str, object]:
    """The base's tokenizer and lexeme norms before initializing; a new NER beside it warm-started after."""
    after_init = None
    if component != "ner" and new:
        after_init = {"@callbacks": "nerforge.WarmStartBeside.v1", "source": "ner", "component": component}
    return {
        "vectors": None,
        "init_tok2vec": None,
        "vocab_data": None,
        "lookups": None,
        "after_init": after_init,
        "before_init": {
            "@callbacks": "nerforge.CopyTokenizer.v1",  # its special cases and affixes, e.g. tokenizer add's
            "source": base_name,
            "first": {"@callbacks": "nerforge.CopyLookups.v1", "source": base_name},
        },
        "components": {},
        "tokenizer": {},
    }


def _add_beside(config: Config, nlp: Language, component: str) -> None:
    """Place the new-label NER before the base's; a second update with the same labels resumes it."""
    if component not in nlp.pipe_names:
        config["components"][component] = component_config(nlp)
    config["nlp"]["pipeline"] = place_before_ner(list(config["nlp"]["pipeline"]), component)


def _set_corpora(config: Config, data: UpdateData, folder: Path, *, ratio: float, seed: int) -> None:
    """The update's [paths] and [corpora].

    With rehearsal texts, a new sample of them every epoch, drawn by the batcher (so
    ``spacy train`` resamples as nerforge does).
    """
    paths = data.paths(folder)
    config["paths"] = {name: str(paths.get(name, "")) for name in ("train", "dev", "rehearsal")}
    train_reader: dict[str, object] = {"@readers": "nerforge.Tasks.v1", "path": "${paths.train}"}
    if data.rehearsal is not None:
        train_reader = {
            "@readers": "nerforge.Rehearsal.v2",
            "path": "${paths.train}",
            "rehearsal_path": "${paths.rehearsal}",
        }
        config["training"]["batcher"] = {
            "@batchers": "nerforge.RehearsalBatcher.v1",
            "ratio": ratio,
            "seed": seed,
            "batcher": config["training"]["batcher"],
        }
    config["corpora"] = {
        "train": train_reader,
        "dev": {"@readers": "nerforge.Tasks.v1", "path": "${paths.dev}"},
    }
