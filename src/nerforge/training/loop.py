"""The training loop: spaCy's ``train_while_improving``, with nerforge's own parts.

Those are batching, evaluator, patience and saving. It yields progress and never prints
(spaCy's ``training/loop.py`` layout).
"""

from __future__ import annotations

import logging
import random
import shutil
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.training import Example
from spacy.training.initialize import init_nlp
from spacy.training.loop import train_while_improving
from spacy.util import registry, resolve_dot_names
from thinc.api import fix_random_seed, require_gpu

from ..errors import Location, ParameterError, TrainingError
from ..evaluation.scoring import Scores
from ..evaluation.textcat import TextcatScores
from ..io.files import atomic_text_writer
from .components import TrainedComponent, evaluate_components
from .memory import holding
from .plan import TrainingPlan
from .report import EvaluationRecord, Speed, TrainingReport

MODEL_BEST, MODEL_LAST, REPORT = "model-best", "model-last", "training.json"


@dataclass(frozen=True)
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
    cats: TextcatScores | None = None  # the text classifier's dev scores, when one trains
    score: float | None = None  # what model selection follows (see EvaluationRecord)


@dataclass(frozen=True)
class LoopResult:
    """What the loop leaves: the trained pipeline, its evaluations, speed, and whether Ctrl-C ended it."""

    nlp: Language
    evaluations: tuple[EvaluationRecord, ...]
    speed: Speed
    interrupted: bool


def train_loop(
    plan: TrainingPlan, folder: Path, *, gpu_id: int, started: float
) -> Generator[Progress, None, LoopResult]:
    """Initialize the plan's pipeline and train it, saving model-best and model-last under ``folder``.

    Ctrl-C ends the loop early; the models are still saved and ``interrupted`` says so.
    """
    use_gpu(gpu_id)
    with (
        quiet_spacy(transformer=plan.transformer is not None),
        holding(tasks=plan.held_tasks, pipelines=plan.held_pipelines),
    ):
        nlp = init_nlp(plan.config, use_gpu=gpu_id)
        resolved = nlp.config.interpolate()
        if resolved["training"]["seed"] is not None:  # as spaCy's train() does: its runs are ours
            fix_random_seed(resolved["training"]["seed"])
        training = registry.resolve(resolved["training"])
        (train_corpus,) = resolve_dot_names(resolved, [training["train_corpus"]])
    run = _Run(nlp, plan, folder, started, training)
    return (yield from run.steps(train_corpus))


