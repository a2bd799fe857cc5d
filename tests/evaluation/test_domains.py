"""The update report per domain: agreement with the base, the new label's rate, and its warnings.

Entity rulers named ``ner`` stand in for the base and the updated pipeline: they predict what
their patterns say, so every figure is known in advance.
"""

from __future__ import annotations

from typing import Any

from model_helpers import ruler_pipeline
from nerforge.evaluation.domains import (
    MAX_FOREIGN_RATE,
    MIN_FOREIGN_WORDS,
    POOLED,
    DomainReport,
    DomainSample,
    DomainScore,
    judge_domains,
    measure_domains,
)
from nerforge.evaluation.forgetting import MIN_SUPPORT
from nerforge.records import Span, Task

# 50 words a text: 20 texts make a domain of MIN_FOREIGN_WORDS words, big enough to judge
NEWS = [
    f"Anna Berg spoke in Oslo on day {n} of the talks. {'More was said that day. ' * 8}"
    for n in range(MIN_SUPPORT)
]
EMAIL = [f"Hi team, the meeting {n} moved to Oslo." for n in range(5)]


BASE_PATTERNS = [{"label": "PERSON", "pattern": "Anna Berg"}, {"label": "GPE", "pattern": "Oslo"}]


def reference(texts: list[str]) -> tuple[Task, ...]:
    """The base's entities on the texts, as complete tasks (the base is a ruler of BASE_PATTERNS)."""
    base = ruler_pipeline(BASE_PATTERNS)
    return tuple(
        Task(doc.text, tuple(Span(e.start_char, e.end_char, e.label_) for e in doc.ents), complete=True)
        for doc in base.pipe(texts)
    )


def samples() -> list[DomainSample]:
    return [
        DomainSample("news", reference(NEWS), foreign=True),
        DomainSample("email", reference(EMAIL), foreign=True),
    ]


def measure(patterns: list[dict[str, Any]]) -> Any:
    return measure_domains(
        ruler_pipeline(patterns), samples(), old_labels=["GPE", "PERSON"], new_labels=["GADGET"]
    )


def test_a_pipeline_that_keeps_the_base_agrees_fully_and_warns_nothing() -> None:
    report = measure(BASE_PATTERNS)
    assert [d.domain for d in report.domains] == ["news", "email", POOLED]
    assert all(d.agreement == 1.0 and d.rate("GADGET") == 0.0 for d in report.domains)
    assert report.warnings == ()


def test_each_domain_gets_its_size_support_and_per_label_agreement() -> None:
    news = measure(BASE_PATTERNS).domains[0]
    assert news.n_texts == len(NEWS) and news.n_words == sum(len(t.split()) for t in NEWS)
    assert {a.label: a.support for a in news.labels} == {"GPE": MIN_SUPPORT, "PERSON": MIN_SUPPORT}


def test_a_new_label_firing_on_a_foreign_domain_is_warned_about() -> None:
    report = measure([*BASE_PATTERNS, {"label": "GADGET", "pattern": "talks"}])
    news = report.domains[0]
    assert news.new_counts == {"GADGET": len(NEWS)} and news.rate("GADGET") > MAX_FOREIGN_RATE
    flagged = {(w.kind, w.domain, w.label) for w in report.warnings}
    assert ("new_label_rate", "news", "GADGET") in flagged
    assert ("new_label_rate", "email", "GADGET") not in flagged  # none there


def test_an_old_label_lost_on_the_default_corpus_is_warned_about_on_the_pool() -> None:
    report = measure([{"label": "GPE", "pattern": "Oslo"}])  # PERSON forgotten
    drops = [w for w in report.warnings if w.kind == "old_label_drop"]
    assert [(w.domain, w.label) for w in drops] == [(POOLED, "PERSON")]
    assert "PERSON" in drops[0].message and "--rehearsal-ratio" in drops[0].message


def test_a_label_with_too_few_base_entities_is_not_judged() -> None:
    few = [DomainSample("email", reference(EMAIL), foreign=True)]  # 5 GPE: below MIN_SUPPORT
    nothing = ruler_pipeline([{"label": "GPE", "pattern": "Atlantis"}])
    report = measure_domains(nothing, few, old_labels=["GPE", "PERSON"], new_labels=["GADGET"])
    assert report.domains[0].agreement == 0.0 and report.warnings == ()


def test_predictions_on_the_users_own_spans_do_not_count_against_old_labels() -> None:
    texts = ["Oslo is where I bought my Oslo 3 phone"]
    base = reference(texts)  # GPE on both "Oslo"s
    gold = (Task(texts[0], (Span(26, 32, "GADGET"),), complete=True),)
    kept = (base[0].with_spans(tuple(s for s in base[0].spans if s.start == 0)),)
    sample = DomainSample("dev", kept, foreign=False, gold=gold)
    updated = ruler_pipeline([{"label": "GADGET", "pattern": "Oslo 3"}, {"label": "GPE", "pattern": "Oslo"}])
    report = measure_domains(updated, [sample], old_labels=["GPE"], new_labels=["GADGET"])
    assert report.domains[0].agreement == 1.0 and report.domains[0].new_counts == {"GADGET": 1}


def test_the_report_is_json_ready() -> None:
    data = measure([*BASE_PATTERNS, {"label": "GADGET", "pattern": "talks"}]).to_dict()
    assert data["new_labels"] == ["GADGET"] and data["domains"][0]["domain"] == "news"
    assert data["domains"][0]["new_label_rates"]["GADGET"] > MAX_FOREIGN_RATE
    assert any("GADGET fires" in message for message in data["warnings"])


def foreign(name: str, n_words: int, n_gadgets: int) -> DomainScore:
    """A hand-built foreign domain: its size and the new label's count, nothing measured."""
    return DomainScore(name, True, 5, n_words, 100.0, 0, (), {"GADGET": n_gadgets})


def judged(*domains: DomainScore) -> list[tuple[str, str]]:
    return [(w.kind, w.domain) for w in judge_domains(DomainReport(domains, ("GADGET",)))]


def test_a_rate_over_the_limit_on_a_small_domain_says_too_few_words_to_judge() -> None:
    report = DomainReport((foreign("finance", 329, 1),), ("GADGET",))  # 3.04 per 1,000 words
    [warning] = judge_domains(report)
    assert (warning.kind, warning.domain) == ("too_few_words", "finance")
    assert "329 words" in warning.message and "too few words to judge" in warning.message
    assert report.domains[0].to_dict()["new_label_verdicts"] == {"GADGET": "too few words to judge"}


def test_a_domain_of_enough_words_warns_over_one_per_thousand_words() -> None:
    assert judged(foreign("news", MIN_FOREIGN_WORDS, 2)) == [("new_label_rate", "news")]
    assert judged(foreign("news", MIN_FOREIGN_WORDS, 1)) == []  # exactly 1.0: not over
