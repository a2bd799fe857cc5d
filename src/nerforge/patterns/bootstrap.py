"""Bootstrapping silver tasks from raw texts and patterns (and optionally a base model)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ParameterError
from ..formats import PhraseAttr
from ..formats import Unmatched as Unmatched  # noqa: PLC0414 - declared in formats, re-exported
from ..io import Format
from ..io.streaming import MAX_TEXT_CHARS
from ..parallel import Plan, Progress, Work, run_tasks
from ..parallel.files import FileRun, NProcess, RunSummary, run_file
from ..pipelines import components_for, load_pipeline, memory_zone_after, source_name
from ..records import Pattern, Span, Task
from .loading import load_patterns
from .matching import PatternMatcher, merge_tiers

DEFAULT_BATCH_SIZE = 1000  # texts per tokenizer/model batch; large enough to amortise, small for memory


@dataclass
class MatchCounts:
    """What a bootstrap run found, filled in as its tasks stream out.

    Attributes:
        n_texts: Texts seen.
        n_words: Tokens seen (for words/sec).
        n_unmatched: Texts no pattern matched.
        per_pattern: Matches per pattern id, before overlaps are resolved.
        kept_per_pattern: Matches per pattern id whose span is written as accepted (never more
            than its matches: a span the task already had counts when the pattern matched it).
        per_label: Accepted spans written per label (the task's own, patterns' and base model's).
        run: For a file run: records read, written and rejected, and how it ran.
    """

    n_texts: int = 0
    n_words: int = 0
    n_unmatched: int = 0
    per_pattern: Counter[str] = field(default_factory=Counter)
    kept_per_pattern: Counter[str] = field(default_factory=Counter)
    per_label: Counter[str] = field(default_factory=Counter)
    run: RunSummary | None = None


def bootstrap(
    tasks: Iterable[Task],
    patterns: Sequence[Pattern],
    *,
    nlp: Language,
    base_ner: bool = False,
    unmatched: Unmatched = "missing",
    phrase_attr: PhraseAttr = "ORTH",
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    counts: MatchCounts | None = None,
    category: str | None = None,
) -> Iterator[Task]:
    """Yield each task with the spans its patterns match: silver training data.

    Overlapping matches are resolved longest-first; spans a task already had are kept
    and win, and a span it rejects stays rejected (a match on exactly that span is not
    added). Texts without a match are yielded too (they are the negatives). A task keeps
    its ``complete``; ``base_ner`` or ``unmatched="outside"`` makes every task complete.

    Args:
        tasks: The texts, as tasks (spans they carry are kept).
        patterns: The patterns.
        nlp: The pipeline to tokenize with. With ``base_ner`` its NER runs too, and its
            entities of labels the patterns don't produce are merged in (pattern spans win).
        base_ner: Merge the pipeline's entities; the task is then complete.
        unmatched: Without ``base_ner``: whether tokens no pattern marks are ``missing``
            (unknown; the default: each task keeps its ``complete``, false for a raw text)
            or ``outside`` (tasks written as complete).
        phrase_attr: Token attribute phrase patterns compare.
        n_process: Worker processes for tokenizing, matching and the NER.
        batch_size: Texts per batch.
        counts: Filled in with what was found, as the stream is consumed.
        category: Also seed this text category: ``cats[category]`` is 1.0 where a pattern
            matched and 0.0 where none did (a category a task already has is kept).
    """
    _check_positive("n_process", n_process)
    _check_positive("batch_size", batch_size)
    if base_ner and "ner" not in nlp.pipe_names:
        expected = "False for a pipeline without an 'ner' component"
        raise ParameterError(
            "E403", parameter="base_ner", owner="bootstrap", expected=expected, value=base_ner
        )
    finder = _SpanFinder(nlp, PatternMatcher(nlp, patterns, phrase_attr=phrase_attr), base_ner)
    pairs = run_tasks(tasks, Work(local=finder), plan=Plan(n_process, batch_size))
    complete = base_ner or unmatched == "outside"
    return silver_tasks(pairs, complete, counts, category=category)


def silver_tasks(
    pairs: Iterable[tuple[Task, _Found]],
    complete: bool,
    counts: MatchCounts | None,
    *,
    category: str | None = None,
) -> Iterator[Task]:
    """Each task with the spans found in its text merged in, counted as it goes out.

    A task is written complete if ``complete`` (the run marks every token) or if it was
    complete already (a reviewed task stays as the review left it). With ``category``, that
    category is seeded from whether a pattern matched.
    """
    counts = counts if counts is not None else MatchCounts()
    for task, found in pairs:
        spans = _merge(task, found)
        _count(counts, found, spans)
        cats = task.cats
        if category is not None and category not in cats:
            cats = {**cats, category: 1.0 if found.pattern_spans else 0.0}
        is_complete = complete or task.complete
        if spans == task.spans and is_complete == task.complete and cats is task.cats:
            yield task  # nothing found in a raw text: the same record goes out
        else:
            yield Task(task.text, spans, task.answer, is_complete, task.meta, task.extra, task.origin, cats)


def _merge(task: Task, found: _Found) -> tuple[Span, ...]:
    if not task.spans:  # the common case, raw text: skip the tiers of given spans
        return merge_tiers(found.pattern_spans, found.model_spans)
    rejected = task.rejected_spans
    pattern_spans, model_spans = found.pattern_spans, found.model_spans
    if rejected:  # a review's "no" stands: a match on exactly a rejected span is not added
        refused = _rejected_keys(rejected)
        pattern_spans = [span for span in pattern_spans if span not in refused]
        model_spans = [span for span in model_spans if span not in refused]
    merged = merge_tiers(task.accepted_spans, pattern_spans, model_spans)
    return tuple(sorted(merged + rejected))  # Task's spans are sorted, rejected ones too


def _rejected_keys(rejected: Sequence[Span]) -> frozenset[Span]:
    """The rejected spans as accepted ones: what a found span (answer ``accept``) equals if rejected.

    Span equality compares start, end, label and answer, not source.
    """
    return frozenset(Span(span.start, span.end, span.label) for span in rejected)


class _Found(NamedTuple):
    n_words: int
    pattern_spans: list[Span]
    model_spans: list[Span]


class _SpanFinder:
    """Tokenizes (and runs the base NER), then finds pattern and model spans per text."""

    def __init__(self, nlp: Language, matcher: PatternMatcher, base_ner: bool) -> None:
        self.nlp = nlp
        self.matcher = matcher
        self.base_ner = base_ner
        self.model_name = source_name(nlp)
        self._n_done = 0  # texts read: memory zones start past the first ones

    def __call__(self, texts: list[str]) -> list[_Found]:
        """The spans of a batch of texts: what a worker sends back (no Docs).

        Past the first texts each batch runs in a spaCy memory zone, so the vocab does not
        grow with the corpus (see ``nerforge.pipelines.memory_zone_after``).
        """
        with memory_zone_after(self.nlp, self._n_done):
            found = list(self.pipe(texts, batch_size=len(texts)))
        self._n_done += len(texts)
        return found

    def pipe(self, texts: Iterable[str], batch_size: int) -> Iterator[_Found]:
        for doc in self._docs(texts, batch_size):
            model_spans = self._model_spans(doc) if self.base_ner else []
            yield _Found(len(doc), self.matcher.find_spans(doc), model_spans)

    def _docs(self, texts: Iterable[str], batch_size: int) -> Iterator[Doc]:
        if not self.base_ner:  # the tokenizer alone: no tagger, parser or NER to pay for
            tokenizer: Any = self.nlp.tokenizer
            yield from tokenizer.pipe(texts, batch_size=batch_size)
            return
        enabled = components_for(self.nlp, "ner")
        with self.nlp.select_pipes(enable=enabled):
            yield from self.nlp.pipe(texts, batch_size=batch_size)

    def _model_spans(self, doc: Doc) -> list[Span]:
        labels = self.matcher.labels
        return [
            Span(ent.start_char, ent.end_char, ent.label_, source=self.model_name)
            for ent in doc.ents
            if ent.label_ not in labels
        ]


@dataclass(frozen=True)
class BootstrapJob:
    """What a Dask worker needs to bootstrap: paths every worker reaches, and settings.

    Built once per worker into the same finder a single process uses.
    """

    patterns: str
    base: str | None = None
    lang: str = "en"
    phrase_attr: PhraseAttr = "ORTH"

    def build(self) -> Callable[[list[str]], list[_Found]]:
        """Load the pipeline and patterns, once per worker, into the finder a single process uses."""
        nlp = load_pipeline(self.base, need_ner=True) if self.base is not None else spacy.blank(self.lang)
        matcher = PatternMatcher(nlp, load_patterns(self.patterns), phrase_attr=self.phrase_attr)
        return _SpanFinder(nlp, matcher, self.base is not None)


def _count(counts: MatchCounts, found: _Found, written: tuple[Span, ...]) -> None:
    """Tally a text; a match counts as kept when its span is written as accepted."""
    counts.n_texts += 1
    counts.n_words += found.n_words
    if not written:  # most texts: nothing matched, nothing to tally per pattern or label
        counts.n_unmatched += 1
        return
    if not found.pattern_spans:
        counts.n_unmatched += 1
    accepted = frozenset(span for span in written if span.is_accepted)
    kept = [span for span in found.pattern_spans if span in accepted]
    counts.per_pattern.update(span.source for span in found.pattern_spans if span.source)
    counts.kept_per_pattern.update(span.source for span in kept if span.source)
    counts.per_label.update(span.label for span in accepted)


def _check_positive(name: str, value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ParameterError("E403", parameter=name, owner="bootstrap", expected="an int >= 1", value=value)


def bootstrap_files(
    raw: str | Path,
    patterns: str | Path,
    output: str | Path,
    *,
    base: str | Path | None = None,
    lang: str = "en",
    unmatched: Unmatched = "missing",
    phrase_attr: PhraseAttr = "ORTH",
    n_process: NProcess = 1,
    batch_size: int | None = None,
    scheduler: str | None = None,
    partitioned: bool = False,
    input_format: Format | None = None,
    output_format: Format | None = None,
    max_chars: int = MAX_TEXT_CHARS,
    rejects: str | Path | None = None,
    progress: Progress | None = None,
    category: str | None = None,
) -> MatchCounts:
    """``nerforge bootstrap``: stream texts through the patterns, write silver tasks atomically.

    Records that can't be read (bad JSON, a text over ``max_chars``) are written to a
    reject file, each with its line and the reason, and the run goes on. Raw text lines
    keep their line number in ``meta["line"]``. The output is in input order and the
    same bytes whichever way the run is spread.

    Args:
        raw: Texts in any readable format ('-' for stdin; ``.gz`` is decompressed).
        patterns: A pattern JSONL file.
        output: Where the tasks go ('-' for stdout; ``.gz`` compresses), or a folder
            with ``partitioned``.
        base: A pipeline (package name or path) whose entities complete each task.
        lang: Language of the blank tokenizer when there is no base.
        unmatched: As in :func:`bootstrap`: whether tokens no pattern marks are missing or outside.
        phrase_attr: As in :func:`bootstrap`: the token attribute phrase patterns compare.
        n_process: Worker processes on this machine, or ``"auto"`` (see ``nerforge.parallel.auto``).
        batch_size: Texts per batch (per partition on Dask); by default 1000, or chosen by ``"auto"``.
        scheduler: ``"local"``, ``"local:N"`` or a Dask scheduler address: run on Dask.
        partitioned: Write ``output/part-00000.jsonl``... one file per batch.
        input_format: Override the format the input's file name implies.
        output_format: Override the format the output's file name implies.
        max_chars: Texts longer than this are rejected.
        rejects: The reject file (default: ``OUT.rejects.jsonl`` beside the output).
        progress: Called after each batch with its number of texts and words.
        category: As in :func:`bootstrap`: seed this text category from the matches.

    Returns:
        The counts of what was found; ``counts.run`` says what was read, written and rejected.
    """
    loaded = load_patterns(patterns)
    base_name = None if base is None else _reachable(base)
    job = BootstrapJob(str(Path(patterns).resolve()), base_name, lang, phrase_attr)
    # on this machine the pipeline is loaded here, before workers fork; on Dask, by each worker
    local = None if scheduler is not None else _local_finder(loaded, base, lang, phrase_attr)
    counts = MatchCounts()
    complete = base is not None or unmatched == "outside"
    counts.run = run_file(
        FileRun(raw, output, input_format, output_format, max_chars, rejects, partitioned, lang),
        Work(local=local, job=job),
        lambda pairs: silver_tasks(pairs, complete, counts, category=category),
        n_process=n_process,
        batch_size=batch_size,
        default_batch_size=DEFAULT_BATCH_SIZE,
        scheduler=scheduler,
        progress=progress,
    )
    return counts


def _local_finder(
    patterns: Sequence[Pattern], base: str | Path | None, lang: str, phrase_attr: PhraseAttr
) -> _SpanFinder:
    nlp = load_pipeline(base, need_ner=True) if base is not None else spacy.blank(lang)
    return _SpanFinder(nlp, PatternMatcher(nlp, patterns, phrase_attr=phrase_attr), base is not None)


def _reachable(model: str | Path) -> str:
    """A pipeline folder as an absolute path (Dask workers run elsewhere); a package name as is."""
    path = Path(model)
    return str(path.resolve()) if path.exists() else str(model)
