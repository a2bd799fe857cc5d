"""The demo's act beyond NER: the derived category, its classifier, and the tokenizer rule."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.demo.beyond import (
    CATEGORY,
    GLUED,
    classify_comments,
    cut_tokens,
    fix_tokenizer,
    with_category,
)
from nerforge.io import write_tasks
from nerforge.lint.checks.tokenization import MIN_SPANS_FOR_RULE
from nerforge.records import Span, Task


def _task(text: str, *spans: tuple[str, str]) -> Task:
    found = [Span(text.index(part), text.index(part) + len(part), label) for part, label in spans]
    return Task(text, spans=tuple(found))


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (_task("my kindle died", ("kindle", "GADGET")), 1.0),
        (_task("rain all day in leeds"), 0.0),
        (_task("tim cook on stage", ("tim cook", "PERSON")), 0.0),
    ],
)
def test_category_follows_gadget_spans(task, expected):
    (derived,) = with_category([task])
    assert derived.cats == {CATEGORY: expected}
    assert derived.text == task.text
    assert not derived.spans  # the classifier trains alone


def test_cut_tokens_names_the_token_a_span_cuts():
    tasks = [
        _task("got the ipad+pencil bundle", ("ipad", "GADGET")),
        _task("my ipad is fine", ("ipad", "GADGET")),
    ]
    assert cut_tokens(tasks, spacy.blank("en")) == ["ipad+pencil"]


def test_glued_comments_get_a_rule_that_aligns_them(tmp_path):
    fix = fix_tokenizer(tmp_path, GLUED)
    assert fix.finding is not None and fix.finding.code == "L110"
    assert fix.rules == ({"infix": "\\+"},)
    assert json.loads(fix.rules_path.read_text(encoding="utf-8")) == {"infix": "\\+"}
    assert fix.n_cut_before >= MIN_SPANS_FOR_RULE
    assert fix.n_cut_after == 0
    assert fix.pipeline is not None and (fix.pipeline / "tokenizer").exists()
    assert fix.example == ("ipad+pencil", ("ipad", "+", "pencil"))


def test_aligned_data_gets_no_rule(tmp_path):
    data = tmp_path / "aligned.jsonl"
    text = "my ipad is fine"
    data.write_text(json.dumps({"text": text, "spans": [{"start": 3, "end": 7, "label": "GADGET"}]}) + "\n")
    fix = fix_tokenizer(tmp_path, data)
    assert fix.finding is None and fix.rules == () and fix.pipeline is None
    assert (fix.n_spans, fix.n_cut_before, fix.n_cut_after) == (1, 0, 0)
    assert not fix.rules_path.exists()


def test_classifier_trains_on_the_derived_category_and_is_scored(tmp_path):
    about = ["my {} broke", "love the new {}", "is the {} worth it", "selling my old {}"]
    things = ["kindle", "ipad", "gopro", "ps5", "pixel 8"]
    other = ["rain again in {}", "lunch in {} was great", "the bus to {} is late", "{} has nice parks"]
    places = ["leeds", "lagos", "austin", "lyon", "perth"]
    rows = [_task(t.format(x), (x, "GADGET")) for t in about for x in things]
    rows += [_task(t.format(x)) for t in other for x in places]
    reviewed, evaluation = tmp_path / "reviewed.jsonl", tmp_path / "eval.jsonl"
    train, test = rows[::2] + rows[1::4], rows[3::4]  # no text in both
    write_tasks(train, reviewed)
    write_tasks(test, evaluation)
    result = classify_comments(tmp_path, reviewed, evaluation, epochs=2)
    assert (result.n_texts, result.n_positive) == (len(train), sum(bool(t.spans) for t in train))
    assert set(result.scores.per_class) == {CATEGORY}
    assert result.scores.n_tasks == len(test)
    assert (result.model / "config.cfg").exists()
