"""Questions for the review page: texts tokenized, with suggestions from the source, patterns or a model."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..patterns import PatternMatcher, merge_tiers
from ..pipelines import components_for, source_name
from ..records import Pattern, Span, Task
from ..spans import token_offsets
from ..storage import input_hash, task_hash

BATCH_SIZE = 8  # texts a model runs on at once: small, so the first task shows fast


@dataclass(frozen=True, slots=True)
class Question:
    """A task as the page shows it: suggested spans and the tokenizer's token offsets.

    Attributes:
        task: The text with its suggested spans (incomplete: nothing is reviewed yet).
        tokens: ``(start, end)`` character offsets of the non-space tokens; every span
            the page sends back must start and end on them.
        input_hash: The hash of the text.
        task_hash: The hash of the text and its suggestions (the question's id).
    """

    task: Task
    tokens: tuple[tuple[int, int], ...]
    input_hash: int
    task_hash: int


class Suggester:
    """Tokenizes texts with ``nlp`` and suggests spans of the labels in scope.

    Spans the source task carries win over pattern matches, which win over the model's
    entities: the merge rule of ``nerforge bootstrap``. Spans off token boundaries are
    widened to the tokens they touch, so a saved span always aligns. The source's spans of
    other labels stay in the question: the page doesn't show them, and an answer keeps them.

    Args:
        nlp: The pipeline whose tokenizer (and, with ``use_model``, NER) runs.
        labels: The labels in scope; suggestions of other labels are dropped.
        patterns: Patterns to match on the fly.
        use_model: Suggest the pipeline's entities.
        overlapping: A span group's suggestions (spancat): every source's spans are kept, even
            where they overlap; only a repeat of a span with its label is dropped.
    """

    def __init__(
        self,
        nlp: Language,
        labels: Sequence[str],
        *,
        patterns: Sequence[Pattern] = (),
        use_model: bool = False,
        overlapping: bool = False,
    ) -> None:
        self.nlp = nlp
        self.labels = frozenset(labels)
        self.matcher = PatternMatcher(nlp, patterns) if patterns else None
        self.use_model = use_model
        self.model_name = source_name(nlp)
        self.overlapping = overlapping

    def pipe(self, tasks: Iterable[Task], *, batch_size: int = BATCH_SIZE) -> Iterator[Question]:
        """Yield each task as a question, in order, computing suggestions a batch at a time."""
        iterator = iter(tasks)
        while batch := list(itertools.islice(iterator, batch_size)):
            docs = self._docs([task.text for task in batch])
            for task, doc in zip(batch, docs, strict=True):
                yield self._question(task, doc)

    def question(self, task: Task) -> Question:
        """A question for a task whose spans are kept as they are (a stored one, reopened)."""
        doc = self._tokenize([task.text])[0]
        return Question(task, token_offsets(doc), input_hash(task), task_hash(task))

    def _docs(self, texts: list[str]) -> list[Doc]:
        if not self.use_model:
            return self._tokenize(texts)
        with self.nlp.select_pipes(enable=components_for(self.nlp, "ner")):
            return list(self.nlp.pipe(texts, batch_size=len(texts)))

    def _tokenize(self, texts: list[str]) -> list[Doc]:
        tokenizer: Any = self.nlp.tokenizer
        return list(tokenizer.pipe(texts))

    def _question(self, task: Task, doc: Doc) -> Question:
        given = self._aligned(doc, task.accepted_spans)
        found = self.matcher.find_spans(doc) if self.matcher is not None else []
        patterns = [span for span in found if span.label in self.labels]
        model = [
            Span(ent.start_char, ent.end_char, ent.label_, source=self.model_name)
            for ent in (doc.ents if self.use_model else ())
            if ent.label_ in self.labels
        ]
        spans = (
            _every_span(given, patterns, model) if self.overlapping else merge_tiers(given, patterns, model)
        )
        extra = {key: value for key, value in task.extra.items() if key != "_task_hash"}
        question = Task(task.text, spans, "accept", False, task.meta, extra, task.origin)
        return Question(question, token_offsets(doc), input_hash(question), task_hash(question))

    def _aligned(self, doc: Doc, spans: Iterable[Span]) -> list[Span]:
        aligned = []
        for span in spans:
            widened = doc.char_span(span.start, span.end, alignment_mode="expand")
            if widened is not None and len(widened):
                aligned.append(Span(widened.start_char, widened.end_char, span.label, source=span.source))
        return aligned


def _every_span(*tiers: Iterable[Span]) -> tuple[Span, ...]:
    """Every span of every tier, sorted; a repeat (offsets and label) keeps the earlier tier's."""
    kept: dict[tuple[int, int, str], Span] = {}
    for tier in tiers:
        for span in tier:
            kept.setdefault((span.start, span.end, span.label), span)
    return tuple(sorted(kept.values()))