class _Run:
    """One run's state: the evaluator, patience, and the evaluations recorded so far."""

    def __init__(
        self, nlp: Language, plan: TrainingPlan, folder: Path, started: float, training: dict[str, Any]
    ) -> None:
        self.nlp, self.plan, self.folder, self.started = nlp, plan, folder, started
        self.training = training  # the resolved [training] block: the config has the last word
        self.evaluator = Evaluator(nlp, plan)
        self.patience = Patience(training["patience"])
        self.records: list[EvaluationRecord] = []

    def steps(self, corpus: Any) -> Generator[Progress, None, LoopResult]:
        training = self.training
        steps = train_while_improving(
            self.nlp,
            training["optimizer"],
            train_batches(
                self.nlp,
                corpus,
                training["batcher"],
                training["max_epochs"],
                source=self.plan.data.train.path,
            ),
            self.evaluator,
            dropout=training["dropout"],
            accumulate_gradient=training["accumulate_gradient"],
            patience=0,  # counted by Patience: not until the trained labels are predicted at all
            max_steps=training["max_steps"],
            eval_frequency=training["eval_frequency"],
            # as spaCy's train(): frozen components are neither run nor updated by the updates
            exclude=training["frozen_components"],
            annotating_components=training["annotating_components"],
            before_update=training["before_update"],
        )
        interrupted, loop_started, words, step = False, time.perf_counter(), 0, 0
        last: Progress | None = None
        try:
            for _batch, info, is_best in steps:
                words, step = info["words"], info["step"]
                last = self._progress(info, evaluated=is_best is not None)
                yield last
                if self.patience.exhausted(step):
                    break
        except KeyboardInterrupt:
            interrupted = True
        speed = Speed.measure(step + 1, words, time.perf_counter() - loop_started, self.evaluator.seconds)
        if last is not None:
            final = self._finish(last, interrupted)
            if final is not None and not interrupted:
                yield final
        self._save(MODEL_LAST, self.records[-1] if self.records else None)
        return LoopResult(self.nlp, tuple(self.records), speed, interrupted)

    def _progress(self, info: dict[str, Any], *, evaluated: bool) -> Progress:
        losses = {name: float(loss) for name, loss in info["losses"].items()}
        seconds = time.perf_counter() - self.started
        progress = Progress(
            info["epoch"], info["step"], info["words"], seconds, losses, self.training["eval_frequency"]
        )
        if not evaluated:
            return progress
        scores, cats, score = self.evaluator.scores[-1], self.evaluator.cats[-1], self.evaluator.main[-1]
        improved = self.patience.record(progress.step, score)
        # spaCy's own flag counts ties as best: Patience doesn't
        best = improved and self.plan.select == "best"
        progress = replace(progress, scores=scores, is_best=best, cats=cats, score=score)
        self._record(progress)
        if progress.is_best:
            self._save(MODEL_BEST, self.records[-1])
        return progress

    def _finish(self, last: Progress, interrupted: bool) -> Progress | None:
        """Evaluate the finished model when its last step was not; with ``select="last"`` keep it.

        A short run may end before its first scheduled evaluation: without this, model-best
        would be the untrained step-0 model.
        """
        if self.plan.select == "last":
            return self._keep_last(last)
        if interrupted or last.scores is not None:
            return None
        scores = self._evaluate()
        cats, score = self.evaluator.cats[-1], self.evaluator.main[-1]
        improved = self.patience.record(last.step, score)
        final = replace(last, scores=scores, is_best=improved, cats=cats, score=score)
        self._record(final)
        if improved:
            self._save(MODEL_BEST, self.records[-1])
        return final

    def _keep_last(self, last: Progress) -> Progress:
        """The finished model's evaluation, marked as the one kept (evaluated now if its step was not)."""
        final = replace(last, is_best=True, final=True)
        if final.scores is None:
            scores = self._evaluate()
            final = replace(final, scores=scores, cats=self.evaluator.cats[-1], score=self.evaluator.main[-1])
            self._record(final)
        else:
            self.records[-1] = replace(self.records[-1], is_best=True)
        self._save(MODEL_BEST, self.records[-1])
        return final

    def _save(self, name: str, record: EvaluationRecord | None) -> None:
        scores = None if record is None else performance(record, self.plan.components.values())
        save_pipeline(self.nlp, self.folder / name, scores)

    def _evaluate(self) -> Scores:
        self.evaluator()
        return self.evaluator.scores[-1]

    def _record(self, progress: Progress) -> None:
        assert progress.scores is not None
        self.records.append(
            EvaluationRecord(
                step=progress.step,
                epoch=progress.epoch,
                words=progress.words,
                seconds=progress.seconds,
                losses=progress.losses,
                is_best=progress.is_best,
                scores=progress.scores,
                component=self.evaluator.component,
                cats=progress.cats,
                score=progress.score,
            )
        )


