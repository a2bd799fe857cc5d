"""Which patterns to trust: each pattern's matches judged against reviewed data.

A reviewer who corrects silver data keeps a pattern's match, extends it ("iphone 15" →
"iphone 15 pro max"), shrinks it, gives it another label, or removes it. Counting those
per pattern estimates its precision; counting the reviewed entities no pattern finds
estimates coverage, and the most frequent of them name the families to write patterns for.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from spacy.language import Language

from ..records import Pattern, Span, Task
from ..spans import longest_first
from .matching import PatternMatcher

Outcome = Literal["kept", "extended", "shrank", "relabelled", "rejected", "unknown", "outranked"]
JUDGED: tuple[Outcome, ...] = ("kept", "extended", "shrank", "relabelled", "rejected")
Z_95 = 1.96  # the normal quantile of a two-sided 95% interval
MIN_JUDGED = 5  # matches a pattern needs before it is called one to fix or drop
DROP_BELOW = 0.5  # a pattern whose precision interval lies below this is wrong more often than right
FIX_ABOVE = 0.2  # a pattern whose matches are resized this often needs its extent fixed
FAMILY_WORDS = 2  # an entity's family: its first words, up to the first with a digit
FAMILIES_SHOWN = 15  # uncovered families listed, most frequent first
EXAMPLES_SHOWN = 3  # example strings per family or pattern


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """The Wilson score interval of a proportion, 95%: sound for small ``n`` and for 0 or ``n`` successes.

    centre = (p + z²/2n) / (1 + z²/n); half-width = z·√(p(1-p)/n + z²/4n²) / (1 + z²/n),
    with p = successes / n and z = 1.96. ``(0, 0)`` when ``n`` is 0.
    """
    if n == 0:
        return (0.0, 0.0)
    p, z2 = successes / n, Z_95 * Z_95
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class PatternStats:
    """One pattern's matches on the reviewed texts, by what the review made of them.

    Attributes:
        pattern_id: The pattern's id.
        label: The label it gives.
        outcomes: Matches per outcome; ``unknown`` are matches in incomplete tasks that
            the review neither confirmed nor contradicted, ``outranked`` matches that
            another pattern's longer match overlaps, which bootstrap would not keep
            (neither is judged).
        examples: A few match strings per outcome that is not ``kept`` or ``outranked``.
    """

    pattern_id: str
    label: str
    outcomes: dict[str, int]
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def n_matches(self) -> int:
        """All the pattern's matches, whatever the review made of them."""
        return sum(self.outcomes.values())

    @property
    def n_judged(self) -> int:
        """Matches the review judged: kept, extended, shrank, relabelled or rejected."""
        return sum(self.outcomes.get(outcome, 0) for outcome in JUDGED)

    @property
    def precision(self) -> float:
        """Kept / judged: the share of its judged matches the review kept exactly."""
        return self.outcomes.get("kept", 0) / self.n_judged if self.n_judged else 0.0

    @property
    def precision_interval(self) -> tuple[float, float]:
        """The Wilson interval of ``precision``."""
        return wilson_interval(self.outcomes.get("kept", 0), self.n_judged)

    @property
    def advice(self) -> str:
        """``"drop"``, ``"fix extent"``, ``"unused"``, ``"too few to judge"`` or ``""``."""
        if self.n_matches == 0:
            return "unused"
        if self.n_judged < MIN_JUDGED:
            return "too few to judge"
        if self.precision_interval[1] < DROP_BELOW:
            return "drop"
        resized = self.outcomes.get("extended", 0) + self.outcomes.get("shrank", 0)
        return "fix extent" if resized / self.n_judged >= FIX_ABOVE else ""

    def to_dict(self) -> dict[str, Any]:
        """The pattern's outcomes, precision, interval, advice and examples, as a JSON-ready dict."""
        return {
            "id": self.pattern_id,
            "label": self.label,
            "outcomes": dict(self.outcomes),
            "precision": self.precision,
            "precision_interval": list(self.precision_interval),
            "advice": self.advice,
            "examples": self.examples,
        }


@dataclass(frozen=True)
class Coverage:
    """One label's reviewed entities, and how far the patterns reach them.

    How many some pattern matches exactly (``n_found``), how many a match only overlaps
    (``n_partial``), and the families of those no match reaches at all.
    """

    label: str
    n_entities: int
    n_found: int
    n_partial: int = 0
    uncovered_families: tuple[tuple[str, int, tuple[str, ...]], ...] = ()

    @property
    def share(self) -> float:
        """n_found / n_entities: the share of the label's entities some pattern matches exactly."""
        return self.n_found / self.n_entities if self.n_entities else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The Wilson interval of ``share``."""
        return wilson_interval(self.n_found, self.n_entities)

    def to_dict(self) -> dict[str, Any]:
        """The label's counts, coverage, interval and missed families, as a JSON-ready dict."""
        return {
            "label": self.label,
            "n_entities": self.n_entities,
            "n_found": self.n_found,
            "n_partial": self.n_partial,
            "coverage": self.share,
            "interval": list(self.interval),
            "uncovered_families": [
                {"family": family, "n": n, "examples": list(examples)}
                for family, n, examples in self.uncovered_families
            ],
        }


@dataclass(frozen=True)
class PatternsReport:
    """Every pattern's judged matches, and each label's coverage."""

    patterns: tuple[PatternStats, ...]
    coverage: tuple[Coverage, ...]
    n_tasks: int

    def to_dict(self) -> dict[str, Any]:
        """Task count, per-pattern rows and per-label coverage, as a JSON-ready dict."""
        return {
            "n_tasks": self.n_tasks,
            "patterns": [row.to_dict() for row in self.patterns],
            "coverage": [row.to_dict() for row in self.coverage],
        }


