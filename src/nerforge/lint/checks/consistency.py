"""Labelling consistency: one string, labelled in one place and not (or otherwise) in another.

This is the course's trap of a name labelled in one example and left unlabelled in the
next: the model is taught both answers and learns neither. Strings are compared
case-folded with whitespace collapsed; each distinct text counts once (repeated texts
are the duplicate check's business).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..corpus import Corpus, Record, distinct_texts, span_finding, surface_key, with_docs
from ..findings import LINES_SHOWN, Finding, describe_lines, make_finding

# Labelled in fewer of its occurrences than this, a string is mostly a common word
# ("on" vs ON for Ontario, "march" vs a person March): the labels are another sense.
MIN_LABELLED_SHARE = 0.2
# Fewer occurrences than this (labelled once, unlabelled once) can't tell a missed
# entity from a homograph: such strings are summed up in one note (L203).
MIN_OCCURRENCES = 3


@dataclass
class Tally:
    """How often something occurs, on how many lines, and the first few of those lines.

    Occurrences are added in file order, so repeats on one line come one after another.
    """

    n: int = 0
    n_lines: int = 0
    lines: list[int | None] = field(default_factory=list)
    _last: int | None = field(default=None, init=False, repr=False)

    def add(self, line: int | None) -> None:
        """Count one occurrence on ``line``; a line is counted once however often it occurs there."""
        self.n += 1
        if self.n_lines and self._last == line:
            return  # another occurrence on the line just counted
        self.n_lines += 1
        self._last = line
        if len(self.lines) < LINES_SHOWN:
            self.lines.append(line)

    def describe(self, unit: str) -> str:
        """``"lines 3, 8 and 12 more"``."""
        return describe_lines(self.lines, self.n_lines, unit)


@dataclass
class LabelledString:
    """A string some span covers, with the labels it was given.

    Attributes:
        forms: How often each spelling was labelled (whitespace collapsed).
        labels: Per label, how often and where it was given.
    """

    forms: Counter[str] = field(default_factory=Counter)
    labels: dict[str, Tally] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The most frequent spelling."""
        return self.forms.most_common(1)[0][0]

    @property
    def has_lowercase_form(self) -> bool:
        """Whether it was ever labelled all in lower case.

        If not, an unlabelled lower-case occurrence is taken as a common word, not a missed entity.
        """
        return any(form.islower() for form in self.forms)

    @property
    def n(self) -> int:
        """How often the string was labelled, whatever the label."""
        return sum(tally.n for tally in self.labels.values())

    def ranked_labels(self) -> list[tuple[str, Tally]]:
        """Labels, most frequent first."""
        return sorted(self.labels.items(), key=lambda item: (-item[1].n, item[0]))


LabelledStrings = Mapping[str, LabelledString]  # keyed by surface_key(text)


def collect_labelled_strings(corpus: Corpus) -> dict[str, LabelledString]:
    """Every string an accepted span covers (complete tasks or not), keyed by ``surface_key``."""
    labelled: dict[str, LabelledString] = {}
    for record in distinct_texts(corpus.records, corpus.records.repeated_hashes()):
        for span in record.spans:
            text = " ".join(span.text_in(record.text).split())
            key = surface_key(text)
            if not key:
                continue  # a whitespace-only span: L102 reports it
            entry = labelled.setdefault(key, LabelledString())
            entry.forms[text] += 1
            entry.labels.setdefault(span.label, Tally()).add(record.line)
    return labelled


def check_unlabelled_mentions(
    corpus: Corpus, nlp: Language, labelled: LabelledStrings, *, batch_size: int
) -> Iterator[Finding]:
    """Yield L201 for each labelled string that complete tasks also leave unlabelled.

    An occurrence is unlabelled when it falls on token boundaries (the tokenized texts
    are matched with a ``PhraseMatcher`` on ``LOWER``), no accepted span overlaps it, and
    no rejected span of a label the string was given overlaps it (a rejection is an
    explicit decision that it is not that label, not an omission). Only
    complete tasks count: in incomplete ones an unmarked string is unknown, not outside.
    Strings labelled in under ``MIN_LABELLED_SHARE`` of their occurrences are skipped;
    those seen fewer than ``MIN_OCCURRENCES`` times are summed up in one L203 note.
    Most frequent first.
    """
    distinct = distinct_texts(corpus.complete_records, corpus.records.repeated_hashes())
    unlabelled = _find_unlabelled(distinct, nlp, labelled, batch_size)
    ranked = sorted(unlabelled.items(), key=lambda item: -item[1].n - labelled[item[0]].n)
    few: list[tuple[LabelledString, Tally]] = []
    for key, tally in ranked:
        entry = labelled[key]
        if entry.n < MIN_LABELLED_SHARE * (entry.n + tally.n):
            continue
        if entry.n + tally.n < MIN_OCCURRENCES:
            few.append((entry, tally))
            continue
        label, labelled_tally = entry.ranked_labels()[0]
        yield make_finding(
            "L201",
            corpus.path,
            tally.lines[0],
            unit=corpus.unit,
            surface=entry.text,
            label=label,
            n_labelled=labelled_tally.n,
            labelled_lines=labelled_tally.describe(corpus.unit),
            n_unlabelled=tally.n,
            unlabelled_lines=tally.describe(corpus.unit),
        )
    if few:
        yield _few_occurrences(corpus, few)


