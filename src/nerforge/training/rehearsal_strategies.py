"""How an update rehearses against forgetting: one interface, one class per way of doing it.

A :class:`RehearsalStrategy` decides three things for an update of a pretrained pipeline:

- what the training tasks become (:meth:`~RehearsalStrategy.training_tasks`): the base's
  entities of old labels filled in where the new annotations leave room, or left as they are;
- what is rehearsed beside them every epoch (:meth:`~RehearsalStrategy.corpus`): the base's
  predictions on ``--rehearse``'s texts and on the default corpus, with the default corpus's
  held-out share, where the update report measures;
- how many rehearsal examples an epoch draws per training example
  (:attr:`~RehearsalStrategy.ratio`), and how the report names it
  (:attr:`~RehearsalStrategy.rehearses`, :attr:`~RehearsalStrategy.rehearses_default`).

The ways that exist: :class:`NoRehearsal` (the course's bad example, kept for comparison),
:class:`BasePredictions` (the user's texts, and ``--rehearse``'s), :class:`WithDefaultCorpus`
(those and the default corpus of general English: an update's default), and
:class:`BesideRehearsal`, any of them turned into negatives for a NER that learns new labels
beside the frozen base (:mod:`.beside`). The trainer's settings are read into one strategy
once, by :func:`rehearsal_strategy`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from ..records import Task
from .beside import as_negatives, only_labels
from .default_rehearsal import default_rehearsal
from .defaults import BESIDE_REHEARSAL_RATIO, DEFAULT_REHEARSAL_RATIO
from .rehearsal import fill_old_labels, rehearsal_tasks
from .settings import TrainerSettings


@dataclass(frozen=True)
class RehearsedCorpus:
    """What a strategy rehearses beside the training tasks.

    Attributes:
        rehearsal: Complete tasks labelled by the frozen base, a sample drawn every epoch;
            None when nothing is rehearsed beside the training tasks.
        held_out: Default-corpus tasks never rehearsed: where the update report measures.
    """

    rehearsal: tuple[Task, ...] | None = None
    held_out: tuple[Task, ...] = ()


class RehearsalStrategy(ABC):
    """How an update keeps what the base knew; see the module's docstring for the ways."""

    @property
    @abstractmethod
    def asked_ratio(self) -> float | None:
        """Rehearsal examples per training example and epoch, as asked; None for the default."""

    @property
    def ratio(self) -> float:
        """Rehearsal examples per training example and epoch: as asked, else this strategy's default."""
        return self.asked_ratio if self.asked_ratio is not None else self.default_ratio

    @property
    def default_ratio(self) -> float:
        """The ratio when none is asked (:data:`.defaults.DEFAULT_REHEARSAL_RATIO`)."""
        return DEFAULT_REHEARSAL_RATIO

    @property
    @abstractmethod
    def rehearses(self) -> bool:
        """Whether the old labels are rehearsed at all (training.json's ``rehearsal``)."""

    @property
    def rehearses_default(self) -> bool:
        """Whether the default corpus is rehearsed (training.json's ``rehearse_default``)."""
        return False

    @abstractmethod
    def training_tasks(
        self, tasks: Sequence[Task], base: Language, trained: frozenset[str]
    ) -> tuple[Task, ...]:
        """The training tasks as the update trains on them (``trained``: the labels they annotate)."""

    @abstractmethod
    def corpus(
        self, base: Language, train: Sequence[Task], trained: frozenset[str], new_labels: frozenset[str]
    ) -> RehearsedCorpus:
        """What is rehearsed beside ``train``, labelled by the frozen ``base``.

        Args:
            base: The frozen base pipeline.
            train: The training tasks (their texts are never rehearsed; their new-label strings
                drop default-corpus texts).
            trained: The labels the training tasks annotate.
            new_labels: Those the base does not know.
        """

    def beside(self) -> RehearsalStrategy:
        """This strategy for a NER learning new labels beside the frozen base (:class:`BesideRehearsal`)."""
        return BesideRehearsal(self)


@dataclass(frozen=True)
class NoRehearsal(RehearsalStrategy):
    """The update sees only the new annotations: the course's bad example, kept for comparison."""

    asked_ratio: float | None = None

    @property
    def rehearses(self) -> bool:
        """Never."""
        return False

    def training_tasks(
        self, tasks: Sequence[Task], base: Language, trained: frozenset[str]
    ) -> tuple[Task, ...]:
        """The tasks as they are."""
        return tuple(tasks)

    def corpus(
        self, base: Language, train: Sequence[Task], trained: frozenset[str], new_labels: frozenset[str]
    ) -> RehearsedCorpus:
        """Nothing."""
        return RehearsedCorpus()


