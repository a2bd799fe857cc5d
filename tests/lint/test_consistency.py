"""Consistency checks (L2xx): one string labelled in one place and not, or otherwise, in another."""

from __future__ import annotations

from lint_helpers import codes, lint_records, negatives, task, with_code

from nerforge.lint.checks.consistency import collect_labelled_strings
from nerforge.lint.corpus import Corpus, collect
from nerforge.records import Span, Task

CONSISTENCY = {"L201", "L202", "L203"}


def test_name_labelled_twice_and_left_unlabelled_once(tmp_path):
    records = [
        task("Alexis Ohanian started a new fund", ("Alexis Ohanian", "PERSON")),
        task("an interview with alexis ohanian", ("alexis ohanian", "PERSON")),
        task("I met Alexis  Ohanian at the airport"),  # complete, unlabelled, two spaces
        *negatives(5),
    ]
    [finding] = with_code(lint_records(tmp_path, records), "L201")
    assert finding.severity == "warning" and finding.line == 3
    assert "'Alexis Ohanian' is labelled PERSON 2 time(s) (lines 1, 2)" in finding.message
    assert "left unlabelled 1 time(s) in complete tasks (line 3)" in finding.message


def test_unmarked_in_incomplete_tasks_is_unknown_not_unlabelled(tmp_path):
    records = [
        task("Alexis Ohanian started a new fund", ("Alexis Ohanian", "PERSON")),
        task("an interview with Alexis Ohanian", ("Alexis Ohanian", "PERSON")),
        task("I met Alexis Ohanian at the airport", complete=False),
    ]
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY


def test_part_of_a_longer_entity_is_not_unlabelled(tmp_path):
    records = [
        task("York is lovely", ("York", "GPE")),
        task("York again", ("York", "GPE")),
        task("flights to New York", ("New York", "GPE")),
    ]
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY


def test_lower_case_common_word_is_not_a_missed_abbreviation(tmp_path):
    records = [
        task("moving to Toronto ON next week", ("ON", "GPE")),
        task("Ottawa ON is cold", ("ON", "GPE")),
        task("turn the light on please"),
    ]
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY


def test_string_mostly_used_as_a_word_is_not_reported(tmp_path):
    records = [task("March said hello", ("March", "PERSON"))]
    records += [task(f"March {day} is a day in spring") for day in range(5, 15)]
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY


def test_one_labelled_and_one_unlabelled_occurrence_is_a_note(tmp_path):
    records = [
        task("Sunny waved at me", ("Sunny", "PERSON")),
        task("Sunny weather all week"),
    ]
    report = lint_records(tmp_path, records)
    [finding] = with_code(report, "L203")
    assert finding.severity == "info" and not with_code(report, "L201")
    assert finding.examples == ("'Sunny' (PERSON on line 1, unlabelled on line 2)",)


def test_same_string_with_two_labels(tmp_path):
    records = [
        task("Paris is in France", ("Paris", "GPE"), ("France", "GPE")),
        task("a weekend in Paris", ("Paris", "GPE")),
        task("Paris Hilton's new song, or was it Paris?", ("Paris Hilton", "PERSON"), ("Paris", "PERSON")),
    ]
    [finding] = with_code(lint_records(tmp_path, records), "L202")
    assert "'Paris' is labelled GPE 2x, PERSON 1x" in finding.message
    assert "GPE: lines 1, 2; PERSON: line 3" in finding.message


def test_consistent_labelling_has_no_findings(tmp_path):
    records = [
        task("Alexis Ohanian started a new fund", ("Alexis Ohanian", "PERSON")),
        task("I met Alexis Ohanian at the airport", ("Alexis Ohanian", "PERSON")),
        task("Paris in spring", ("Paris", "GPE")),
        *negatives(3),
    ]
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY


def test_repeated_texts_count_once():
    tasks = [Task("Kim Lee", (Span(0, 7, "PERSON"),)), Task("Kim Lee", (Span(0, 7, "PERSON"),))]
    labelled = collect_labelled_strings(collect(tasks, Corpus("x")))
    assert labelled["kim lee"].n == 1


def test_a_span_both_accepted_and_rejected_in_one_task_is_an_error(tmp_path):
    record = task("I love my Pixel 8", ("Pixel 8", "GADGET"))
    record["spans"].append({**record["spans"][0], "answer": "reject"})
    [finding] = with_code(lint_records(tmp_path, [record, *negatives(3)]), "L204")
    assert finding.severity == "error" and finding.line == 1
    assert "Span 10-17 GADGET 'Pixel 8' is both accepted and rejected" in finding.message
    assert "delete the other copy" in finding.message


def test_a_rejected_occurrence_is_a_decision_not_left_unlabelled(tmp_path):
    records = [
        task("Alexis Ohanian started a new fund", ("Alexis Ohanian", "PERSON")),
        task("an interview with Alexis Ohanian", ("Alexis Ohanian", "PERSON")),
        task("the Alexis Ohanian fund", ("Alexis Ohanian", "PERSON")),
        *negatives(5),
    ]
    records[2]["spans"][0]["answer"] = "reject"  # the reviewer: here it names the fund, not a PERSON
    assert not codes(lint_records(tmp_path, records)) & CONSISTENCY
