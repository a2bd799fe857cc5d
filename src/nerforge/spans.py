"""Span helpers shared by patterns, training, evaluation, the store and the review page.

Overlap resolution, prediction, and the one rule of token alignment that the review page
and ``nerforge db import`` both apply. They sit below those packages so that none of them
reaches into another for them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .pipelines import components_for, span_group_key
from .records import Span

DEFAULT_BATCH_SIZE = 256  # texts per nlp.pipe batch: spaCy's default order of magnitude
# (start, end) character offsets of a text's non-space tokens, in order (the review page's tokens)
TokenOffsets = Sequence[tuple[int, int]]


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


def outermost(spans: Iterable[Span]) -> list[Span]:
    """The spans no other span contains (a span repeated is kept once); crossing ones all stay."""
    spans = sorted({(s.start, s.end): s for s in reversed(list(spans))}.values())
    return [
        span
        for span in spans
        if not any(o is not span and o.start <= span.start and span.end <= o.end for o in spans)
    ]


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


def predict_span_group(
    nlp: Language, texts: Iterable[str], *, component: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[list[Span]]:
    """Yield the spans a span categorizer finds in each text (they may overlap), sorted.

    Only the component and what it listens to run; its spans are read from ``doc.spans`` under its key.
    """
    key = span_group_key(nlp, component)
    with nlp.select_pipes(enable=components_for(nlp, component)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            group = doc.spans.get(key, ())
            yield sorted(Span(s.start_char, s.end_char, s.label_) for s in group)


def token_offsets(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` offsets of the doc's non-space tokens: what a span must start and end on."""
    return tuple((token.idx, token.idx + len(token)) for token in doc if not token.is_space)


@dataclass(frozen=True, slots=True)
class Misaligned:
    """A span that starts or ends inside a token (or on whitespace), and the nearest aligned spans.

    Attributes:
        span: The span.
        contract: ``(start, end)`` of the tokens wholly inside it; None if no token is.
        expand: ``(start, end)`` of the tokens it touches; None if it touches only whitespace.
    """

    span: Span
    contract: tuple[int, int] | None
    expand: tuple[int, int] | None

    def fix(self, text: str) -> str:
        """The nearest fixes, as lint's L101 words them: ``contract to 3-9 'ipad', or expand to ...``."""
        contract = _offsets(text, self.contract, "nothing (no token lies wholly inside: delete the span)")
        expand = _offsets(text, self.expand, "nothing (it holds only whitespace: delete the span)")
        return f"contract to {contract}, or expand to {expand}"


def misalignment(span: Span, tokens: TokenOffsets) -> Misaligned | None:
    """None if the span starts on a token's start and ends on a token's end; else how to align it.

    The one rule for stored spans: the review page refuses (422) and ``nerforge db import``
    rejects (E310) a span that breaks it. ``tokens`` are :func:`token_offsets`.
    """
    first_inside = bisect_left(tokens, span.start, key=_start)
    last_before = bisect_left(tokens, span.end, key=_end)
    if (
        first_inside < len(tokens)
        and tokens[first_inside][0] == span.start
        and last_before < len(tokens)
        and tokens[last_before][1] == span.end
    ):
        return None
    last_inside = bisect_right(tokens, span.end, key=_end) - 1
    first_touched = bisect_right(tokens, span.start, key=_end)
    last_touched = bisect_left(tokens, span.end, key=_start) - 1
    contract = (tokens[first_inside][0], tokens[last_inside][1]) if first_inside <= last_inside else None
    expand = (tokens[first_touched][0], tokens[last_touched][1]) if first_touched <= last_touched else None
    return Misaligned(span, contract, expand)


def _start(offsets: tuple[int, int]) -> int:
    return offsets[0]


def _end(offsets: tuple[int, int]) -> int:
    return offsets[1]


def _offsets(text: str, offsets: tuple[int, int] | None, none: str) -> str:
    if offsets is None:
        return none
    return f"{offsets[0]}-{offsets[1]} {text[offsets[0] : offsets[1]]!r}"
