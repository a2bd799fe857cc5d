"""The text classifier's part of a run: which component, which classes, its config and its score.

A run trains text categories when the training data has ``cats``: ``textcat`` for exclusive
classes (one per text), ``textcat_multilabel`` otherwise, told apart from the data
(:func:`nerforge.evaluation.textcat.is_exclusive`) or chosen with ``Trainer(textcat=...)``.
The component is spaCy's default (``spacy init config -p textcat``: a bag-of-words model),
beside the NER when the data has spans too, or alone.

A class a task does not mention is *missing*, and so are all classes of a task without
``cats`` (beside the NER, some tasks may have spans only): exclusive data with such tasks
trains ``textcat_multilabel`` unless ``"exclusive"`` is asked for. ``textcat_multilabel``
masks missing classes out of the loss; spaCy's exclusive ``textcat`` can't (its ``support_missing_values`` is
False: a missing class trains as 0.0), so exclusive tasks are completed where exclusivity
says what the missing classes are: one class at 1.0 puts the others at 0.0, and with two
classes one at 0.0 puts the other at 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from thinc.api import Config

from ..errors import TrainingError
from ..evaluation.textcat import (
    THRESHOLD,
    TextcatScores,
    check_exclusive,
    is_exclusive,
    predict_cats,
    score_cats,
)
from ..formats import TEXTCAT_MODES as TEXTCAT_MODES  # noqa: PLC0414 - declared in formats, re-exported
from ..formats import TextcatMode as TextcatMode  # noqa: PLC0414 - declared in formats, re-exported
from ..records import Task
from .components import ComponentScores
from .config import Schedule
from .report import ComponentReport

if TYPE_CHECKING:
    from .report import EvaluationRecord

EXCLUSIVE, MULTILABEL = "textcat", "textcat_multilabel"  # spaCy's factories, and our component names
BOW_LENGTH = 262144  # spaCy's default: rows of the hashed n-gram table
# spaCy's default patience (steps) in `spacy init config -p textcat`: a bag-of-words step and its
# evaluation are cheap, and on bench/textcat.py nerforge's NER patience (5 evaluations) stopped
# one seed of three at 77.3 macro F where the others reached 81
TEXTCAT_PATIENCE = 1600
# spaCy's score_weights when `spacy init config -p ner,textcat` trains both: an equal share each
NER_WEIGHT, CATS_WEIGHT = 0.5, 0.5


@dataclass(frozen=True)
class TextcatChoice:
    """The text classifier a run trains: its component (and factory), classes, and why."""

    component: str
    labels: tuple[str, ...]
    why: str

    @property
    def exclusive(self) -> bool:
        """Whether the classes are exclusive (one per text)."""
        return self.component == EXCLUSIVE


def category_labels(tasks: Iterable[Task]) -> tuple[str, ...]:
    """Every class the tasks mention, sorted."""
    return tuple(sorted({label for task in tasks for label in task.cats}))


def choose_textcat(train: Sequence[Task], dev: Sequence[Task], mode: TextcatMode) -> TextcatChoice | None:
    """The text classifier the data calls for, or None when no training task has ``cats``.

    Raises:
        TrainingError: E217 if ``mode`` asks for one and no task has cats; E218 if exclusive
            classes number fewer than two; E219 if dev mentions a class training never does.
        DataError: E025 (with file and line) for an exclusive task with two classes at 1.0.
    """
    labels = category_labels(train)
    if not labels:
        if mode != "auto":
            raise TrainingError("E217", mode=mode)
        return None
    unseen = sorted(set(category_labels(dev)) - set(labels))
    if unseen:
        raise TrainingError("E219", labels=", ".join(unseen))
    lacking = sum(not task.cats for task in train)
    if mode == "auto" and lacking and is_exclusive(train):
        return TextcatChoice(
            MULTILABEL,
            labels,
            f"multi-label: {lacking} training task(s) have no categories, which spaCy's exclusive "
            "textcat would learn as 'no class'; multi-label leaves them out (--textcat exclusive overrides)",
        )
    if mode == "auto":
        exclusive = is_exclusive(train)
        why = (
            "exclusive: every text with several classes has exactly one at 1.0"
            if exclusive
            else "multi-label: some text has several classes at 1.0, or none"
        )
    else:
        exclusive, why = mode == "exclusive", "asked for"
    if not exclusive:
        return TextcatChoice(MULTILABEL, labels, why)
    if len(labels) < 2:  # one class can't be exclusive of anything
        raise TrainingError("E218", label=labels[0])
    check_exclusive([*train, *dev])
    return TextcatChoice(EXCLUSIVE, labels, why)


def complete_exclusive(tasks: Sequence[Task], labels: Sequence[str]) -> tuple[Task, ...]:
    """Exclusive tasks with the classes exclusivity implies filled in (see the module's notes)."""
    return tuple(_completed(task, labels) for task in tasks)


def _completed(task: Task, labels: Sequence[str]) -> Task:
    if not task.cats or len(task.cats) == len(labels):
        return task
    positive = [label for label, value in task.cats.items() if value >= THRESHOLD]
    if positive:
        return replace(task, cats={label: float(label == positive[0]) for label in labels})
    if len(labels) == 2:  # not this one, so the other
        return replace(task, cats={label: float(label not in task.cats) for label in labels})
    return task


def textcat_schedule(schedule: Schedule) -> Schedule:
    """A classifier trained alone: spaCy's textcat patience, unless the schedule's is longer."""
    return replace(schedule, patience=max(schedule.patience, TEXTCAT_PATIENCE))


def add_textcat(config: Config, choice: TextcatChoice, *, ner: bool) -> Config:
    """Put spaCy's default text classifier in a config built for the NER, beside it or alone.

    Alone, the NER and its warm start (which copies an NER's weights) are taken out.
    """
    name = choice.component
    config["components"][name] = {
        "factory": name,
        # spaCy's defaults: the top class for exclusive classes, 0.5 for multi-label
        "threshold": 0.0 if choice.exclusive else THRESHOLD,
        "model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": choice.exclusive,
            "ngram_size": 1,
            "no_output_layer": False,
            "length": BOW_LENGTH,
            "nO": None,
        },
    }
    config["initialize"]["components"][name] = {"labels": list(choice.labels)}
    weights = config["training"]["score_weights"]
    if ner:
        config["nlp"]["pipeline"] = [*config["nlp"]["pipeline"], name]
        weights["ents_f"] = NER_WEIGHT
        weights["cats_score"] = CATS_WEIGHT
        return config
    config["nlp"]["pipeline"] = [name]
    del config["components"]["ner"]
    config["training"]["score_weights"] = {"cats_score": 1.0, "cats_macro_f": 0.0}
    config["initialize"]["before_init"] = None
    config["initialize"]["after_init"] = None
    for corpus in ("train", "dev"):
        config["corpora"][corpus].pop("labels", None)
    return config


