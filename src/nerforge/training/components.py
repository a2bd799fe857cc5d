"""What a trained component is to a run: its part of the config, its dev score, its report row.

A run trains one or more components: the entity recognizer, a text classifier, a span
categorizer. Each implements :class:`TrainedComponent`. The plan builders put it in the
config through ``configure``; the loop's evaluator scores it on dev through ``score``;
``performance`` is its part of meta.json and ``report`` its entry in training.json's
``components``. Model selection follows the mean of the components' main scores: spaCy's
``score_weights`` with an equal share each (``spacy init config -p ner,textcat``).

A new kind of component is a module that implements this, and a line in the plan that
adds it: the loop does not change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from spacy.language import Language
from thinc.api import Config

from ..evaluation.forgetting import apart_from
from ..evaluation.scoring import Scores, score_tasks
from ..evaluation.textcat import TextcatScores
from ..records import Task
from ..spans import predict_spans
from .report import ComponentReport

if TYPE_CHECKING:
    from .report import EvaluationRecord


@dataclass(frozen=True)
class ComponentScores:
    """One component's dev scores at one evaluation.

    Attributes:
        name: The component's name in the pipeline.
        main: Its score for model selection (0 to 1).
        logged: Its scores under spaCy's keys, as spaCy's loop logs them.
        spans: A span component's exact-span scores per label (the NER's, spancat's).
        cats: A text classifier's scores.
    """

    name: str
    main: float
    logged: Mapping[str, float]
    spans: Scores | None = None
    cats: TextcatScores | None = None


class TrainedComponent(Protocol):
    """A component a run trains: how it enters the config, how it is scored and reported."""

    @property
    def name(self) -> str:
        """Its name in the pipeline (and its factory's)."""
        ...

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels (or classes) it learns."""
        ...

    def configure(self, config: Config, *, alone: bool) -> Config:
        """Put the component in a config built around the NER; ``alone``: the only one trained."""
        ...

    def score(self, nlp: Language, dev: Sequence[Task]) -> ComponentScores:
        """Its dev scores under ``nlp``."""
        ...

    def performance(self, record: EvaluationRecord) -> dict[str, Any]:
        """Its part of meta.json's ``performance`` for an evaluation, in spaCy's keys."""
        ...

    def report(self) -> ComponentReport:
        """Its part of training.json's ``components``."""
        ...


@dataclass(frozen=True)
class NerComponent:
    """The entity recognizer: scored on exact spans; when updating, on what the base's labels keep.

    The training config is built around it (:mod:`.config`), so ``configure`` leaves it as is.
    """

    labels: tuple[str, ...]
    new_labels: tuple[str, ...] = ()
    old_labels: tuple[str, ...] = ()  # when updating: agreement with the base is measured on these
    dev_base_tasks: tuple[Task, ...] = ()  # the frozen base's entities of old labels on dev texts
    name: str = "ner"

    def configure(self, config: Config, *, alone: bool) -> Config:
        """The config is the NER's already."""
        return config

    def score(self, nlp: Language, dev: Sequence[Task]) -> ComponentScores:
        """Exact-span P/R/F of the trained labels; with old labels, their agreement with the base."""
        predicted = list(predict_spans(nlp, (task.text for task in dev)))
        scores = score_tasks(dev, predicted, labels=list(self.labels))
        if self.old_labels:
            away = [apart_from(p, t.accepted_spans) for t, p in zip(dev, predicted, strict=True)]
            scores.retention = score_tasks(self.dev_base_tasks, away, labels=list(self.old_labels))
        overall = scores.overall
        logged = {"ents_f": overall.f, "ents_p": overall.precision, "ents_r": overall.recall}
        return ComponentScores(self.name, overall.f, logged, spans=scores)

    def performance(self, record: EvaluationRecord) -> dict[str, Any]:
        """spaCy's ``ents_*`` keys (as its ``update_meta`` writes them), and retention when updating."""
        block: dict[str, Any] = span_performance("ents", record.scores)
        if record.retention is not None:  # when updating: the old labels' agreement with the base
            block["retention_f"] = record.retention.overall.f
        return block

    def report(self) -> ComponentReport:
        """The label lists."""
        return ComponentReport(self.labels, self.new_labels, self.old_labels)


def span_performance(prefix: str, scores: Scores) -> dict[str, Any]:
    """Exact-span scores under spaCy's keys: ``ents_f`` ... ``ents_per_type`` (``spans_sc_*`` for spancat)."""
    per_type = {
        label: {"p": prf.precision, "r": prf.recall, "f": prf.f}
        for label, prf in sorted(scores.per_label.items())
    }
    overall = scores.overall
    return {
        f"{prefix}_f": overall.f,
        f"{prefix}_p": overall.precision,
        f"{prefix}_r": overall.recall,
        f"{prefix}_per_type": per_type,
    }


@dataclass(frozen=True)
class Evaluated:
    """Every trained component's dev scores at one evaluation, and the score selection follows."""

    parts: tuple[ComponentScores, ...]

    @property
    def main(self) -> float:
        """The mean of the components' main scores (an equal share each, as spaCy weights them)."""
        share = 1.0 / len(self.parts) if self.parts else 0.0
        return sum(share * part.main for part in self.parts)

    @property
    def spans(self) -> Scores:
        """The span component's scores (empty when none trains: a text classifier alone)."""
        return next((part.spans for part in self.parts if part.spans is not None), Scores())

    @property
    def span_component(self) -> str:
        """The span component's name (``"ner"`` when none trains, as training.json always said)."""
        return next((part.name for part in self.parts if part.spans is not None), "ner")

    @property
    def cats(self) -> TextcatScores | None:
        """The text classifier's scores, when one trains."""
        return next((part.cats for part in self.parts if part.cats is not None), None)

    @property
    def logged(self) -> dict[str, float]:
        """Every component's scores under spaCy's keys."""
        out: dict[str, float] = {}
        for part in self.parts:
            out |= part.logged
        return out


def evaluate_components(
    components: Mapping[str, TrainedComponent], nlp: Language, dev: Sequence[Task]
) -> Evaluated:
    """Score every trained component on dev, in pipeline order."""
    return Evaluated(tuple(component.score(nlp, dev) for component in components.values()))
