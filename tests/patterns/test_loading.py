"""Pattern files: token and phrase patterns, any key case, every bad line reported."""

from __future__ import annotations

import pytest
import spacy

from course_data import FIXTURES
from nerforge.errors import PatternError
from nerforge.patterns import PatternMatcher, load_patterns


def test_token_and_phrase_patterns_with_ids(write_file):
    path = write_file(
        "p.jsonl",
        '{"label": "GADGET", "pattern": [{"LOWER": "iphone"}, {"IS_DIGIT": true}], "id": "iphone-n"}\n'
        "\n"
        '{"label": "GADGET", "pattern": "Galaxy S9"}\n',
    )
    patterns = load_patterns(path)
    assert [p.id for p in patterns] == ["iphone-n", "p.jsonl:3"]
    assert [p.is_phrase for p in patterns] == [False, True]


def test_lowercase_attribute_names_load_and_match(write_file):
    patterns = load_patterns(
        write_file("p.jsonl", '{"label": "GADGET", "pattern": [{"lower": "pixel"}, {"is_digit": true}]}')
    )
    nlp = spacy.blank("en")
    spans = PatternMatcher(nlp, patterns).find_spans(nlp.make_doc("my Pixel 7 broke"))
    assert [(s.start, s.end) for s in spans] == [(3, 10)]


def test_prodigy_pattern_file_loads_and_matches():
    patterns = load_patterns(FIXTURES / "prodigy_patterns_countries-GPE.jsonl")
    assert len(patterns) == 38
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Flights from Brazil to the Åland Islands and Bosnia-Herzegovina")
    found = {doc.text[s.start : s.end] for s in PatternMatcher(nlp, patterns).find_spans(doc)}
    assert found == {"Brazil", "Åland Islands", "Bosnia-Herzegovina"}


def test_every_bad_line_is_reported_at_once(write_file):
    path = write_file(
        "bad.jsonl",
        '{"pattern": [{"LOWER": "x"}]}\n'
        '{"label": "GADGET", "pattern": [{"LOWER": "ok"}]}\n'
        '{"label": "GADGET", "pattern": [{"LOWR": "typo"}]}\n'
        '{"label": "GADGET", "pattern": [{"LOWER": "x"}\n'
        '{"label": "GADGET", "pattern": ""}\n',
    )
    with pytest.raises(PatternError, match=r"\[E106\] .*4 problem") as err:
        load_patterns(path)
    message = str(err.value)
    for line in (1, 3, 4, 5):
        assert f"bad.jsonl, line {line}:" in message
    assert "bad.jsonl, line 2:" not in message
    assert "LOWR" in message


def test_each_listed_problem_shows_its_own_code(write_file):
    path = write_file("bad.jsonl", '{"pattern": [{"LOWER": "x"}]}\n{"label": "G", "pattern": [\n')
    with pytest.raises(PatternError) as err:
        load_patterns(path)
    message = str(err.value)
    assert "bad.jsonl, line 1: [E101] " in message and "bad.jsonl, line 2: [E002] " in message


def test_empty_pattern_file(write_file):
    with pytest.raises(PatternError, match=r"\[E107\]"):
        load_patterns(write_file("p.jsonl", "\n"))