def cats_score(scores: TextcatScores) -> float:
    """spaCy's ``cats_score``: macro F for exclusive classes, macro ROC AUC for multi-label."""
    return scores.macro_f if scores.exclusive else scores.macro_auc


def main_score(ner_f: float | None, cats: TextcatScores | None) -> float:
    """The score model selection follows: the NER's F, the classifier's score, or both weighted."""
    if cats is None:
        return ner_f or 0.0
    if ner_f is None:
        return cats_score(cats)
    return NER_WEIGHT * ner_f + CATS_WEIGHT * cats_score(cats)


@dataclass(frozen=True)
class TextcatComponent:
    """The text classifier as a trained component (:class:`~.components.TrainedComponent`)."""

    choice: TextcatChoice

    @property
    def name(self) -> str:
        """``textcat`` or ``textcat_multilabel``."""
        return self.choice.component

    @property
    def labels(self) -> tuple[str, ...]:
        """The classes."""
        return self.choice.labels

    def configure(self, config: Config, *, alone: bool) -> Config:
        """spaCy's default classifier, beside the NER or alone (:func:`add_textcat`)."""
        return add_textcat(config, self.choice, ner=not alone)

    def score(self, nlp: Language, dev: Sequence[Task]) -> ComponentScores:
        """Its category scores on dev; the main one is spaCy's ``cats_score``."""
        predicted = list(predict_cats(nlp, (task.text for task in dev), component=self.name))
        cats = score_cats(dev, predicted, exclusive=self.choice.exclusive)
        logged = {"cats_score": cats_score(cats), "cats_macro_f": cats.macro_f}
        return ComponentScores(self.name, cats_score(cats), logged, cats=cats)

    def performance(self, record: EvaluationRecord) -> dict[str, Any]:
        """spaCy's textcat keys."""
        if record.cats is None:
            return {}
        return {
            "cats_score": cats_score(record.cats),
            "cats_macro_f": record.cats.macro_f,
            "cats_micro_f": record.cats.micro_f,
            "cats_macro_auc": record.cats.macro_auc,
        }

    def report(self) -> ComponentReport:
        """The classes."""
        return ComponentReport(self.labels)