@dataclass(frozen=True)
class BasePredictions(RehearsalStrategy):
    """The base's predictions of old labels: in the training texts, and on ``rehearse``'s texts.

    Attributes:
        rehearse: Raw texts whose base predictions are rehearsed every epoch (``--rehearse``).
        asked_ratio: Rehearsal examples per training example (default: :attr:`default_ratio`).
    """

    rehearse: str | Path | None = None
    asked_ratio: float | None = None

    @property
    def rehearses(self) -> bool:
        """Always."""
        return True

    def training_tasks(
        self, tasks: Sequence[Task], base: Language, trained: frozenset[str]
    ) -> tuple[Task, ...]:
        """The tasks with the base's old-label entities where their own spans leave room."""
        return tuple(fill_old_labels(tasks, base, trained))

    def corpus(
        self, base: Language, train: Sequence[Task], trained: frozenset[str], new_labels: frozenset[str]
    ) -> RehearsedCorpus:
        """The base's tasks on ``rehearse``'s texts, the training texts left out (E207 if none is left)."""
        if self.rehearse is None:
            return RehearsedCorpus()
        exclude = frozenset(task.text for task in train)
        return RehearsedCorpus(tuple(rehearsal_tasks(self.rehearse, base, trained, exclude=exclude)))


@dataclass(frozen=True)
class WithDefaultCorpus(BasePredictions):
    """:class:`BasePredictions`, and the base's predictions on nerforge's default corpus.

    The default of an update (:mod:`.default_rehearsal`): the corpus's held-out tenth is where
    the report measures.
    """

    @property
    def rehearses_default(self) -> bool:
        """Always."""
        return True

    def corpus(
        self, base: Language, train: Sequence[Task], trained: frozenset[str], new_labels: frozenset[str]
    ) -> RehearsedCorpus:
        """``rehearse``'s tasks, then the default corpus's (texts holding a new-label string dropped)."""
        given = super().corpus(base, train, trained, new_labels).rehearsal
        default = default_rehearsal(base, train, new_labels)
        return RehearsedCorpus((given or ()) + default.rehearsal, default.held_out)


@dataclass(frozen=True)
class BesideRehearsal(RehearsalStrategy):
    """Another strategy's rehearsal as negatives for a NER that learns new labels beside the frozen base.

    That NER is taught the new labels' spans alone, and the rehearsed texts as complete tasks
    with no new-label span (:func:`.beside.as_negatives`): the base's NER, which stays
    frozen, keeps the old labels itself. Its default ratio is
    :data:`.defaults.BESIDE_REHEARSAL_RATIO`.
    """

    inner: RehearsalStrategy

    @property
    def asked_ratio(self) -> float | None:
        """The inner strategy's."""
        return self.inner.asked_ratio

    @property
    def default_ratio(self) -> float:
        """More negatives than a shared update's rehearsal (see ``defaults.py``)."""
        return BESIDE_REHEARSAL_RATIO

    @property
    def rehearses(self) -> bool:
        """As the inner strategy does."""
        return self.inner.rehearses

    @property
    def rehearses_default(self) -> bool:
        """As the inner strategy does."""
        return self.inner.rehearses_default

    def training_tasks(
        self, tasks: Sequence[Task], base: Language, trained: frozenset[str]
    ) -> tuple[Task, ...]:
        """The tasks with only the new labels' spans."""
        return tuple(only_labels(task, trained) for task in tasks)

    def corpus(
        self, base: Language, train: Sequence[Task], trained: frozenset[str], new_labels: frozenset[str]
    ) -> RehearsedCorpus:
        """The inner strategy's corpus (every trained label new), as negatives."""
        inner = self.inner.corpus(base, train, trained, trained)
        negatives = None if inner.rehearsal is None else as_negatives(inner.rehearsal, trained)
        return RehearsedCorpus(negatives, inner.held_out)

    def beside(self) -> RehearsalStrategy:
        """Itself."""
        return self


def rehearsal_strategy(settings: TrainerSettings) -> RehearsalStrategy:
    """The strategy the trainer's settings ask for.

    Read from ``rehearsal``, ``rehearse``, ``rehearse_default`` and ``rehearsal_ratio``, once.
    """
    if not settings.rehearsal:
        return NoRehearsal(settings.rehearsal_ratio)
    if settings.rehearse_default:
        return WithDefaultCorpus(settings.rehearse, settings.rehearsal_ratio)
    return BasePredictions(settings.rehearse, settings.rehearsal_ratio)


__all__ = [
    "BasePredictions",
    "BesideRehearsal",
    "NoRehearsal",
    "RehearsalStrategy",
    "RehearsedCorpus",
    "WithDefaultCorpus",
    "rehearsal_strategy",
]
