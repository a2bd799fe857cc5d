"""Past the first texts, predict, bootstrap and evaluate read in spaCy memory zones (issue 21).

spaCy's vocab keeps every new word it meets; over a corpus of millions of comments (IDs,
URLs, typos) that is memory growing with the corpus. In a zone, what a batch adds is freed.
"""

from __future__ import annotations

import pytest

from model_helpers import ruler_pipeline
from nerforge import pipelines
from nerforge.evaluation.evaluate import evaluate
from nerforge.evaluation.predict import NerWork
from nerforge.patterns.bootstrap import _local_finder
from nerforge.records import Pattern, Span, Task


@pytest.fixture
def few_warm_texts(monkeypatch):
    monkeypatch.setattr(pipelines, "WARM_TEXTS", 2)


ASPIRIN = [{"label": "DRUG", "pattern": "aspirin"}]


def unseen_words(batch):
    return [f"aspirin qzx{batch}a{i} qzx{batch}b{i}" for i in range(3)]


def new_strings(nlp, batches):
    return [word for batch in batches for text in batch for word in text.split() if word in nlp.vocab.strings]


@pytest.mark.usefixtures("few_warm_texts")
def test_predict_work_frees_the_words_of_each_batch_past_the_first_texts():
    nlp = ruler_pipeline(ASPIRIN)
    work = NerWork(nlp)
    warm, later = unseen_words(0), [unseen_words(1), unseen_words(2)]
    assert [p.spans for p in work(warm)] == [[Span(0, 7, "DRUG")]] * 3
    found = [work(batch) for batch in later]
    assert all(p.spans == [Span(0, 7, "DRUG")] and p.n_words == 3 for batch in found for p in batch)
    assert new_strings(nlp, [warm]) != []  # the first texts' words stay: they are the common ones
    assert new_strings(nlp, later) == ["aspirin"] * 6  # only what was known before


@pytest.mark.usefixtures("few_warm_texts")
def test_bootstrap_work_frees_the_words_of_each_batch():
    finder = _local_finder([Pattern("DRUG", "aspirin", id="a")], None, "en", "ORTH")
    finder(unseen_words(0))
    later = [unseen_words(1), unseen_words(2)]
    found = [finder(batch) for batch in later]
    assert all(f.pattern_spans == [Span(0, 7, "DRUG", source="a")] for batch in found for f in batch)
    assert new_strings(finder.nlp, later) == ["aspirin"] * 6


@pytest.mark.usefixtures("few_warm_texts")
def test_evaluate_frees_the_words_of_each_batch():
    nlp = ruler_pipeline(ASPIRIN)
    batches = [unseen_words(i) for i in range(4)]
    tasks = [Task(text, (Span(0, 7, "DRUG"),)) for batch in batches for text in batch]
    result = evaluate(nlp, tasks, batch_size=3)
    assert result.scores.overall.tp == 12 and result.scores.overall.fp == 0
    assert new_strings(nlp, batches[1:]) == ["aspirin"] * 9