def train_batches(
    nlp: Language,
    corpus: Callable[[Language], Iterable[Example]],
    batcher: Any,
    max_epochs: int,
    *,
    source: str | None = None,
    rng: random.Random | None = None,
) -> Iterator[tuple[int, list[Example]]]:
    """spaCy's ``create_train_batches``, except that a resampling corpus is read again every epoch.

    A corpus that draws new examples each epoch (rehearsal's sample) needs that: spaCy's reads
    the corpus once and only reshuffles it, which would keep the first rehearsal sample for the
    whole run.

    ``max_epochs`` 0 repeats until the loop stops. A corpus read once is shuffled in place
    each epoch, as spaCy does, so runs without rehearsal see the same batches as spaCy's.
    ``source`` (the training file) is named in the error for a corpus without examples.
    ``rng`` shuffles (default: the ``random`` module, which spaCy's loop seeds).
    """
    shuffle = random.shuffle if rng is None else rng.shuffle
    examples = list(corpus(nlp))
    if not examples:
        raise TrainingError("E201", Location(source) if source else None)
    epoch = 0
    while max_epochs < 1 or epoch != max_epochs:
        if epoch and getattr(corpus, "new_each_epoch", False):
            examples = list(corpus(nlp))
        shuffle(examples)
        for batch in batcher(examples):
            yield epoch, batch
        epoch += 1


class Evaluator:
    """The dev evaluation spaCy's loop calls: every trained component scored through its own ``score``.

    The score selection follows is the mean of the components' main scores (the NER's F, the
    classifier's ``cats_score``, spancat's F). When updating, the NER also measures how well
    the old labels still agree with the frozen base (away from the new spans).
    """

    def __init__(self, nlp: Language, plan: TrainingPlan) -> None:
        self.nlp, self.plan = nlp, plan
        self.scores: list[Scores] = []  # the span component's (empty for a text classifier alone)
        self.cats: list[TextcatScores | None] = []  # the text classifier's, when one trains
        self.main: list[float] = []  # what selection follows
        self.component = "ner"  # the span component, named in each evaluation record
        self.seconds = 0.0  # spent evaluating, told apart from the updates' time

    def __call__(self) -> tuple[float, dict[str, Any]]:
        """Score the dev set; return the score selection follows, and the scores spaCy's loop logs."""
        started = time.perf_counter()
        # selection on the trained labels alone: rehearsal keeps the old ones, and agreement with
        # the base is too pessimistic a guide (measured: dev agreement fell to 0.72 while gold
        # old-label F on WNUT-17 test moved by -1.1)
        evaluated = evaluate_components(self.plan.components, self.nlp, self.plan.dev_tasks)
        self.scores.append(evaluated.spans)
        self.cats.append(evaluated.cats)
        self.main.append(evaluated.main)
        self.component = evaluated.span_component
        self.seconds += time.perf_counter() - started
        return evaluated.main, evaluated.logged


@dataclass
class Patience:
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
        """Whether ``steps`` steps have passed since the best evaluation."""
        return bool(self.steps) and self.best_step is not None and step - self.best_step >= self.steps


def use_gpu(gpu_id: int) -> None:
    """Train on the GPU asked for; -1 keeps the CPU."""
    if gpu_id < 0:
        return
    try:
        require_gpu(gpu_id)
    except (ValueError, ImportError, RuntimeError) as error:
        raise ParameterError("E408", gpu_id=gpu_id, detail=str(error)) from None


def performance(record: EvaluationRecord, components: Iterable[TrainedComponent]) -> dict[str, Any]:
    """The ``performance`` block of meta.json: each component's dev scores in spaCy's keys."""
    block: dict[str, Any] = {}
    for component in components:
        block |= component.performance(record)
    return block


def save_pipeline(nlp: Language, target: Path, scores: Mapping[str, Any] | None = None) -> None:
    """Write the pipeline to a temporary folder, then swap it in: readers never see half a model.

    With ``scores`` (:func:`performance`), meta.json's ``performance`` holds them.
    """
    if scores is not None:
        nlp.meta["performance"] = dict(scores)
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


def write_report(report: TrainingReport, folder: Path) -> None:
    """Write training.json atomically."""
    with atomic_text_writer(folder / REPORT) as handle:
        handle.write(srsly.json_dumps(report.to_dict(), indent=2) + "\n")


class quiet_spacy:
    """Silence spaCy's info logging and transformers' progress bar while the pipeline initializes.

    The progress bar is the one transformers shows while it reads a model's weights; the
    library never prints.
    """

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
