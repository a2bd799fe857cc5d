"""`nerforge evaluate` and `explore` as library calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import DataError, Location, PipelineError
from ..io import Format, TaskSource, as_tasks
from ..io.files import display_path
from ..io.spool import Spool
from ..io.streaming import MAX_TEXT_CHARS, RejectLog, read_leniently
from ..parallel.runner import batched
from ..pipelines import component_labels, entity_labels, load_pipeline, span_component, span_group_key
from ..records import Span, Task
from ..task_json import AnswerKind
from .forgetting import ForgettingTally, Thresholds
from .gold import GoldSurvey, check_label_case, check_not_empty, choose_scope, survey, unscored_labels
from .html import explore_html as write_explore_html
from .interval import BootstrapF
from .predict import DEFAULT_BATCH_SIZE, NerWork, predict_spans
from .results import Evaluation, OnScored, TaskPrediction
from .scoring import Scores, add_task
from .textcat import CatTally, textcat_component


def evaluate(
    model: str | Path | Language,
    test: TaskSource,
    *,
    labels: Iterable[str] | None = None,
    base: str | Path | None = None,
    format: Format | None = None,
    answer_kind: AnswerKind = "auto",
    thresholds: Thresholds | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    seed: int = 0,
    rejects: str | Path | None = None,
    max_chars: int = MAX_TEXT_CHARS,
    on_scored: OnScored | None = None,
) -> Evaluation:
    """Predict on the test tasks and score the predictions (missing-aware), streaming.

    The test set is read once into a spool (memory stays flat whatever its size), then
    predicted and scored batch by batch. A file's records that can't be read (bad JSON,
    a text over ``max_chars``) are rejected with their line, into ``rejects`` if given,
    and the evaluation goes on: ``Evaluation.stream`` counts them.

    Args:
        model: A pipeline (name, path or object) with an NER, a span categorizer (its spans,
            overlapping ones too, scored as exact spans per label) or a text classifier.
        test: Gold tasks: a file in any format, or tasks in memory. Ignored tasks are skipped.
        labels: Labels to score; by default the model's labels that the gold annotates.
        base: The pipeline the model was updated from: adds the forgetting report.
        format: Override the format the file name implies.
        answer_kind: How accepted answers without ``complete`` are read (``nerforge.io``).
        thresholds: When the forgetting report calls an old label dropped.
        batch_size: Texts per batch.
        seed: Seed of the bootstrap resampling behind ``f_interval``.
        rejects: Where a file's unreadable records go (JSONL, with line and reason).
        max_chars: Texts longer than this are rejected.
        on_scored: Called with each scored task and its predicted spans, in input order
            (an HTML page keeps what it shows this way, without the result holding every text).

    Raises:
        DataError: E020 if there is nothing to score, E021 if a gold label differs from a
            model label only in case, E022 if the gold annotates none of the model's labels.
    """
    nlp = model if isinstance(model, Language) else load_pipeline(model)
    finder = span_component(nlp)  # the NER, or a span categorizer
    if textcat_component(nlp) is None and finder is None:
        raise PipelineError("E402", name=str(model))
    where = Location(display_path(test)) if isinstance(test, (str, Path)) else None
    with RejectLog(rejects) as log, Spool[Task]() as kept:
        if isinstance(test, (str, Path)):
            read = read_leniently(
                test,
                on_reject=log,
                format=format,
                answer_kind=answer_kind,
                max_chars=max_chars,
                # a span categorizer's test spans may overlap without naming its spans key
                spans_key=None if finder in (None, "ner") else span_group_key(nlp, str(finder)),
            )
        else:
            read = as_tasks(test)
        gold = survey(read, kept.append)
        check_not_empty(gold, where)
        plan = _plan(nlp, gold, labels, where)
        base_nlp = load_pipeline(base, need_ner=True) if base is not None and plan.scope is not None else None
        tally = _Tally(
            plan,
            nlp,
            base_nlp,
            gold,
            thresholds=thresholds,
            seed=seed,
            batch_size=batch_size,
            on_scored=on_scored,
        )
        for batch in batched(kept, batch_size):
            tally.add_batch(batch)
        evaluation = tally.evaluation(gold)
    if where is not None:
        evaluation.stream = log.summary(gold.n_read)
    return evaluation


@dataclass(frozen=True)
class _Plan:
    """What to score: NER labels (``scope`` None: no NER scoring) and the text classifier."""

    scope: list[str] | None
    skipped: list[str]
    model_labels: list[str]
    textcat: str | None  # the component whose categories are scored
    exclusive: bool


def _plan(nlp: Language, gold: GoldSurvey, labels: Iterable[str] | None, where: Location | None) -> _Plan:
    component = textcat_component(nlp) if gold.has_cats else None
    finder = span_component(nlp)
    has_ner = finder is not None
    if component is None and not has_ner:
        raise DataError("E026", where)
    exclusive = component is not None and nlp.get_pipe_meta(component).factory == "textcat"
    if not has_ner or (component is not None and not gold.label_counts):  # categories only
        return _Plan(None, [], [], component, exclusive)
    model_labels = entity_labels(nlp) if finder == "ner" else component_labels(nlp, str(finder))
    check_label_case(gold.label_counts, model_labels, where)
    scope, skipped = choose_scope(labels, model_labels, gold.label_counts, where)
    return _Plan(scope, skipped, model_labels, component, exclusive)


class _Tally:
    """Scores, the F interval, categories and forgetting, added up batch by batch."""

    def __init__(
        self,
        plan: _Plan,
        nlp: Language,
        base: Language | None,
        gold: GoldSurvey,
        *,
        thresholds: Thresholds | None,
        seed: int,
        batch_size: int,
        on_scored: OnScored | None = None,
    ) -> None:
        self.plan = plan
        self.scope = frozenset(plan.scope) if plan.scope is not None else None
        # only what is scored runs: the NER with a scope, the classifier with gold categories
        self.work = NerWork(nlp, batch_size, ner=self.scope is not None, textcat=plan.textcat is not None)
        self.scores = Scores()
        self.interval = BootstrapF(seed=seed)
        self.cats = CatTally(exclusive=plan.exclusive) if plan.textcat is not None else None
        self.base_work = None
        self.forgetting = None
        if base is not None:
            self.base_work = NerWork(base, batch_size, textcat=False)
            new = sorted(set(plan.model_labels) - set(entity_labels(base)))
            self.forgetting = ForgettingTally(
                base, gold.accepted_labels, new_labels=new, thresholds=thresholds
            )
        self.predictions: list[TaskPrediction] = []
        self.on_scored = on_scored
        # the gold spans are checked against the tokens of the docs scored (a span finder's only)
        self.gold = gold if span_component(nlp) is not None else None
        self.n_read = 0  # tasks added so far: a task's number in the test data

    def _token_check(self, batch: list[Task]) -> Callable[[Doc], None] | None:
        """What checks each scored doc's gold spans against its tokens, in the batch's order."""
        numbered = [(self.n_read + i, task) for i, task in enumerate(batch, 1) if task.answer != "ignore"]
        self.n_read += len(batch)
        if self.gold is None:
            return None
        gold, pending = self.gold, iter(numbered)

        def check(doc: Doc) -> None:
            number, task = next(pending)
            gold.check_tokens(task, doc, number)

        return check

    def add_batch(self, batch: list[Task]) -> None:
        """Predict a batch of tasks and count it; ignored tasks only keep their place."""
        tasks = [task for task in batch if task.answer != "ignore"]
        texts = [task.text for task in tasks]
        predicted = iter(self.work(texts, self._token_check(batch)))
        base_found = iter(self.base_work(texts)) if self.base_work is not None else None
        for task in batch:
            if task.answer == "ignore":
                self.predictions.append(TaskPrediction(ignored=True))
                continue
            found = next(predicted)
            self.predictions.append(TaskPrediction(tuple(found.spans)))
            if self.cats is not None:
                self.cats.add(task, found.cats or {})
            if self.scope is None:
                continue
            self.interval.add(add_task(self.scores, task, found.spans, self.scope))
            if self.on_scored is not None:
                self.on_scored(task, found.spans)
            if self.forgetting is not None and base_found is not None:
                self.forgetting.add(task, next(base_found).spans, found.spans)

    def evaluation(self, gold: GoldSurvey) -> Evaluation:
        """The evaluation of every task added."""
        cats = self.cats.scores() if self.cats is not None else None
        if self.plan.scope is None:
            return Evaluation(
                Scores(), [], n_ignored_tasks=gold.n_ignored, predictions=self.predictions, cats=cats
            )
        scope = self.plan.scope
        return Evaluation(
            self.scores,
            scope,
            unscored_labels(gold.label_counts, scope),
            self.plan.skipped,
            gold.n_ignored,
            self.interval.interval(),
            self.predictions,
            self.forgetting.report() if self.forgetting is not None else None,
            cats,
            n_cut_spans=gold.n_cut_spans,
            cut_examples=tuple(gold.cut_examples),
            n_partial_tasks=gold.n_partial,
        )


def f_interval(
    gold: Iterable[Task], predicted: Iterable[list[Span]], labels: list[str], *, seed: int = 0
) -> tuple[float, float]:
    """The bootstrap interval of overall F (0 to 1) over tasks (see ``nerforge.evaluation.interval``)."""
    in_scope, scores, interval = frozenset(labels), Scores(), BootstrapF(seed=seed)
    for task, spans in zip(gold, predicted, strict=True):
        interval.add(add_task(scores, task, spans, in_scope))
    return interval.interval()


def _pipeline(model: str | Path | Language) -> Language:
    return model if isinstance(model, Language) else load_pipeline(model, need_ner=True)


def explore(
    model: str | Path | Language,
    texts: Iterable[str],
    *,
    labels: Iterable[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Yield each text with its predicted entities as ``(text, label)`` pairs: the course's table.

    With ``labels``, only entities of those labels are shown.
    """
    nlp = _pipeline(model)
    keep = frozenset(labels) if labels is not None else None
    text_list = list(texts)  # small by nature: a table for a person to read
    for text, spans in zip(text_list, predict_spans(nlp, text_list, batch_size=batch_size), strict=True):
        yield text, [(text[s.start : s.end], s.label) for s in spans if keep is None or s.label in keep]


def explore_html(
    model: str | Path | Language,
    texts: Iterable[str],
    path: str | Path,
    *,
    labels: Iterable[str] | None = None,
) -> None:
    """displaCy entity HTML of the model's predictions on the texts."""
    write_explore_html(_pipeline(model), texts, path, labels=labels)
