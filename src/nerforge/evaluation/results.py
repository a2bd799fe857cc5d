"""What an evaluation gives back: the scores, what was left out, and every task's predictions.

Apart from :mod:`.evaluate` so that what reads a result (the HTML page, the demo, the CLI)
needs no prediction code, and nothing imports back up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..io.streaming import StreamSummary
from ..records import Span, Task
from .forgetting import ForgettingReport
from .scoring import Scores
from .textcat import TextcatScores

SMALL_TEST_SPANS = 100  # fewer gold entities than this and a handful of errors moves F by points

OnScored = Callable[[Task, list[Span]], None]  # sees each scored task and its predictions, in order


@dataclass(frozen=True)
class TaskPrediction:
    """What was predicted for one input task: its spans, or nothing for an ignored task.

    Attributes:
        spans: The predicted spans (the model's, or the patterns'), in text order.
        ignored: Whether the task was answered ``ignore``: not gold, so neither predicted nor scored.
    """

    spans: tuple[Span, ...] = ()
    ignored: bool = False


@dataclass
class Evaluation:
    """Scores of a model on a test set, and what was left out of scope.

    Attributes:
        scores: The missing-aware scores over the labels in scope.
        labels: Labels scored: those asked for, or the model's labels the gold annotates.
        unscored_labels: Gold labels the model does not predict (left out, with counts).
        skipped_labels: The model's labels the gold never annotates: not scored, since every
            prediction of them would count as wrong. Pass ``labels`` to score them anyway.
        n_ignored_tasks: Tasks answered ``ignore``: not gold, not scored.
        f_interval: The bootstrap 95% interval of overall F (0 to 1, as F is), resampling tasks.
        predictions: One per input task read, in input order (ignored tasks marked, not
            dropped): ``zip(tasks, evaluation.predictions)`` pairs each task with what was found.
            Records a file reader rejected are not tasks and have none.
        forgetting: With a base pipeline: how the old labels fared.
        cats: The text classifier's scores, when the model and the gold have categories.
        n_cut_spans: Gold spans that start or end inside a token of the model's tokenizer:
            the model can never predict them exactly (fix the offsets, or add a tokenizer rule).
        cut_examples: Where the first of those are.
        n_partial_tasks: Gold tasks with partial (binary) answers: on them a prediction on tokens
            nobody answered counts neither way (``scores.n_ignored_predictions``), so precision
            is estimated on answered spans only.
        stream: Records read and rejected, when the test set was read from a file.
    """

    scores: Scores
    labels: list[str]
    unscored_labels: dict[str, int] = field(default_factory=dict)
    skipped_labels: list[str] = field(default_factory=list)
    n_ignored_tasks: int = 0
    f_interval: tuple[float, float] = (0.0, 0.0)
    predictions: list[TaskPrediction] = field(default_factory=list, repr=False)
    forgetting: ForgettingReport | None = None
    cats: TextcatScores | None = None
    stream: StreamSummary | None = None
    n_cut_spans: int = 0
    cut_examples: tuple[str, ...] = ()
    n_partial_tasks: int = 0

    @property
    def n_gold_spans(self) -> int:
        """Gold entities scored in the test set: TP + FN."""
        return self.scores.overall.tp + self.scores.overall.fn

    @property
    def is_small(self) -> bool:
        """Whether the test set holds too few gold entities for F to be more than a rough guide."""
        return self.n_gold_spans < SMALL_TEST_SPANS

    def to_dict(self) -> dict[str, Any]:
        """The evaluation as a JSON-ready dict: the scores, and what was left out of scope."""
        result = {
            "labels": self.labels,
            "unscored_labels": self.unscored_labels,
            "skipped_labels": self.skipped_labels,
            "n_ignored_tasks": self.n_ignored_tasks,
            "f_interval": list(self.f_interval),
            "n_gold_spans": self.n_gold_spans,
            "small_test_set": self.is_small,
            "n_cut_spans": self.n_cut_spans,
            "n_partial_tasks": self.n_partial_tasks,
            **self.scores.to_dict(),
        }
        if self.forgetting is not None:
            result["forgetting"] = self.forgetting.to_dict()
        if self.cats is not None:
            result["cats"] = self.cats.to_dict()
        if self.stream is not None:
            result["input"] = self.stream.to_dict()
        return result
