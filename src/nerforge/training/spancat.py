"""The span categorizer's part of a run: when it trains, its config, its score.

An entity recognizer gives each token one label, so it can't learn overlapping or nested
mentions ("iphone 15 pro" a GADGET, "iphone" in it a PRODUCT_LINE). spaCy's ``spancat``
can: an n-gram suggester proposes spans and a classifier labels each. A run trains it instead
of the NER when a training task keeps its spans under a ``spans_key`` (the task record's
field for a span categorizer's spans, which may overlap), or when ``component="spancat"``
asks. Its suggester proposes the n-gram sizes the data's spans have, so no gold span is out
of its reach; its scores are exact spans per label, as the NER's.

Not yet: spancat beside a text classifier, in an update of a base pipeline, or on a
transformer (E224). An incomplete task trains as if complete: spancat has no "missing".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

import spacy
from spacy.language import Language
from thinc.api import Config

from ..errors import TrainingError
from ..evaluation.scoring import score_tasks
from ..formats import COMPONENT_MODES as COMPONENT_MODES  # noqa: PLC0414 - declared in formats
from ..formats import ComponentMode as ComponentMode  # noqa: PLC0414 - declared in formats, re-exported
from ..records import DEFAULT_SPANS_KEY, Task
from ..spans import predict_span_group
from .components import ComponentScores, span_performance
from .readers import TaskSplit
from .report import ComponentReport

if TYPE_CHECKING:
    from .report import EvaluationRecord

SPANCAT: Literal["spancat"] = "spancat"  # spaCy's factory, and our component's name
DEFAULT_SIZES = (1, 2, 3)  # spaCy's ngram suggester default, for data whose spans can't be measured
SPANCAT_THRESHOLD = 0.5  # spaCy's default: a suggested span is kept when its label scores over this
REDUCER_WIDTH = 128  # spaCy's default hidden size of the mean-max reducer


def has_overlaps(task: Task) -> bool:
    """Whether two of the task's accepted spans share a character."""
    return any(first.overlaps(second) for first, second in pairwise(task.accepted_spans))


def spans_keys(tasks: Iterable[Task]) -> set[str]:
    """The ``spans_key`` values the tasks name."""
    return {task.spans_key for task in tasks if task.spans_key is not None}


def choose_span_component(train: Sequence[Task], mode: ComponentMode) -> Literal["ner", "spancat"]:
    """The component that learns the spans: ``"spancat"`` for span-categorizer data, else ``"ner"``.

    Raises:
        TrainingError: E223 when ``"ner"`` is asked for data with overlapping spans; E225
            when the tasks name several spans keys.
    """
    keys = spans_keys(train)
    if len(keys) > 1:
        raise TrainingError("E225", keys=", ".join(sorted(keys)))
    if mode == "spancat" or (mode == "auto" and keys):
        return SPANCAT
    overlapping = [task for task in train if has_overlaps(task)]
    if overlapping:
        where = overlapping[0].origin
        example = str(where) if where is not None else repr(overlapping[0].text[:40])
        raise TrainingError("E223", n_tasks=len(overlapping), example=example)
    return "ner"


def ngram_sizes(tasks: Iterable[Task], make_doc: Any) -> tuple[int, ...]:
    """The lengths in tokens of the tasks' accepted spans: what the suggester must propose."""
    sizes: set[int] = set()
    for task in tasks:
        if not task.accepted_spans:
            continue
        doc = make_doc(task.text)
        for span in task.accepted_spans:
            found = doc.char_span(span.start, span.end, alignment_mode="expand")
            if found is not None:
                sizes.add(len(found))
    return tuple(sorted(sizes)) or DEFAULT_SIZES


def spancat_for(split: TaskSplit, labels: tuple[str, ...], *, lang: str) -> SpancatComponent:
    """The span categorizer for a run's data: its labels, the n-gram sizes and the spans key it needs."""
    tasks = [*split.train, *split.dev]
    key = next(iter(spans_keys(split.train)), DEFAULT_SPANS_KEY)
    return SpancatComponent(labels, ngram_sizes(tasks, spacy.blank(lang).make_doc), key)


@dataclass(frozen=True)
class SpancatComponent:
    """spaCy's span categorizer as a trained component (:class:`~.components.TrainedComponent`)."""

    labels: tuple[str, ...]
    sizes: tuple[int, ...] = DEFAULT_SIZES
    spans_key: str = DEFAULT_SPANS_KEY
    name: str = SPANCAT

    def configure(self, config: Config, *, alone: bool) -> Config:
        """Put spancat in place of the NER, with the NER's CNN as its own tok2vec.

        Raises:
            TrainingError: E224 beside another component (a text classifier).
        """
        if not alone:
            raise TrainingError("E224", detail="beside a text classifier", option="the text categories")
        ner = config["components"].pop("ner")
        config["components"][self.name] = {
            "factory": self.name,
            "spans_key": self.spans_key,
            "threshold": SPANCAT_THRESHOLD,
            "max_positive": None,
            "suggester": {"@misc": "spacy.ngram_suggester.v1", "sizes": list(self.sizes)},
            "scorer": {"@scorers": "spacy.spancat_scorer.v1"},
            "model": {
                "@architectures": "spacy.SpanCategorizer.v1",
                "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": REDUCER_WIDTH},
                "scorer": {"@layers": "spacy.LinearLogistic.v1", "nO": None, "nI": None},
                "tok2vec": ner["model"]["tok2vec"],  # the same CNN the NER would have
            },
        }
        config["nlp"]["pipeline"] = [self.name]
        config["initialize"]["components"][self.name] = {"labels": list(self.labels)}
        prefix = f"spans_{self.spans_key}"
        weights = {f"{prefix}_f": 1.0, f"{prefix}_p": 0.0, f"{prefix}_r": 0.0}
        config["training"]["score_weights"] = weights
        config["initialize"]["after_init"] = None  # the warm start copies an NER's weights
        for corpus in ("train", "dev"):
            config["corpora"][corpus]["spans_key"] = self.spans_key
        return config

    def score(self, nlp: Language, dev: Sequence[Task]) -> ComponentScores:
        """Exact-span P/R/F per label of the spans it finds (overlapping ones each count)."""
        predicted = list(predict_span_group(nlp, (task.text for task in dev), component=self.name))
        scores = score_tasks(dev, predicted, labels=list(self.labels))
        overall, prefix = scores.overall, f"spans_{self.spans_key}"
        logged = {f"{prefix}_f": overall.f, f"{prefix}_p": overall.precision, f"{prefix}_r": overall.recall}
        return ComponentScores(self.name, overall.f, logged, spans=scores)

    def performance(self, record: EvaluationRecord) -> dict[str, Any]:
        """spaCy's keys for spancat: ``spans_sc_f`` ... ``spans_sc_per_type``."""
        return span_performance(f"spans_{self.spans_key}", record.scores)

    def report(self) -> ComponentReport:
        """The labels."""
        return ComponentReport(self.labels)