def report_patterns(
    patterns: Sequence[Pattern], reviewed: Iterable[Task], *, nlp: Language, batch_size: int = 1000
) -> PatternsReport:
    """Judge each pattern's matches against reviewed tasks, and measure coverage per label.

    Ignored tasks are skipped. Matches are first resolved as bootstrap resolves them
    (longest first, across all patterns): a match another pattern's longer match overlaps
    is *outranked*, never written, so the review says nothing about it. Of the rest, a
    match is *kept* when an accepted span of its label has the same extent; *extended* or
    *shrank* when one contains it or lies inside it; *relabelled* when an accepted span of
    another label overlaps it; *rejected* when a rejected span equals it or the task is
    complete (the reviewer removed it); *unknown* otherwise (an incomplete task says
    nothing about it). Coverage counts the matches that are not outranked.
    """
    matcher = PatternMatcher(nlp, patterns)
    tallies = {p.id: _Tally(p.id, p.label) for p in patterns}
    entities: dict[str, _Entities] = {}
    tasks = [task for task in reviewed if task.answer != "ignore"]  # reviewed data: held to judge it whole
    tokenizer: Any = nlp.tokenizer
    for task, doc in zip(tasks, tokenizer.pipe((t.text for t in tasks), batch_size=batch_size), strict=True):
        matches, outranked = _as_bootstrap_keeps(_longest_per_pattern(matcher.find_spans(doc)))
        for match in matches:
            tallies[match.source or ""].add(_judge(match, task), match.text_in(task.text))
        for match in outranked:
            tallies[match.source or ""].add("outranked", match.text_in(task.text))
        for span in task.accepted_spans if task.answer == "accept" else ():
            entities.setdefault(span.label, _Entities()).add(span, task.text, matches)
    coverage = tuple(entities[label].coverage(label) for label in sorted(entities))
    return PatternsReport(tuple(t.stats() for t in tallies.values()), coverage, len(tasks))


def _longest_per_pattern(matches: list[Span]) -> list[Span]:
    """Each pattern's own overlapping matches resolved longest-first ("ipad pro", not also "ipad")."""
    by_pattern: dict[str | None, list[Span]] = {}
    for match in matches:
        by_pattern.setdefault(match.source, []).append(match)
    return sorted(span for group in by_pattern.values() for span in longest_first(group))


def _as_bootstrap_keeps(matches: list[Span]) -> tuple[list[Span], list[Span]]:
    """The matches bootstrap keeps (longest first across patterns), and those it drops.

    Every pattern matching a kept extent keeps its match: which of two identical spans
    bootstrap writes says nothing about either pattern's extent.
    """
    if len(matches) < 2:  # most texts: nothing to resolve
        return matches, []
    extents = {(span.start, span.end) for span in longest_first(matches)}
    kept = [span for span in matches if (span.start, span.end) in extents]
    return kept, [span for span in matches if (span.start, span.end) not in extents]


@dataclass
class _Entities:
    n_found: int = 0
    n_partial: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, span: Span, text: str, matches: list[Span]) -> None:
        same = [m for m in matches if m.label == span.label]
        if any((m.start, m.end) == (span.start, span.end) for m in same):
            self.n_found += 1
        elif any(m.overlaps(span) for m in same):
            self.n_partial += 1
        else:
            self.missed.append(span.text_in(text))

    def coverage(self, label: str) -> Coverage:
        n = self.n_found + self.n_partial + len(self.missed)
        return Coverage(label, n, self.n_found, self.n_partial, _families(self.missed))


def _judge(match: Span, task: Task) -> Outcome:
    same_label = [s for s in task.accepted_spans if s.label == match.label]
    if task.answer == "accept":
        if any((s.start, s.end) == (match.start, match.end) for s in same_label):
            return "kept"
        if any(s.start <= match.start and match.end <= s.end for s in same_label):
            return "extended"
        if any(match.start <= s.start and s.end <= match.end for s in same_label):
            return "shrank"
        if any(s.overlaps(match) for s in task.accepted_spans):
            return "relabelled"
    if any((s.start, s.end, s.label) == (match.start, match.end, match.label) for s in task.rejected_spans):
        return "rejected"
    return "rejected" if task.complete and task.answer == "accept" else "unknown"


@dataclass
class _Tally:
    pattern_id: str
    label: str
    outcomes: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, outcome: Outcome, text: str) -> None:
        self.outcomes[outcome] += 1
        if outcome not in ("kept", "outranked"):  # an outranked match's text says nothing of the pattern
            shown = self.examples.setdefault(outcome, [])
            if len(shown) < EXAMPLES_SHOWN and text not in shown:
                shown.append(text)

    def stats(self) -> PatternStats:
        return PatternStats(self.pattern_id, self.label, dict(self.outcomes), self.examples)


def family_of(text: str) -> str:
    """An entity's family: its first words, lower-cased, up to the first holding a digit.

    ``"Garmin Fenix 7"`` → ``"garmin fenix"``; ``"OnePlus 12"`` → ``"oneplus"``.
    """
    words = []
    for word in text.lower().split()[:FAMILY_WORDS]:
        if any(char.isdigit() for char in word):
            break
        words.append(word)
    return " ".join(words) or text.lower().split()[0]


def _families(missed: list[str]) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for text in missed:
        family = family_of(text)
        counts[family] += 1
        shown = examples.setdefault(family, [])
        if len(shown) < EXAMPLES_SHOWN and text not in shown:
            shown.append(text)
    return tuple((family, n, tuple(examples[family])) for family, n in counts.most_common(FAMILIES_SHOWN))
