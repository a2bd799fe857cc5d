"""Lint and the tokenizer: spans the tokenizer merges, grouped by shape, fixed by the proposed rule.

The misaligned spans here are the kind the course's iPhone example runs into: a product line
glued to its model number ("zorbo12"), where the annotator marked the product line ("zorbo")
as the BRAND and left the number out. spaCy's English tokenizer keeps "zorbo12" as one token,
so the span ends inside it; an infix between a letter and a digit splits it.
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from nerforge.io import read_tasks
from nerforge.lint import lint_tasks
from nerforge.lint.checks.alignment import check_token_boundaries
from nerforge.lint.checks.tokenization import (
    LETTER_DIGIT_INFIX,
    check_tokenizer_merges,
    classify_cut,
    find_merges,
    propose_rules,
)
from nerforge.lint.corpus import Corpus, collect
from nerforge.records import Span, Task
from nerforge.tokenization import add_tokenizer_rules, apply_rules, write_rules

BRANDS = ["zorbo", "kwix", "lumetra", "vanta", "pebblo"]


def brand_tasks() -> list[Task]:
    """20 texts, each with a BRAND span that stops where its model number starts."""
    tasks = []
    for index in range(20):
        brand = BRANDS[index % len(BRANDS)]
        text = f"got a {brand}{10 + index} today"
        tasks.append(Task(text, (Span(6, 6 + len(brand), "BRAND"),)))
    return tasks


def corpus_of(tasks: list[Task]) -> Corpus:
    return collect(tasks, Corpus("<tasks>"))


def misaligned(corpus: Corpus, nlp: Language) -> int:
    return len(list(check_token_boundaries(corpus, nlp, tokenizer_name="test", batch_size=8)))


def test_twenty_brand_numbers_give_one_finding_with_the_infix_rule():
    corpus = corpus_of(brand_tasks())
    [finding] = check_tokenizer_merges(corpus, spacy.blank("en"), tokenizer_name="spaCy 'en'")
    assert finding.code == "L110" and finding.severity == "warning"
    assert finding.details["n_spans"] == 20 and finding.details["shape"] == "letter-digit"
    assert finding.details["rule_dicts"] == [{"infix": LETTER_DIGIT_INFIX}]
    assert finding.details["n_fixed"] == 20 and "applied alone, it aligns 20 of the 20" in finding.message
    assert '{"infix":"(?<=[^\\\\W\\\\d_])(?=\\\\d)"}' in finding.message  # the JSON line itself
    assert "'zorbo' in 'zorbo10'" in finding.message and "tasks 1, 2, 3, 4, 5 and 15 more" in finding.message
    assert len(finding.examples) == 3 and finding.examples[0] == "task 1: 'zorbo' in 'zorbo10'"


def test_proposed_rule_aligns_the_spans_and_survives_saving(tmp_path):
    corpus = corpus_of(brand_tasks())
    assert misaligned(corpus, spacy.blank("en")) == 20
    rules = propose_rules(corpus, spacy.blank("en"))
    assert rules == [{"infix": LETTER_DIGIT_INFIX}]
    write_rules(rules, tmp_path / "rules.jsonl")
    add_tokenizer_rules(tmp_path / "rules.jsonl", base="blank:en", output=tmp_path / "fixed")
    reloaded = spacy.load(tmp_path / "fixed")
    assert misaligned(corpus, reloaded) == 0
    assert find_merges(corpus, reloaded) == []
    assert [token.text for token in reloaded("got a zorbo12 today")] == ["got", "a", "zorbo", "12", "today"]


def test_lint_reports_each_span_and_the_proposal_covers_them():
    report = lint_tasks(brand_tasks())
    assert sum(finding.code == "L101" for finding in report.findings) == 20


def test_shapes_of_cuts():
    assert classify_cut("zorbo12", 5).shape == "letter-digit"
    assert classify_cut("13pro", 2).shape == "digit-letter"
    assert (classify_cut("@@ps5", 2).shape, classify_cut("@@ps5", 2).symbol) == ("leading-symbol", "@@")
    assert (classify_cut("ps5!!", 3).shape, classify_cut("ps5!!", 3).symbol) == ("trailing-symbol", "!!")
    assert (classify_cut("rtx-4090", 3).shape, classify_cut("rtx-4090", 3).symbol) == ("symbol-inside", "-")
    assert classify_cut("PlayStation", 4).shape == "inside-word"


def test_each_shape_gets_its_own_rule_and_the_rules_fix_them():
    tasks = [
        Task("the rtx-4090 rocks", (Span(4, 7, "GADGET"),)),
        Task("the gtx-1080 too", (Span(4, 7, "GADGET"),)),
        Task("PlayStation is fun", (Span(0, 4, "BRAND"),)),
        Task("a 13pro phone", (Span(2, 4, "MODEL"),)),
        Task("my ps5++ broke", (Span(3, 6, "GADGET"),)),
        Task("my @@ps5 broke", (Span(5, 8, "GADGET"),)),
    ]
    corpus = corpus_of(tasks)
    nlp = spacy.blank("en")
    merges = find_merges(corpus, nlp)
    assert (merges[0].shape, merges[0].n_spans) == ("symbol-inside", 2)  # most spans first
    rules = propose_rules(corpus, nlp)
    assert {"infix": "\\-"} in rules and {"prefix": "@@"} in rules and {"suffix": "\\+\\+"} in rules
    assert {"special_case": "PlayStation", "pieces": ["Play", "Station"]} in rules
    assert misaligned(corpus, nlp) == 6
    apply_rules(nlp, rules)
    assert misaligned(corpus, nlp) == 0


def test_a_rule_that_aligns_none_of_its_spans_is_not_proposed():
    text = "see https://zorbo12.example.com now"  # spaCy keeps a URL whole, whatever the infixes
    start = text.index("https")
    corpus = corpus_of([Task(text, (Span(start, text.index("12"), "SITE"),))])  # 'https://zorbo
    [merge] = find_merges(corpus, spacy.blank("en"))
    assert merge.shape == "letter-digit" and merge.n_fixed == 0
    [finding] = check_tokenizer_merges(corpus, spacy.blank("en"), tokenizer_name="spaCy 'en'")
    assert "would not split there" in finding.message and "--fix-tokenizer leaves it out" in finding.message
    assert propose_rules(corpus, spacy.blank("en")) == []


def test_spans_off_by_whitespace_only_are_left_to_l102():
    corpus = corpus_of([Task("got a zorbo today", (Span(5, 11, "BRAND"),))])
    assert find_merges(corpus, spacy.blank("en")) == []


def test_span_offsets_of_every_task_survive_retokenization():
    """The demo's reviewed tasks and the brand tasks, before and after the proposed rules."""
    from nerforge.demo import REVIEWED

    tasks = [*read_tasks(REVIEWED), *brand_tasks()]
    before, after = spacy.blank("en"), spacy.blank("en")
    apply_rules(after, propose_rules(corpus_of(tasks), before))
    apply_rules(after, [{"special_case": "gimme", "pieces": ["gim", "me"]}, {"prefix": "#"}])
    texts = [task.text for task in tasks]
    n_spans = 0
    for task, old, new in zip(tasks, before.pipe(texts), after.pipe(texts), strict=True):
        assert new.text == task.text  # retokenizing never changes a text
        assert "".join(token.text_with_ws for token in new) == task.text
        for span in task.spans:
            n_spans += 1
            assert 0 <= span.start < span.end <= len(new.text)
            if old.char_span(span.start, span.end) is not None:  # aligned before: aligned after
                aligned = new.char_span(span.start, span.end)
                assert aligned is not None and aligned.text == span.text_in(task.text)
    assert n_spans > 100
