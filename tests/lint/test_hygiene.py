"""Hygiene checks (L6xx): duplicates, train/dev leakage, incomplete tasks, text lengths."""

from __future__ import annotations

import pytest
from lint_helpers import codes, lint_records, negatives, task, with_code

from nerforge.lint.checks.hygiene import near_duplicate_key

HYGIENE = {"L601", "L602", "L603", "L604", "L605", "L606", "L607", "L608"}


def test_same_text_annotated_two_ways(tmp_path):
    records = [
        task("Pixel 7 or Galaxy S9?", ("Pixel 7", "GADGET"), ("Galaxy S9", "GADGET")),
        task("something else"),
        task("Pixel 7 or Galaxy S9?", ("Pixel 7", "GADGET")),
    ]
    [finding] = with_code(lint_records(tmp_path, records), "L601")
    assert finding.severity == "error" and finding.line == 1 and "lines 1, 3" in finding.message
    assert "line 1 has 'Pixel 7' GADGET, 'Galaxy S9' GADGET; line 3 has 'Pixel 7' GADGET" in finding.message


def test_incomplete_copy_with_fewer_spans_does_not_conflict(tmp_path):
    records = [
        task("Pixel 7 or Galaxy S9?", ("Pixel 7", "GADGET"), ("Galaxy S9", "GADGET")),
        task("Pixel 7 or Galaxy S9?", ("Pixel 7", "GADGET"), complete=False),
    ]
    report = lint_records(tmp_path, records)
    assert not with_code(report, "L601")
    [repeats] = with_code(report, "L602")
    assert repeats.severity == "info" and "line 1 = line 2" in repeats.message


def test_incomplete_copy_with_another_boundary_conflicts(tmp_path):
    records = [
        task("the Pixel 7 Pro is out", ("Pixel 7 Pro", "GADGET")),
        task("the Pixel 7 Pro is out", ("Pixel 7", "GADGET"), complete=False),
    ]
    assert with_code(lint_records(tmp_path, records), "L601")


def test_dev_text_in_train(tmp_path):
    shared = task("the Pixel 7 battery lasts two whole days", ("Pixel 7", "GADGET"))
    train = [shared, task("hello there you", ("you", "X"))]
    dev = [task("a dev text of its own, about nothing"), shared]
    [finding] = with_code(lint_records(tmp_path, train, dev=dev), "L603")
    assert finding.severity == "error" and finding.location.endswith("dev.jsonl, line 2")
    assert "dev line 2 = train line 1" in finding.message


def test_dev_text_nearly_repeating_a_train_text(tmp_path):
    train = [
        task("RT @gadgetfan: the Pixel 7 battery lasts TWO days! https://t.co/x1", ("Pixel 7", "GADGET"))
    ]
    dev = [task("the pixel 7 battery lasts two days https://t.co/other", ("pixel 7", "GADGET"))]
    [finding] = with_code(lint_records(tmp_path, train, dev=dev), "L604")
    assert finding.severity == "warning" and "dev line 1 = train line 1" in finding.message


def test_short_texts_repeat_by_chance(tmp_path):
    train = [task("thank you so", ("you", "X")), *negatives(2)]
    dev = [task("thank you so", ("you", "X"))]
    assert not codes(lint_records(tmp_path, train, dev=dev)) & {"L603", "L604"}


def test_near_duplicate_key():
    assert near_duplicate_key("RT @a_b: Hello, World!! http://x.y/z www.q.com") == "hello world"


def test_some_tasks_incomplete(tmp_path):
    records = [task("Pixel 7 is here", ("Pixel 7", "GADGET")), task("Galaxy S9 too", complete=False)]
    [finding] = with_code(lint_records(tmp_path, records), "L605")
    assert finding.severity == "info" and "1 of 2 tasks are incomplete" in finding.message


def test_all_tasks_incomplete(tmp_path):
    records = [task("Pixel 7 is here", ("Pixel 7", "GADGET"), complete=False)]
    [finding] = with_code(lint_records(tmp_path, records), "L606")
    assert finding.severity == "warning" and "--base" in finding.message


@pytest.mark.parametrize(("text", "code"), [("word " * 1001, "L607"), ("   ", "L608"), ("", "L608")])
def test_texts_too_long_or_empty(tmp_path, text, code):
    [finding] = with_code(lint_records(tmp_path, [task("Pixel 7", ("Pixel 7", "GADGET")), task(text)]), code)
    assert finding.line == 2


def test_clean_data_has_no_hygiene_findings(tmp_path):
    train = [task("Pixel 7 is here at last", ("Pixel 7", "GADGET")), *negatives(3)]
    dev = [
        task("the Galaxy S9 is old news by now", ("Galaxy S9", "GADGET")),
        task("nothing in this one at all"),
    ]
    assert not codes(lint_records(tmp_path, train, dev=dev)) & HYGIENE
