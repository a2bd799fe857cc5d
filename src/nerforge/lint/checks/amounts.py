"""Amounts: examples per label, and texts without entities, against the course's guidance."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ..corpus import Corpus
from ..findings import Finding, make_finding

MIN_EXAMPLES_NEW_LABEL = 50  # below this a new label rarely learns anything (error)
ADVISED_EXAMPLES_NEW_LABEL = 1000  # the course asks a few thousand for a new label; warn below this
ADVISED_EXAMPLES_UPDATE = 200  # the course asks a few hundred to update a label the model knows
MIN_NEGATIVE_SHARE = 0.1  # with fewer texts without entities, a model over-predicts (warning)

ASSUMED_NEW = (
    " (counted as a new label: pass --new-labels, or --base, to say which labels the model already knows)"
)
NEW_TO_BASE = " (new: the base model's entity recognizer doesn't know it)"


def check_label_amounts(
    corpus: Corpus,
    *,
    new_labels: Collection[str] | None = None,
    known_labels: Collection[str] | None = None,
    base_source: str | None = None,
) -> Iterator[Finding]:
    """Yield L401/L402 for new labels and L403 for known ones with too few examples.

    A label is new if ``new_labels`` names it; without ``new_labels``, if the base
    model's ``known_labels`` lack it; without either, every label is taken as new and
    the messages say so. Rarest labels come first. Nothing is said of a file whose
    reading stopped early (L001): its counts are partial.
    """
    if corpus.read_error is not None:
        return
    for label, n in sorted(corpus.label_counts.items(), key=lambda item: (item[1], item[0])):
        if new_labels is not None:
            is_new, assumption = label in new_labels, ""
        elif known_labels is not None:
            is_new, assumption = label not in known_labels, NEW_TO_BASE
        else:
            is_new, assumption = True, ASSUMED_NEW
        if is_new and n < MIN_EXAMPLES_NEW_LABEL:
            yield make_finding(
                "L401", corpus.path, label=label, n=n, assumption=assumption, minimum=MIN_EXAMPLES_NEW_LABEL
            )
        elif is_new and n < ADVISED_EXAMPLES_NEW_LABEL:
            advised = f"{ADVISED_EXAMPLES_NEW_LABEL:,}"
            yield make_finding("L402", corpus.path, label=label, n=n, assumption=assumption, advised=advised)
        elif not is_new:
            n_own = n if base_source is None else _own_examples(corpus, label, base_source)
            if 0 < n_own < ADVISED_EXAMPLES_UPDATE:  # 0: all the base's own (bootstrap --base)
                yield make_finding("L403", corpus.path, label=label, n=n_own, advised=ADVISED_EXAMPLES_UPDATE)


def _own_examples(corpus: Corpus, label: str, base_source: str) -> int:
    """Spans of a label that did not come from the base model itself (``bootstrap --base``)."""
    return sum(
        1
        for record in corpus.records
        for span in record.spans
        if span.label == label and span.source != base_source
    )


def check_new_label_names(corpus: Corpus, new_labels: Collection[str]) -> Iterator[Finding]:
    """Yield L407 for each label ``--new-labels`` names that no span has (likely a typo)."""
    for label in sorted(set(new_labels) - corpus.labels):
        yield make_finding("L407", corpus.path, label=label)


def check_spans_exist(corpus: Corpus) -> Iterator[Finding]:
    """Yield L404 when no accepted span exists at all (and the file was read to its end).

    A file of text categories alone (a text classifier's data) needs no spans.
    """
    if not corpus.label_counts and corpus.read_error is None and not corpus.categorized:
        yield make_finding("L404", corpus.path)


def check_negatives(corpus: Corpus) -> Iterator[Finding]:
    """Yield L405 when no complete task is a negative, L406 when few are.

    Share of negatives = complete accepted tasks without spans / complete accepted tasks.
    Incomplete tasks don't count: an unmarked text in them may hold entities. Rejected
    spans (binary answers) are negatives too: with any, L405 is not raised. Nothing is
    said of a file whose reading stopped early (L001): its counts are partial.
    """
    if not corpus.label_counts or corpus.read_error is not None:
        return  # nothing to compare: L404 or L001 says why
    n_complete = n_negative = 0
    for record in corpus.complete_records:
        n_complete += 1
        n_negative += record.is_negative
    if not n_complete:
        return  # L606 says why
    if corpus.n_rejected_spans and not n_negative:
        return  # the rejected answers show the model what is not an entity
    share = n_negative / n_complete
    if n_negative == 0:
        yield make_finding("L405", corpus.path, n_complete=n_complete)
    elif share < MIN_NEGATIVE_SHARE:
        yield make_finding(
            "L406",
            corpus.path,
            n_negative=n_negative,
            n_complete=n_complete,
            share=f"{share:.0%}",
            advised=f"{MIN_NEGATIVE_SHARE:.0%}",
        )
