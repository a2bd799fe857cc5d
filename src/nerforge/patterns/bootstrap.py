"""Bootstrapping silver tasks from raw texts and patterns (and optionally a base model)."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ParameterError
from ..io import Format, read_tasks, write_tasks
from ..pipelines import components_for, load_pipeline
from ..records import Pattern, Span, Task
from .loading import load_patterns
from .matching import PatternMatcher, PhraseAttr, merge_tiers

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
        n_process: Processes for tokenizing and the NER (spaCy's multiprocessing).
        batch_size: Texts per batch.
        counts: Filled in with what was found, as the stream is consumed.
    """
    _check_positive("n_process", n_process)
    _check_positive("batch_size", batch_size)
    if base_ner and "ner" not in nlp.pipe_names:
        raise ParameterError("E403", parameter="base_ner", detail="needs a pipeline with an 'ner' component")
    counts = counts if counts is not None else MatchCounts()
    matcher = PatternMatcher(nlp, patterns, phrase_attr=phrase_attr)
    complete = base_ner or unmatched == "outside"
    model_name = f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"
    tasks, texts_source = itertools.tee(tasks)
    docs = _pipe_docs(nlp, (task.text for task in texts_source), base_ner, n_process, batch_size)
    for task, doc in zip(tasks, docs, strict=True):
        found = matcher.find_spans(doc)
        model_spans = _model_spans(doc, matcher.labels, model_name) if base_ner else []
        spans = merge_tiers(task.accepted_spans, found, model_spans)
        _count(counts, doc, found, spans, matcher.labels)
        yield task.with_spans(spans + task.rejected_spans, complete=complete)


def _pipe_docs(
    nlp: Language, texts: Iterable[str], base_ner: bool, n_process: int, batch_size: int
) -> Iterator[Doc]:
    if not base_ner and n_process == 1:
        tokenizer: Any = nlp.tokenizer
        return tokenizer.pipe(texts, batch_size=batch_size)  # type: ignore[no-any-return]
    enabled = components_for(nlp, "ner") if base_ner else []
    disabled = [name for name in nlp.pipe_names if name not in enabled]
    return _pipe_with_disabled(nlp, texts, disabled, n_process, batch_size)


def _pipe_with_disabled(
    nlp: Language, texts: Iterable[str], disabled: list[str], n_process: int, batch_size: int
) -> Iterator[Doc]:
    with nlp.select_pipes(disable=disabled):
        yield from nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


def _model_spans(doc: Doc, pattern_labels: frozenset[str], model_name: str) -> list[Span]:
    return [
        Span(ent.start_char, ent.end_char, ent.label_, source=model_name)
        for ent in doc.ents
        if ent.label_ not in pattern_labels
    ]


def _count(
    counts: MatchCounts, doc: Doc, found: list[Span], kept: tuple[Span, ...], labels: frozenset[str]
) -> None:
    counts.n_texts += 1
    counts.n_words += len(doc)
    counts.per_pattern.update(span.source for span in found if span.source)
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
