"""Tokenizer rules files: validation with every bad line, rules applied, saved and reloaded."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.errors import PipelineError, TokenizerRuleError
from nerforge.tokenization import (
    TokenizerRule,
    add_tokenizer_rules,
    apply_rules,
    load_rules,
    save_pipeline,
    write_rules,
)

LETTER_DIGIT = r"(?<=[a-z])(?=[0-9])"


def rules_file(write_file, *rules: object):
    return write_file("rules.jsonl", "".join(json.dumps(rule) + "\n" for rule in rules))


def words(nlp: spacy.Language, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


def test_each_kind_of_rule_is_read(write_file):
    path = rules_file(
        write_file,
        {"special_case": "gimme", "pieces": ["gim", "me"]},
        {"prefix": "#"},
        {"suffix": "...", "literal": True, "comment": "three dots, not any three characters"},
        {"infix": LETTER_DIGIT},
    )
    assert load_rules(path) == [
        TokenizerRule("special_case", "gimme", ("gim", "me")),
        TokenizerRule("prefix", "#"),
        TokenizerRule("suffix", r"\.\.\."),
        TokenizerRule("infix", LETTER_DIGIT),
    ]


def test_every_bad_line_is_reported_with_its_number(write_file):
    content = "\n".join(
        [
            '{"special_case": "gimme", "pieces": ["gim", "me"]}',
            '{"special_case": "gimme", "pieces": ["gim", "mee"]}',  # 2: pieces don't join to the text
            '{"infix": "(?<=[a-z]"}',  # 3: invalid regex
            "",
            '{"prefix": "#", "suffix": "!"}',  # 5: two kinds
            '{"prefix": "#", "colour": "red"}',  # 6: unknown field
            "{not json",  # 7
        ]
    )
    path = write_file("rules.jsonl", content)
    with pytest.raises(TokenizerRuleError, match=r"\[E146\]") as caught:
        load_rules(path)
    message = str(caught.value)
    assert "5 problem(s)" in message
    for line, code_text in [
        (2, "join to 'gimmee', not to the text"),
        (3, "not a valid regular expression"),
        (5, "'prefix' and 'suffix'"),
        (6, "Unknown field(s) 'colour'"),
        (7, "Invalid JSON"),
    ]:
        assert f"rules.jsonl, line {line}: " in message
        assert code_text in message
    assert "line 1:" not in message


def test_file_without_rules_is_an_error(write_file):
    with pytest.raises(TokenizerRuleError, match=r"\[E147\]"):
        load_rules(write_file("rules.jsonl", "\n\n"))


def test_rules_split_text_and_never_change_it():
    nlp = spacy.blank("en")
    text = "gimme my zorbo12 today..."
    assert words(nlp, text) == ["gimme", "my", "zorbo12", "today", "..."]
    changes = apply_rules(
        nlp, [{"special_case": "gimme", "pieces": ["gim", "me"]}, {"infix": LETTER_DIGIT}, {"prefix": "#"}]
    )
    assert words(nlp, text) == ["gim", "me", "my", "zorbo", "12", "today", "..."]
    assert nlp(text).text == text
    assert [rule.kind for rule in changes.added] == ["special_case", "infix"]
    assert changes.present == (TokenizerRule("prefix", "#"),)  # spaCy's English prefixes have '#'


def test_applying_the_same_rules_twice_changes_nothing():
    nlp = spacy.blank("en")
    rules = [{"special_case": "gimme", "pieces": ["gim", "me"]}, {"infix": LETTER_DIGIT}]
    apply_rules(nlp, rules)
    again = apply_rules(nlp, rules)
    assert again.added == () and len(again.present) == 2


def test_a_special_case_may_hold_a_space():
    nlp = spacy.blank("en")
    apply_rules(nlp, [{"special_case": "New York", "pieces": ["New York"]}])
    assert words(nlp, "I love New York now") == ["I", "love", "New York", "now"]


def test_a_language_without_affixes_gets_its_first_ones():
    nlp = spacy.blank("xx")
    nlp.tokenizer.prefix_search = None
    apply_rules(nlp, [{"prefix": "#"}])
    assert words(nlp, "#ps5") == ["#", "ps5"]


def test_invalid_rules_given_in_python_are_refused():
    with pytest.raises(TokenizerRuleError, match=r"\[E146\]") as caught:
        apply_rules(spacy.blank("en"), [{"special_case": "gimme", "pieces": ["give", "me"]}])
    assert "<rules>, rule 1: " in str(caught.value) and "join to 'giveme'" in str(caught.value)


def test_saved_pipeline_reloads_with_the_rules(tmp_path):
    nlp = spacy.blank("en")
    apply_rules(nlp, [{"special_case": "gimme", "pieces": ["gim", "me"]}, {"infix": LETTER_DIGIT}])
    save_pipeline(nlp, tmp_path / "out")
    reloaded = spacy.load(tmp_path / "out")
    assert words(reloaded, "gimme a zorbo12") == ["gim", "me", "a", "zorbo", "12"]
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".")]  # no temp left


def test_the_output_folder_parents_are_made(tmp_path):
    add_tokenizer_rules([{"infix": LETTER_DIGIT}], base="blank:en", output=tmp_path / "models" / "tokenized")
    assert words(spacy.load(tmp_path / "models" / "tokenized"), "zorbo12") == ["zorbo", "12"]


def test_add_tokenizer_rules_from_a_pipeline_folder(tmp_path, write_file):
    spacy.blank("en").to_disk(tmp_path / "base")
    rules = rules_file(write_file, {"infix": LETTER_DIGIT})
    update = add_tokenizer_rules(rules, base=tmp_path / "base", output=tmp_path / "with-rules")
    assert update.changes.added == (TokenizerRule("infix", LETTER_DIGIT),)
    assert words(spacy.load(tmp_path / "with-rules"), "zorbo12") == ["zorbo", "12"]
    assert words(spacy.load(tmp_path / "base"), "zorbo12") == ["zorbo12"]  # the base is untouched


def test_existing_output_needs_overwrite(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    rules = [{"infix": LETTER_DIGIT}]
    with pytest.raises(PipelineError, match=r"\[E148\]"):
        add_tokenizer_rules(rules, base="blank:en", output=tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"
    add_tokenizer_rules(rules, base="blank:en", output=tmp_path / "out", overwrite=True)
    assert not (tmp_path / "out" / "keep.txt").exists()
    assert words(spacy.load(tmp_path / "out"), "zorbo12") == ["zorbo", "12"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_unknown_blank_language_is_a_coded_error(tmp_path):
    with pytest.raises(PipelineError, match=r"\[E149\]"):
        add_tokenizer_rules([{"prefix": "#"}], base="blank:nolang", output=tmp_path / "out")


def test_written_rules_read_back(tmp_path):
    rules = [
        {"infix": LETTER_DIGIT},
        {"special_case": "gimme", "pieces": ["gim", "me"]},
        {"infix": LETTER_DIGIT},
    ]
    assert write_rules(rules, tmp_path / "rules.jsonl") == 2
    assert [rule.to_dict() for rule in load_rules(tmp_path / "rules.jsonl")] == rules[:2]


def test_before_init_callback_adds_the_rules(write_file):
    from nerforge.tokenization.callbacks import create_tokenizer_rules

    callback = create_tokenizer_rules(rules_file(write_file, {"infix": LETTER_DIGIT}))
    nlp = callback(spacy.blank("en"))
    assert words(nlp, "zorbo12") == ["zorbo", "12"]


def test_before_init_callback_reads_the_file_when_made(write_file):
    from nerforge.tokenization.callbacks import create_tokenizer_rules

    with pytest.raises(TokenizerRuleError, match=r"\[E146\]"):
        create_tokenizer_rules(rules_file(write_file, {"infix": "("}))


def test_a_tokenizer_that_is_not_spacys_own_takes_no_rules():
    nlp = spacy.blank("en")
    nlp.tokenizer = lambda text: spacy.tokens.Doc(nlp.vocab, words=text.split())
    with pytest.raises(PipelineError, match=r"\[E151\]"):
        apply_rules(nlp, [{"prefix": "#"}])