def _few_occurrences(corpus: Corpus, few: list[tuple[LabelledString, Tally]]) -> Finding:
    unit, shown = corpus.unit, []
    for entry, unlabelled in few:
        label, labelled = entry.ranked_labels()[0]
        where = f"{label} on {unit} {labelled.lines[0]}, unlabelled on {unit} {unlabelled.lines[0]}"
        shown.append(f"{entry.text!r} ({where})")
    return make_finding("L203", corpus.path, examples=shown, n=len(few), sample=", ".join(shown[:2]))


def _find_unlabelled(
    records: Iterable[Record], nlp: Language, labelled: LabelledStrings, batch_size: int
) -> dict[str, Tally]:
    """Per labelled string, where the records mention it outside every span."""
    tokenizer: Any = nlp.tokenizer
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    keys = list(labelled)
    for key, pattern in zip(keys, tokenizer.pipe([labelled[k].text for k in keys]), strict=True):
        matcher.add(key, [pattern])
    found: dict[str, Tally] = {}
    for record, doc in with_docs(records, nlp, batch_size=batch_size):
        for key, start, end, text in _matches(matcher, doc):
            if any(span.start < end and start < span.end for span in record.spans):
                continue
            if _rejected_there(record, start, end, labelled[key]):
                continue  # the reviewer said it is not this label: a decision, not an omission
            if text.islower() and not labelled[key].has_lowercase_form:
                continue  # "on" where only "ON" (Ontario) was labelled: a common word
            found.setdefault(key, Tally()).add(record.line)
    return found


def _rejected_there(record: Record, start: int, end: int, entry: LabelledString) -> bool:
    """Whether a rejected span of one of the string's labels overlaps ``start``-``end``."""
    return any(
        span.start < end and start < span.end and span.label in entry.labels for span in record.rejected
    )


def _matches(matcher: PhraseMatcher, doc: Doc) -> Iterator[tuple[str, int, int, str]]:
    """``(key, start_char, end_char, text)`` of the longest matches ("new york city", not "york").

    Whitespace tokens (spaCy makes one of each extra space) are left out first, so that
    "Alexis  Ohanian" matches "Alexis Ohanian".
    """
    kept = [token for token in doc if not token.is_space]
    if len(kept) < len(doc):
        doc = Doc(doc.vocab, words=[token.text for token in kept])
    for match in filter_spans(matcher(doc, as_spans=True)):
        first, last = kept[match.start], kept[match.end - 1]
        start, end = first.idx, last.idx + len(last)
        yield match.label_, start, end, first.doc.text[start:end]


def check_conflicting_labels(corpus: Corpus, labelled: LabelledStrings) -> Iterator[Finding]:
    """Yield L202 for each string given more than one label, most frequent first."""
    ambiguous = [entry for entry in labelled.values() if len(entry.labels) > 1]
    for entry in sorted(ambiguous, key=lambda e: -e.n):
        ranked = entry.ranked_labels()
        yield make_finding(
            "L202",
            corpus.path,
            ranked[1][1].lines[0],
            unit=corpus.unit,
            surface=entry.text,
            label_counts=", ".join(f"{label} {tally.n}x" for label, tally in ranked),
            label_lines="; ".join(f"{label}: {tally.describe(corpus.unit)}" for label, tally in ranked),
        )


def check_accepted_and_rejected(corpus: Corpus) -> Iterator[Finding]:
    """Yield L204 for each span a task both accepts and rejects (same start, end and label)."""
    for record in corpus.records:
        if not record.rejected:
            continue
        refused = {(span.start, span.end, span.label) for span in record.rejected}
        for span in record.spans:
            if (span.start, span.end, span.label) in refused:
                yield span_finding("L204", corpus, record, span)
