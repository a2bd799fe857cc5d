"""Span helpers shared by patterns, training and evaluation: overlap resolution and prediction.

They sit below those packages so that none of them reaches into another for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from spacy.language import Language

from .pipelines import components_for
from .records import Span

DEFAULT_BATCH_SIZE = 256  # texts per nlp.pipe batch: spaCy's default order of magnitude


def longest_first(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans: longer ones win, then the earlier one (spaCy's filter_spans)."""
    spans = list(spans)
    if len(spans) < 2:  # most texts: nothing to resolve
        return spans
    ranked = sorted(spans, key=lambda s: (s.end - s.start, -s.start), reverse=True)
    kept: list[Span] = []
    for span in ranked:
        if not any(span.overlaps(other) for other in kept):
            kept.append(span)
    return sorted(kept)


def merge_tiers(*tiers: Sequence[Span]) -> tuple[Span, ...]:
    """Merge span lists in priority order: a span never displaces one of an earlier tier.

    Within a tier, overlaps are resolved longest-first.
    """
    filled = [tier for tier in tiers if tier]
    if not filled:
        return ()
    if len(filled) == 1:  # one tier: nothing of an earlier tier to give way to
        return tuple(longest_first(filled[0]))
    kept: list[Span] = []
    for tier in tiers:
        kept += [s for s in longest_first(tier) if not any(s.overlaps(k) for k in kept)]
    return tuple(sorted(kept))


def predict_spans(
    nlp: Language, texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE, n_process: int = 1
) -> Iterator[list[Span]]:
    """Yield the entities the pipeline finds in each text; only the NER and what it needs run."""
    enabled = components_for(nlp, "ner")
    with nlp.select_pipes(enable=enabled):
        for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            yield [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]
