"""Bootstrapping silver tasks from raw texts and patterns (and optionally a base model)."""

from __future__ import annotations

import itertools
import multiprocessing
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ParameterError
from ..io import Format, read_tasks, write_tasks
from ..pipelines import components_for, load_pipeline
from ..records import Pattern, Span, Task
from .loading import load_patterns
from .matching import PatternMatcher, PhraseAttr, merge_tiers

T = TypeVar("T")
Unmatched = Literal["missing", "outside"]
DEFAULT_BATCH_SIZE = 1000  # texts per tokenizer/model batch; large enough to amortise, small for memory


@dataclass
class MatchCounts:
    """What a bootstrap run found, filled in as its tasks stream out.

    Attributes:
        n_texts: Texts seen.
        n_words: Tokens seen (for words/sec).
        n_unmatched: Texts no pattern matched.
        per_pattern: Matches per pattern id, before overlaps are resolved.
        kept_per_pattern: Spans per pattern id that made it into the tasks.
        per_label: Spans written per label (patterns and base model alike).
    """

    n_texts: int = 0
    n_words: int = 0
    n_unmatched: int = 0
    per_pattern: Counter[str] = field(default_factory=Counter)
    kept_per_pattern: Counter[str] = field(default_factory=Counter)
    per_label: Counter[str] = field(default_factory=Counter)


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
) -> Iterator[Task]:
    """Yield each task with the spans its patterns match: silver training data.

    Overlapping matches are resolved longest-first; spans a task already had are kept
    and win. Texts without a match are yielded too (they are the negatives).

    Args:
        tasks: The texts, as tasks (spans they carry are kept).
        patterns: The patterns.
        nlp: The pipeline to tokenize with. With ``base_ner`` its NER runs too, and its
            entities of labels the patterns don't produce are merged in (pattern spans win).
        base_ner: Merge the pipeline's entities; the task is then complete.
        unmatched: Without ``base_ner``: whether tokens no pattern marks are ``missing``
            (unknown; the default, tasks written as incomplete) or ``outside``.
        phrase_attr: Token attribute phrase patterns compare.
        n_process: Worker processes for tokenizing, matching and the NER.
        batch_size: Texts per batch.
        counts: Filled in with what was found, as the stream is consumed.
    """
    _check_positive("n_process", n_process)
    _check_positive("batch_size", batch_size)
    if base_ner and "ner" not in nlp.pipe_names:
        raise ParameterError("E403", parameter="base_ner", detail="needs a pipeline with an 'ner' component")
    counts = counts if counts is not None else MatchCounts()
    finder = _SpanFinder(nlp, PatternMatcher(nlp, patterns, phrase_attr=phrase_attr), base_ner)
    complete = base_ner or unmatched == "outside"
    if n_process == 1:
        pairs = _find_sequential(finder, tasks, batch_size)
    else:
        pairs = _find_parallel(finder, tasks, n_process, batch_size)
    for task, found in pairs:
        spans = _merge(task, found)
        _count(counts, found, spans, finder.matcher.labels)
        if spans == task.spans and complete == task.complete:
            yield task  # nothing found in a raw text: the same record goes out
        else:
            yield Task(task.text, spans, task.answer, complete, task.meta, task.extra, task.origin)


def _merge(task: Task, found: _Found) -> tuple[Span, ...]:
    if not task.spans:  # the common case, raw text: skip the tiers of given spans
        return merge_tiers(found.pattern_spans, found.model_spans)
    return merge_tiers(task.accepted_spans, found.pattern_spans, found.model_spans) + task.rejected_spans


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
        self.model_name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"

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


# The finder a worker process inherited when it was forked (set by _init_worker).
_worker_finder: _SpanFinder | None = None


def _init_worker(finder: _SpanFinder) -> None:
    global _worker_finder  # noqa: PLW0603 - per-process state of a multiprocessing pool
    _worker_finder = finder


