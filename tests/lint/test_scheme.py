"""Label scheme checks (L5xx): too specific, sparse, subjective, overlapping; train vs dev labels."""

from __future__ import annotations

from collections import Counter

import pytest
from lint_helpers import codes, lint_records, negatives, task, with_code

from nerforge.lint.checks.consistency import LabelledString, Tally
from nerforge.lint.checks.scheme import (
    check_dev_labels,
    check_overlapping_labels,
    check_sparse_labels,
    check_specific_labels,
    check_subjective_labels,
    label_words,
)
from nerforge.lint.corpus import Corpus


def with_labels(*labels: str, n: int = 100) -> Corpus:
    return Corpus("data.jsonl", label_counts=Counter(dict.fromkeys(labels, n)))


@pytest.mark.parametrize(
    ("label", "words"),
    [("CHILDRENS_SHOES", ["CHILDRENS", "SHOES"]), ("childrensShoes", ["CHILDRENS", "SHOES"]),
     ("creative-work", ["CREATIVE", "WORK"]), ("GPE", ["GPE"])],
)  # fmt: skip
def test_label_words(label, words):
    assert label_words(label) == words


def test_labels_sharing_a_head_word_are_too_specific():
    [finding] = check_specific_labels(with_labels("ADULT_SHOES", "CHILDRENS_SHOES", "BAND"))
    assert finding.details["suggestion"] == "SHOES" and "ADULT_SHOES, CHILDRENS_SHOES" in finding.message


def test_labels_sharing_a_first_word_are_too_specific():
    [finding] = check_specific_labels(with_labels("LOC_CITY", "LOC_COUNTRY", "PERSON"))
    assert finding.details["suggestion"] == "LOC"


@pytest.mark.parametrize(
    "labels",
    [("PERSON", "ORG", "GPE", "LOC", "WORK_OF_ART", "PRODUCT"), ("PERSON_NAME", "PRODUCT_NAME"),
     ("person", "location", "group", "corporation", "product", "creative-work")],
)  # fmt: skip
def test_distinct_labels_are_not_too_specific(labels):
    assert not list(check_specific_labels(with_labels(*labels)))


@pytest.mark.parametrize(
    ("label", "suggestion"),
    [("BANDS_I_LIKE", "BANDS"), ("TOURIST_DESTINATION", "DESTINATION"), ("MY_FAVORITE_FOOD", "FOOD"),
     ("BEST", "what kind of thing it is")],
)  # fmt: skip
def test_subjective_labels(label, suggestion):
    [finding] = check_subjective_labels(with_labels(label))
    assert finding.details["suggestion"] == suggestion


@pytest.mark.parametrize("label", ["US_STATE", "PERSON", "GADGET", "ORG"])
def test_plain_labels_are_not_subjective(label):
    assert not list(check_subjective_labels(with_labels(label)))


def test_many_labels_with_very_few_examples():
    corpus = Corpus("data.jsonl", label_counts=Counter(A=3, B=5, C=19, D=500))
    [finding] = check_sparse_labels(corpus)
    assert finding.details["n_sparse"] == 3 and "A 3, B 5, C 19" in finding.message
    assert not list(check_sparse_labels(Corpus("x", label_counts=Counter(A=3, B=5, D=500))))


def string_labelled(text: str, *labels: str) -> LabelledString:
    entry = LabelledString()
    entry.forms[text] += 1
    for label in labels:
        entry.labels[label] = Tally(1, 1, [1])
    return entry


def test_labels_given_to_many_of_the_same_strings_overlap():
    labelled = {t.lower(): string_labelled(t, "ANIMAL", "PET") for t in ["dog", "cat", "hamster"]}
    labelled |= {t.lower(): string_labelled(t, "ANIMAL") for t in ["lion", "eagle"]}
    [finding] = check_overlapping_labels(Corpus("x"), labelled)
    assert (finding.details["first"], finding.details["second"], finding.details["n"]) == ("ANIMAL", "PET", 3)


def test_a_few_shared_strings_among_many_are_metonymy_not_overlap():
    labelled = {t: string_labelled(t, "group", "location") for t in ["texas", "houston", "fulham"]}
    labelled |= {f"team {i}": string_labelled(f"team {i}", "group") for i in range(40)}
    labelled |= {f"city {i}": string_labelled(f"city {i}", "location") for i in range(40)}
    assert not list(check_overlapping_labels(Corpus("x"), labelled))


def test_dev_labels_missing_from_train_and_the_reverse():
    train = Corpus("train.jsonl", label_counts=Counter(PERSON=300, GADGET=200))
    dev = Corpus("dev.jsonl", label_counts=Counter(PERSON=30, PER=4))
    assert [(f.code, f.details["label"], f.path) for f in check_dev_labels(train, dev)] == [
        ("L505", "PER", "dev.jsonl"),
        ("L506", "GADGET", "train.jsonl"),
    ]


def test_same_labels_in_train_and_dev_through_lint(tmp_path):
    train = [task("Zoe Marchetti is live", ("Zoe Marchetti", "PERSON")), *negatives(2)]
    dev = [task("Daniel Okoye spoke", ("Daniel Okoye", "PERSON")), task("nothing else to add")]
    report = lint_records(tmp_path, train, dev=dev, new_labels=[])
    assert not codes(report) & {"L501", "L502", "L503", "L504", "L505", "L506"}
    assert with_code(
        lint_records(tmp_path, train, dev=[task("Daniel Okoye", ("Daniel Okoye", "PER"))]), "L505"
    )
