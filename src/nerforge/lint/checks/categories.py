"""Text categories: class balance, classes only in dev, and texts categorized two ways."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..corpus import Corpus, text_hash
from ..findings import LINES_SHOWN, Finding, make_finding

MIN_CLASS_EXAMPLES = 20  # positives below this rarely teach a class anything
MAX_IMBALANCE = 10  # the commonest class this many times the rarest: the rare one is drowned out
POSITIVE = 0.5  # a category value at or above this says the class applies


def positives(corpus: Corpus) -> Counter[str]:
    """Texts each class applies to."""
    counts: Counter[str] = Counter()
    for record in corpus.categorized:
        counts.update(label for label, value in record.cats if value >= POSITIVE)
        counts.update({label: 0 for label, _ in record.cats})  # classes mentioned only as 0 count too
    return counts


def check_class_balance(corpus: Corpus) -> Iterator[Finding]:
    """Yield L701 for each class with too few positive texts, L702 when classes are far apart."""
    counts = positives(corpus)
    if not counts:
        return
    for label, n in sorted(counts.items(), key=lambda item: (item[1], item[0])):
        if n < MIN_CLASS_EXAMPLES:
            yield make_finding("L701", corpus.path, label=label, n=n, minimum=MIN_CLASS_EXAMPLES)
    rarest, commonest = min(counts.values()), max(counts.values())
    if rarest and commonest >= MAX_IMBALANCE * rarest:
        shown = ", ".join(f"{label} {n}" for label, n in counts.most_common())
        yield make_finding("L702", corpus.path, counts=shown, ratio=round(commonest / rarest))


def check_dev_classes(train: Corpus, dev: Corpus) -> Iterator[Finding]:
    """Yield L703 for each class the dev data has and the training data never mentions."""
    trained = set(positives(train))
    for label, n in sorted(positives(dev).items()):
        if label not in trained:
            yield make_finding("L703", dev.path, label=label, n=n)


def check_conflicting_cats(corpus: Corpus) -> Iterator[Finding]:
    """Yield L704 for each text given different values for one class in different copies.

    Only texts whose hash occurs more than once can have copies, so only those are
    remembered (by their text and class): memory grows with the repeated texts.
    """
    repeated = corpus.categorized.repeated_hashes()
    seen: dict[tuple[str, str], tuple[float, int | None]] = {}
    n_reported = 0
    for record in corpus.categorized:
        if text_hash(record.text) not in repeated:
            continue  # a text's only copy can't disagree with another
        for label, value in record.cats:
            first = seen.setdefault((record.text, label), (value, record.line))
            if (first[0] >= POSITIVE) != (value >= POSITIVE) and n_reported < LINES_SHOWN:
                n_reported += 1
                yield make_finding(
                    "L704", corpus.path, record.line, unit=corpus.unit, label=label, first=first[1]
                )