def _find_batch(texts: list[str]) -> list[_Found]:
    assert _worker_finder is not None
    return list(_worker_finder.pipe(texts, batch_size=len(texts)))


def _find_sequential(
    finder: _SpanFinder, tasks: Iterable[Task], batch_size: int
) -> Iterator[tuple[Task, _Found]]:
    for batch in _batched(tasks, batch_size):
        yield from zip(batch, finder.pipe([task.text for task in batch], batch_size), strict=True)


def _find_parallel(
    finder: _SpanFinder, tasks: Iterable[Task], n_process: int, batch_size: int
) -> Iterator[tuple[Task, _Found]]:
    """Find spans in worker processes that send back spans, not Docs.

    spaCy's ``nlp.pipe(n_process=...)`` ships every Doc back to the main process, which
    costs more than tokenizing (measured: 0.34x one process). Workers are forked, so
    the pipeline and patterns are shared, not pickled. At most two batches per worker
    are in flight, so memory does not grow with the corpus.
    """
    context = multiprocessing.get_context("fork")
    pending: deque[tuple[list[Task], AsyncResult[list[_Found]]]] = deque()
    with context.Pool(n_process, initializer=_init_worker, initargs=(finder,)) as pool:
        for batch in _batched(tasks, batch_size):
            texts = [task.text for task in batch]
            pending.append((batch, pool.apply_async(_find_batch, (texts,))))
            if len(pending) >= 2 * n_process:
                done, result = pending.popleft()
                yield from zip(done, result.get(), strict=True)
        while pending:
            done, result = pending.popleft()
            yield from zip(done, result.get(), strict=True)


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _count(counts: MatchCounts, found: _Found, kept: tuple[Span, ...], labels: frozenset[str]) -> None:
    counts.n_texts += 1
    counts.n_words += found.n_words
    if not kept:  # most texts: nothing to tally per pattern or label
        counts.n_unmatched += 1
        return
    counts.per_pattern.update(span.source for span in found.pattern_spans if span.source)
    kept_pattern_spans = [span for span in kept if span.label in labels]
    if not kept_pattern_spans:
        counts.n_unmatched += 1
    counts.kept_per_pattern.update(span.source for span in kept_pattern_spans if span.source)
    counts.per_label.update(span.label for span in kept)


def _check_positive(name: str, value: int) -> None:
    if not isinstance(value, int) or value < 1:
        raise ParameterError(
            "E403", parameter=name, detail=f"of bootstrap must be an int >= 1. Got {value!r} instead"
        )


def bootstrap_files(
    raw: str | Path,
    patterns: str | Path,
    output: str | Path,
    *,
    base: str | Path | None = None,
    lang: str = "en",
    unmatched: Unmatched = "missing",
    phrase_attr: PhraseAttr = "ORTH",
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    input_format: Format | None = None,
    output_format: Format | None = None,
) -> MatchCounts:
    """``nerforge bootstrap``: read texts and patterns, write silver tasks atomically.

    Args:
        raw: Texts in any readable format ('-' for stdin).
        patterns: A pattern JSONL file.
        output: Where the tasks go ('-' for stdout).
        base: A pipeline (package name or path) whose entities complete each task.
        lang: Language of the blank tokenizer when there is no base.
        unmatched, phrase_attr, n_process, batch_size: As in :func:`bootstrap`.
        input_format, output_format: Override the format the file names imply.

    Returns:
        The counts of what was found.
    """
    loaded = load_patterns(patterns)
    nlp = load_pipeline(base, need_ner=True) if base is not None else spacy.blank(lang)
    counts = MatchCounts()
    tasks = bootstrap(
        read_tasks(raw, format=input_format),
        loaded,
        nlp=nlp,
        base_ner=base is not None,
        unmatched=unmatched,
        phrase_attr=phrase_attr,
        n_process=n_process,
        batch_size=batch_size,
        counts=counts,
    )
    write_tasks(tasks, output, format=output_format, lang=lang)
    return counts
