"""Finding pattern spans in Docs, with provenance, and resolving overlaps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc

from ..records import Pattern, Span

PhraseAttr = Literal["ORTH", "LOWER", "NORM"]


class PatternMatcher:
    """Finds the spans a list of patterns matches (spaCy's Matcher and PhraseMatcher).

    Args:
        nlp: The pipeline whose vocab and tokenizer the Docs come from. It is not changed.
        patterns: The patterns; each span keeps its pattern's id as ``source``.
        phrase_attr: Token attribute phrase patterns compare (``ORTH`` is case-sensitive,
            as in Prodigy; ``LOWER`` ignores case).
    """

    def __init__(
        self, nlp: Language, patterns: Sequence[Pattern], *, phrase_attr: PhraseAttr = "ORTH"
    ) -> None:
        self.patterns = list(patterns)
        self.labels = frozenset(p.label for p in patterns)
        self._ruler = SpanRuler(
            nlp, name="nerforge_patterns", spans_key=None, phrase_matcher_attr=phrase_attr
        )
        self._ruler.add_patterns([_as_ruler_pattern(p) for p in patterns])

    def find_spans(self, doc: Doc) -> list[Span]:
        """Every match, overlapping ones included, as spans whose source is the pattern id."""
        return [
            Span(match.start_char, match.end_char, match.label_, source=match.id_)
            for match in self._ruler.match(doc)
        ]


def _as_ruler_pattern(pattern: Pattern) -> dict[str, Any]:
    body: str | list[dict[str, Any]] = (
        pattern.pattern if isinstance(pattern.pattern, str) else [dict(t) for t in pattern.pattern]
    )
    return {"label": pattern.label, "pattern": body, "id": pattern.id}


def longest_first(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans: longer ones win, then the earlier one (spaCy's filter_spans)."""
    ranked = sorted(spans, key=lambda s: (s.end - s.start, -s.start), reverse=True)
    kept: list[Span] = []
    for span in ranked:
        if not any(span.overlaps(other) for other in kept):
            kept.append(span)
    return sorted(kept)


def merge_tiers(*tiers: Iterable[Span]) -> tuple[Span, ...]:
    """Merge span lists in priority order: a span never displaces one of an earlier tier.

    Within a tier, overlaps are resolved longest-first.
    """
    kept: list[Span] = []
    for tier in tiers:
        kept += [s for s in longest_first(tier) if not any(s.overlaps(k) for k in kept)]
    return tuple(sorted(kept))
