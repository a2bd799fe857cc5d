"""The label scheme: too specific, subjective, sparse, overlapping, or train and dev apart."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import combinations

from ..corpus import Corpus
from ..findings import Finding, make_finding
from .consistency import LabelledStrings

# Words too general to make two labels kin: PERSON_NAME and PRODUCT_NAME are not one thing.
GENERIC_WORDS = frozenset({"NAME", "TYPE", "ENTITY", "OTHER", "MISC", "OF", "THE", "AND", "OR"})
# Words of a personal judgement rather than a category: nothing in the text shows them.
SUBJECTIVE_WORDS = frozenset(
    {
        "LIKE", "LIKES", "LIKED", "LOVE", "LOVED", "HATE", "FAVORITE", "FAVOURITE", "FAV",
        "GOOD", "BAD", "BEST", "WORST", "GREAT", "NICE", "COOL", "AWESOME", "TERRIBLE",
        "TOURIST", "TOURISTIC", "TOURISTY", "INTERESTING", "BORING", "POPULAR", "FAMOUS",
        "IMPORTANT", "BEAUTIFUL", "UGLY", "FUNNY", "RECOMMENDED", "TRENDY", "OVERRATED",
    }
)  # fmt: skip
# First-person words: "BANDS_I_LIKE" is about the annotator, not the text.
PERSONAL_WORDS = frozenset({"I", "ME", "MY", "MINE", "WE", "OUR", "US"})
FEW_EXAMPLES = 20  # a label with fewer examples than this is too rare to learn
MIN_SPARSE_LABELS = 3  # this many rare labels at once says the scheme is too fine-grained
MIN_SHARED_STRINGS = 3  # two labels given to this many of the same strings overlap in meaning...
MIN_SHARED_SHARE = 0.1  # ...if that is this share of the rarer label's strings (else: metonymy, e.g. teams)


def label_words(label: str) -> list[str]:
    """The words of a label, upper-cased: ``"childrensShoes"`` and ``"CHILDRENS_SHOES"`` alike."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", label)
    return [word for word in re.split(r"[^A-Za-z0-9]+", spaced.upper()) if word]


def check_label_case(corpus: Corpus) -> Iterator[Finding]:
    """Yield L507 for each set of labels that differ only in case (``DRUG``, ``Drug``, ``drug``)."""
    for variants in _case_groups(corpus.labels):
        if len(variants) > 1:
            most = max(variants, key=lambda label: (corpus.label_counts[label], label.isupper(), label))
            described = ", ".join(f"{label} ({corpus.label_counts[label]})" for label in variants)
            yield make_finding("L507", corpus.path, labels=described, n=len(variants), suggestion=most)


def _case_groups(labels: Iterable[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for label in sorted(labels):
        groups[label.casefold()].append(label)
    return list(groups.values())


def check_specific_labels(corpus: Corpus, *, skip: Collection[str] = ()) -> Iterator[Finding]:
    """Yield L501 for each group of labels sharing a head word or a first word.

    ``ADULT_SHOES`` and ``CHILDRENS_SHOES`` share the head ``SHOES``: the model would have
    to tell adults' from children's shoes by local context, which rarely shows it. Labels
    that differ only in case count once (L507 reports them); a group is reported once
    even when its labels share both words; labels in ``skip`` (the base's) are left out.
    """
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for variants in _case_groups(label for label in corpus.labels if label not in skip):
        words = label_words(variants[0])
        if words:
            groups["head", words[-1]].add(variants[0])
            groups["first", words[0]].add(variants[0])
    reported: set[frozenset[str]] = set()
    for (_, word), labels in sorted(groups.items()):
        if len(labels) > 1 and word not in GENERIC_WORDS and frozenset(labels) not in reported:
            reported.add(frozenset(labels))
            yield make_finding(
                "L501", corpus.path, labels=", ".join(sorted(labels)), part=word, suggestion=word
            )


def check_subjective_labels(corpus: Corpus) -> Iterator[Finding]:
    """Yield L503 for each label with a word of judgement (``BANDS_I_LIKE``, ``TOURIST_SPOT``)."""
    for label in sorted(corpus.labels):
        words = label_words(label)
        judging = [word for word in words if word in SUBJECTIVE_WORDS or word in PERSONAL_WORDS]
        if not any(word in SUBJECTIVE_WORDS for word in judging):
            continue  # a first-person word alone ("US") is not a judgement
        rest = [word for word in words if word not in judging]
        suggestion = "_".join(rest) if rest else "what kind of thing it is"
        yield make_finding(
            "L503",
            corpus.path,
            label=label,
            words=", ".join(repr(word) for word in judging),
            suggestion=suggestion,
        )


def check_sparse_labels(corpus: Corpus, *, skip: Collection[str] = ()) -> Iterator[Finding]:
    """Yield L502 when many labels each have very few examples (labels in ``skip`` left out)."""
    if corpus.read_error is not None:
        return  # partial counts (L001)
    sparse = sorted(
        label for label, n in corpus.label_counts.items() if n < FEW_EXAMPLES and label not in skip
    )
    if len(sparse) >= MIN_SPARSE_LABELS:
        described = ", ".join(f"{label} {corpus.label_counts[label]}" for label in sparse)
        yield make_finding("L502", corpus.path, n_sparse=len(sparse), few=FEW_EXAMPLES, labels=described)


def check_overlapping_labels(
    corpus: Corpus, labelled: LabelledStrings, *, skip: Collection[str] = ()
) -> Iterator[Finding]:
    """Yield L504 for each pair of labels given to many of the same strings.

    Many means at least ``MIN_SHARED_STRINGS``, and at least ``MIN_SHARED_SHARE`` of the
    distinct strings of the label that has fewer.
    """
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    n_strings: Counter[str] = Counter()
    for entry in labelled.values():
        n_strings.update(entry.labels.keys())
        for pair in combinations(sorted(entry.labels), 2):
            shared[pair].append(entry.text)
    ranked = sorted(shared.items(), key=lambda item: (-len(item[1]), item[0]))
    for (first, second), texts in ranked:
        if first in skip and second in skip:
            continue  # the base's own labels: its scheme, not the data's
        fewer = min(n_strings[first], n_strings[second])
        if len(texts) >= max(MIN_SHARED_STRINGS, MIN_SHARED_SHARE * fewer):
            sample = ", ".join(repr(text) for text in texts[:3])
            yield make_finding("L504", corpus.path, first=first, second=second, n=len(texts), sample=sample)


def check_dev_labels(train: Corpus, dev: Corpus) -> Iterator[Finding]:
    """Yield L505 for labels only in dev (error), L506 for labels only in train."""
    for label in sorted(dev.labels - train.labels):
        yield make_finding("L505", dev.path, label=label, n=dev.label_counts[label])
    for label in sorted(train.labels - dev.labels):
        yield make_finding("L506", train.path, label=label, n=train.label_counts[label])
