"""Rehearsal on the default corpus: the base's own predictions on general English (issue 22).

An update of a pretrained pipeline rehearses, by default, the base's entities on the default
rehearsal corpus (:mod:`nerforge.rehearsal_corpus`), beside the user's texts and ``--rehearse``.
Each of its tasks is complete: the base's entities are marked and every other token is outside,
for the old labels and for the new one. So the corpus does two jobs at once: the old labels
are rehearsed on every kind of text the base serves, and the new label learns that most text
holds none of it.

Two parts of the corpus are not rehearsed:

- a fixed tenth of each domain is held out, so that the update report can measure, on text
  the update never saw, the old labels' agreement with the base and the new label's rate;
- texts where a string the training data accepts as a new-label entity occurs (``kindle``,
  ``galaxy s9``) are dropped: there the new label may well be right, and a complete task would
  teach that it is not.

The base's predictions come from :func:`nerforge.rehearsal_corpus.base_annotations`, computed
once per base and cached, so an update doesn't pay for them again.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from ..records import Task
from ..rehearsal_corpus import base_annotations

# Share of each domain never rehearsed: where the update report measures (about 350 texts, 5,000
# words and a few hundred base entities in all, enough to judge the frequent labels pooled).
HELD_OUT_SHARE = 0.1
HELD_OUT_SALT = "nerforge-held-out"  # fixed, not the run's seed: every update is measured on the same texts
MIN_STRING_CHARS = 2  # shorter new-label strings ("x") would drop texts on chance matches


@dataclass(frozen=True)
class DefaultRehearsal:
    """The default corpus split for one update.

    Attributes:
        rehearsal: Complete tasks of the base's entities, to rehearse (new-label strings dropped).
        held_out: Complete tasks of the base's entities, never rehearsed; ``meta["domain"]``
            names each one's domain.
        n_dropped: Texts left out of both because a new-label string occurs in them.
    """

    rehearsal: tuple[Task, ...]
    held_out: tuple[Task, ...]
    n_dropped: int

    def held_out_by_domain(self) -> dict[str, tuple[Task, ...]]:
        """The held-out tasks grouped by domain, in corpus order."""
        groups: dict[str, list[Task]] = {}
        for task in self.held_out:
            groups.setdefault(str(task.meta.get("domain", "default")), []).append(task)
        return {domain: tuple(tasks) for domain, tasks in groups.items()}


def default_rehearsal(
    base: Language,
    train: Sequence[Task],
    new_labels: Iterable[str],
    *,
    cache_dir: str | Path | None = None,
) -> DefaultRehearsal:
    """Split the base's cached predictions on the default corpus into rehearsal and held-out tasks.

    Args:
        base: The frozen base pipeline (its predictions are read from the cache, or computed
            once and cached).
        train: The training tasks: their accepted new-label spans give the strings whose texts
            are dropped.
        new_labels: The labels the update teaches that the base does not know.
        cache_dir: The cache folder (default: :func:`nerforge.rehearsal_corpus.default_cache_dir`).
    """
    pattern = new_label_pattern(new_label_strings(train, frozenset(new_labels)))
    rehearsal: list[Task] = []
    held_out: list[Task] = []
    n_dropped = 0
    for task in base_annotations(base, cache_dir=cache_dir):
        if pattern is not None and pattern.search(task.text):
            n_dropped += 1
        elif is_held_out(task.text):
            held_out.append(task)
        else:
            rehearsal.append(task)
    return DefaultRehearsal(tuple(rehearsal), tuple(held_out), n_dropped)


def is_held_out(text: str) -> bool:
    """Whether a default-corpus text is in the held-out share (a fixed hash of the text)."""
    return zlib.crc32(f"{HELD_OUT_SALT}\x00{text}".encode()) % 1000 < HELD_OUT_SHARE * 1000


def new_label_strings(tasks: Iterable[Task], new_labels: frozenset[str]) -> frozenset[str]:
    """The accepted new-label span strings of the tasks, case-folded and with spaces squeezed."""
    strings = set()
    for task in tasks:
        for span in task.accepted_spans:
            if span.label in new_labels:
                string = " ".join(task.text[span.start : span.end].casefold().split())
                if len(string) >= MIN_STRING_CHARS:
                    strings.add(string)
    return frozenset(strings)


def new_label_pattern(strings: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of the strings as whole words; None for none."""
    ordered = sorted(strings, key=lambda s: (-len(s), s))  # longest first: the alternation tries in order
    if not ordered:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(word) for word in s.split()) for s in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
