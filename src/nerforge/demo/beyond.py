"""The demo's act beyond NER: a text classifier and a tokenizer rule, on the same comments.

``classify_comments`` derives a text category from the reviewed GADGET spans, trains a text
classifier on it and scores it on the evaluation set labelled the same way.
``fix_tokenizer`` lints ``glued.jsonl`` (comments where a ``+`` glues a gadget to the next
word), adds the tokenizer rule lint proposes to a blank pipeline, and counts the spans that
cut a token before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..evaluation.evaluate import evaluate
from ..evaluation.textcat import TextcatScores
from ..io import read_tasks, write_tasks
from ..lint import Finding, lint
from ..records import Task
from ..tokenization import add_tokenizer_rules
from ..training import Trainer

GLUED = Path(__file__).parent / "glued.jsonl"
CATEGORY = "ABOUT_GADGETS"  # the example: does a comment talk about a gadget?
SPAN_LABEL = "GADGET"  # a comment is about gadgets when its task has a span of this label
# a bag-of-words classifier on ~400 texts: seconds an epoch. F on the demo's eval set, seed 0:
# 84.3 at 2 epochs, 90.4 at 10 (4 s), 91.2 at 20 (5 s)
CATEGORY_EPOCHS = 10
BLANK_BASE = "blank:en"  # the tokenizer the demo's data is checked against (lint's default)


@dataclass(frozen=True)
class CategoryResult:
    """A text classifier trained on the reviewed comments' derived category, and its scores.

    Attributes:
        n_texts: Training texts (the reviewed tasks).
        n_positive: Those whose category is 1.0.
        scores: Per-class and macro scores on the evaluation set, labelled the same way.
        model: The classifier's ``model-best``.
    """

    n_texts: int
    n_positive: int
    scores: TextcatScores
    model: Path


@dataclass(frozen=True)
class TokenizerFix:
    """The tokenizer rule lint proposed for spans that cut tokens, and its effect.

    Attributes:
        finding: Lint's L110 finding (the spans, their shape, the rule); None if it found none.
        rules: The proposed rules, in RULES.jsonl form.
        rules_path: Where lint wrote them (``--fix-tokenizer``).
        pipeline: The blank pipeline saved with them (``nerforge tokenizer add``); None
            without rules.
        n_spans: Spans in the data.
        n_cut_before: Spans that cut a token of spaCy's blank English tokenizer.
        n_cut_after: Spans that cut a token of the saved pipeline's tokenizer.
        example: A token a span cut, and the tokens it becomes with the rules.
    """

    finding: Finding | None
    rules: tuple[dict[str, Any], ...]
    rules_path: Path
    pipeline: Path | None
    n_spans: int
    n_cut_before: int
    n_cut_after: int
    example: tuple[str, tuple[str, ...]] | None = None


def with_category(tasks: Iterable[Task]) -> Iterator[Task]:
    """Each task as a text-category task: ``cats[CATEGORY]`` 1.0 if it has a GADGET span, else 0.0.

    The spans are left out, so that a classifier trains alone; text and meta are kept.
    """
    for task in tasks:
        about = any(span.label == SPAN_LABEL for span in task.accepted_spans)
        yield Task(task.text, cats={CATEGORY: 1.0 if about else 0.0}, meta=task.meta)


def classify_comments(
    folder: Path, reviewed: Path, evaluation: Path, *, epochs: int = CATEGORY_EPOCHS
) -> CategoryResult:
    """Train a text classifier on the reviewed comments' category; score it on the evaluation set.

    Args:
        folder: Where the category data and the classifier are written.
        reviewed: Reviewed GADGET tasks to derive the training categories from (20% is held
            out for model selection).
        evaluation: Gold GADGET tasks to derive the test categories from.
        epochs: Passes over the training texts.
    """
    train = folder / "categories.jsonl"
    # materialised on purpose: written once, and its positives counted
    tasks = list(with_category(read_tasks(reviewed)))
    write_tasks(tasks, train)
    output = folder / "category-model"
    Trainer(max_epochs=epochs).fit(train, output=output, overwrite=True)
    model = output / "model-best"
    scored = evaluate(model, list(with_category(read_tasks(evaluation))))
    assert scored.cats is not None  # the model has a text classifier and the gold has cats
    n_positive = sum(task.cats[CATEGORY] == 1.0 for task in tasks)
    return CategoryResult(len(tasks), n_positive, scored.cats, model)


def cut_tokens(tasks: Sequence[Task], nlp: Language) -> list[str]:
    """The token each span cuts (starts or ends inside), one per such span, in order."""
    tokenizer: Any = nlp.tokenizer
    cut: list[str] = []
    for task, doc in zip(tasks, tokenizer.pipe(task.text for task in tasks), strict=True):
        cut += [_cut_token(doc, span.start, span.end) for span in task.accepted_spans]
    return [token for token in cut if token]


def _cut_token(doc: Doc, start: int, end: int) -> str:
    """The token with ``start`` or ``end`` strictly inside it; "" when the span is aligned."""
    if doc.char_span(start, end) is not None:
        return ""
    for offset in (start, end):
        for token in doc:
            if token.idx < offset < token.idx + len(token):
                return token.text
    return doc.text[start:end]  # off only by edge whitespace: the span itself is the example


def fix_tokenizer(folder: Path, data: Path = GLUED) -> TokenizerFix:
    """Lint ``data``, add the tokenizer rules it proposes to a blank pipeline, count cut spans.

    As ``nerforge lint DATA --fix-tokenizer RULES`` and then ``nerforge tokenizer add RULES
    --base blank:en -o DIR`` do; the saved pipeline is loaded back to count, so the count
    shows what ``spacy.load`` keeps.
    """
    rules_path = folder / "tokenizer-rules.jsonl"
    report = lint(data, fix_tokenizer=rules_path)
    finding = next((found for found in report.findings if found.code == "L110"), None)
    tasks = list(read_tasks(data))  # materialised on purpose: tokenized twice
    before = cut_tokens(tasks, spacy.blank("en"))
    if not report.tokenizer_rules:
        return TokenizerFix(finding, (), rules_path, None, _n_spans(tasks), len(before), len(before))
    pipeline = folder / "tokenizer-pipeline"
    add_tokenizer_rules(rules_path, base=BLANK_BASE, output=pipeline, overwrite=True)
    fixed = spacy.load(pipeline)
    after = cut_tokens(tasks, fixed)
    example = (before[0], tuple(token.text for token in fixed.tokenizer(before[0]))) if before else None
    n_spans, rules = _n_spans(tasks), report.tokenizer_rules
    return TokenizerFix(finding, rules, rules_path, pipeline, n_spans, len(before), len(after), example)


def _n_spans(tasks: Iterable[Task]) -> int:
    return sum(len(task.accepted_spans) for task in tasks)
