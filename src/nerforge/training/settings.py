"""Every setting of a training run, with its default, in one frozen record.

:class:`~nerforge.training.trainer.Trainer` is these settings plus what ``fit`` learns; the
layers below it (the plan builders, the config readers) take a ``TrainerSettings``, never the
``Trainer``, so they depend on the settings alone. What each setting accepts is checked
against one table, :mod:`.parameters`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..formats import ComponentMode
from ..io import Format
from ..task_json import AnswerKind
from .anchoring import DEFAULT_ANCHOR_STRENGTH
from .defaults import DEFAULT_HOLDOUT, OUTSIDE_RATE
from .parameters import NewLabelNer, Selection
from .textcat import TextcatMode


@dataclass(frozen=True)
class TrainerSettings:
    """How to train: a new NER (optionally warm-started), or a pretrained pipeline updated.

    Args:
        lang: Language of the blank pipeline.
        labels: Labels to train; by default every label in the training data.
        warm_start: A pipeline whose NER tok2vec weights start ours; ``"auto"`` picks an
            installed en_core_web_sm for English, ``None`` starts from random weights.
        dropout: Dropout rate (default: spaCy's 0.1; when updating a CNN base, 0.3; a new CNN NER
            on partial answers, such as teach's, 0.5).
        seed: Random seed (weights, shuffling, the held-out split).
        holdout: Share of the training data held out as dev when no dev set is given.
        format: Override the format the file names imply.
        answer_kind: How accepted answers without ``complete`` are read: ``"auto"`` tells
            Prodigy's binary answers (incomplete) from manual ones (``nerforge.io``).
        max_epochs: Cap on passes over the data (default: chosen from the data size).
        max_steps: Cap on optimisation steps (default: spaCy's 20,000).
        patience: Steps without a better dev score before stopping, counted once the trained
            labels are predicted at all (default: from the data size; 0, never, with
            ``select="last"``).
        eval_frequency: Steps between dev evaluations (default: about one an epoch).
        batch_size: Words a batch (texts a batch with a transformer); default: spaCy's
            batch size compounding from 100 to 1000 words.
        select: Which model ``model-best`` holds: ``"best"``, the best dev score (a new
            model's default), or ``"last"``, the end of a fixed schedule (the default when
            updating a CNN base, which then trains 10 epochs unless ``max_epochs`` says).
        base: A pretrained pipeline to update instead of a new one: its NER resumes, its
            other components are kept unchanged, and a frozen copy of it labels the old
            labels in the training texts (rehearsal).
        rehearsal: With ``base``: rehearse the old labels (on by default). Off, the update
            sees only the new annotations: the course's bad example, kept for comparison.
        rehearse: Raw texts whose base predictions are mixed into every epoch.
        rehearse_default: With ``base`` and ``rehearsal``: also rehearse the base's predictions on
            nerforge's default corpus of general English (on by default; its held-out tenth is
            where ``report_.domains`` measures).
        rehearsal_ratio: Rehearsal examples per training example and epoch (default: 2; 6 for a
            NER learning new labels beside the base's, whose negatives they are).
        new_label_ner: With ``base``, when the data annotates only labels the base does not
            know: ``"separate"`` (the default) learns them in a NER of their own placed before
            the base's, which stays frozen, so the old labels change only where a new-label span
            takes their tokens (:mod:`nerforge.training.beside`); ``"shared"`` trains the base's
            NER on them, with rehearsal and the anchor. Data that also annotates old labels
            always trains the base's NER.
        anchor: With ``base``: how strongly weight decay pulls the NER's weights back toward the
            base's (instead of toward zero, as spaCy's Adam does); 0 turns it off.
        learn_rate: Adam's learning rate (default: spaCy's 0.001; with a transformer, the
            peak of its warm-up schedule, 1e-4).
        backbone: ``"cnn"`` (spaCy's CNN, the default) or ``"transformer"``, optionally
            ``"transformer:FOLDER"`` for a local Hugging Face model folder (default: the
            packaged all-MiniLM-L6-v2). Needs the ``transformer`` extra.
        gpu_id: Train on this GPU (-1, the default: on the CPU).
        force: Train even on data that :func:`nerforge.lint.lint_tasks` finds errors in.
        config: A spaCy training config to train as it is, instead of one built from these
            settings (which then only give ``labels``, ``select``, ``force`` and ``gpu_id``);
            ``train`` and ``dev`` given to ``fit`` set its ``paths.train`` and ``paths.dev``.
        overrides: Dotted config settings that override the config's, as ``spacy train``
            takes them: ``{"training.max_epochs": 3, "paths.dev": "dev.jsonl"}``.
        textcat: Text categories (tasks' ``cats``), trained alone or beside the NER:
            ``"auto"`` tells exclusive classes (``textcat``) from multi-label ones
            (``textcat_multilabel``) by the data; ``"exclusive"`` or ``"multilabel"`` chooses.
        tokenizer_rules: A RULES.jsonl file (``nerforge tokenizer add`` takes the same) whose
            rules the trained pipeline's tokenizer gets before training: the texts are tokenized
            with them, lint checks spans against them, and the saved model keeps them, so
            ``spacy.load`` splits text the same way.
        outside_rate: Share of the unknown tokens of incomplete tasks (binary answers, silver
            data) read as outside, a new seeded sample each epoch, as teach's updates read them
            (:mod:`nerforge.training.binary`): without it a model trained on partial answers
            learns that predicting an entity is always safe. 0 keeps every unknown token missing.
        component: What learns the spans: ``"auto"`` trains spaCy's span categorizer
            (``spancat``) when a training task keeps its spans under a ``spans_key`` (they may
            overlap or nest), the NER otherwise; ``"ner"`` or ``"spancat"`` chooses.
    """

    lang: str = "en"
    labels: list[str] | None = None
    warm_start: str | None = "auto"
    dropout: float | None = None
    seed: int = 0
    holdout: float = DEFAULT_HOLDOUT
    format: Format | None = None
    answer_kind: AnswerKind = "auto"
    max_epochs: int | None = None
    max_steps: int | None = None
    patience: int | None = None
    eval_frequency: int | None = None
    batch_size: int | None = None
    select: Selection | None = None
    base: str | None = None
    rehearsal: bool = True
    rehearse: str | None = None
    rehearse_default: bool = True
    rehearsal_ratio: float | None = None
    new_label_ner: NewLabelNer = "separate"
    anchor: float = DEFAULT_ANCHOR_STRENGTH
    learn_rate: float | None = None
    backbone: str = "cnn"
    gpu_id: int = -1
    force: bool = False
    config: str | None = None
    overrides: Mapping[str, Any] | None = None
    textcat: TextcatMode = "auto"
    tokenizer_rules: str | Path | None = None
    outside_rate: float = OUTSIDE_RATE
    component: ComponentMode = "auto"

    def settings(self) -> TrainerSettings:
        """These settings alone, as a frozen ``TrainerSettings`` (a ``Trainer`` without what it learned)."""
        return TrainerSettings(**{f.name: getattr(self, f.name) for f in fields(TrainerSettings)})


__all__ = ["TrainerSettings"]
