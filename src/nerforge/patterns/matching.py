"""Finding pattern spans in Docs, with provenance, and resolving overlaps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from ..formats import PhraseAttr
from ..records import Pattern, Span
from ..spans import longest_first, merge_tiers

__all__ = ["PatternMatcher", "PhraseAttr", "longest_first", "merge_tiers"]


class PatternMatcher:
    """Finds the spans a list of patterns matches, with spaCy's Matcher and PhraseMatcher.

    Each pattern is its own match key, so every span knows the pattern that found it.

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
        self._matcher = Matcher(nlp.vocab, validate=True)
        self._phrase_matcher = PhraseMatcher(nlp.vocab, attr=phrase_attr)
        self._keys: dict[int, tuple[str, str]] = {}
        phrases = [p for p in self.patterns if isinstance(p.pattern, str)]
        tokenizer: Any = nlp.tokenizer
        phrase_docs = tokenizer.pipe([str(p.pattern) for p in phrases])
        for pattern, phrase_doc in zip(phrases, phrase_docs, strict=True):
            self._phrase_matcher.add(self._key(nlp, pattern), [phrase_doc])
        for pattern in self.patterns:
            if not isinstance(pattern.pattern, str):
                self._matcher.add(self._key(nlp, pattern), [[dict(t) for t in pattern.pattern]])

    def _key(self, nlp: Language, pattern: Pattern) -> str:
        key = f"{pattern.label}\u241f{pattern.id}"  # one key per pattern: provenance survives matching
        self._keys[nlp.vocab.strings.add(key)] = (pattern.label, pattern.id)
        return key

    def find_spans(self, doc: Doc) -> list[Span]:
        """Every match, overlapping ones included, as spans whose source is the pattern id."""
        matches = self._matcher(doc) if len(self._matcher) else []
        if len(self._phrase_matcher):
            matches += self._phrase_matcher(doc)
        if not matches:
            return []
        found = set()
        for key, start, end in matches:
            span = doc[start:end]
            found.add((span.start_char, span.end_char, *self._keys[key]))
        return [Span(start, end, label, source=source) for start, end, label, source in sorted(found)]
