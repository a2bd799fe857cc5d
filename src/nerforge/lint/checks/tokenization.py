"""Spans the tokenizer merges: what the labels split, and the tokenizer rule that would split it.

A span that starts or ends inside a token can't be trained on (L101 names each one). When
many are cut the same way, the data is not wrong: the tokenizer keeps together what the
labels split (``iphone13`` labelled ``iphone``, ``#ps5`` labelled ``ps5``). This check
groups those cuts by shape and proposes, for each shape, the rule in RULES.jsonl format
(``nerforge.tokenization``) that splits there.

Shapes, decided by the characters on either side of the cut:

- ``letter-digit`` / ``digit-letter``: a letter meets a digit (``zorbo|12``) or a digit a
  letter (``13|pro``): a zero-width infix between the two classes.
- ``leading-symbol`` / ``trailing-symbol``: only symbols lie between the token's edge and
  the cut (``#|ps5``, ``ps5|!!``): a prefix or suffix of those symbols.
- ``symbol-inside``: a symbol inside the token meets the cut (``rtx|-4090``): that symbol as
  an infix.
- ``inside-word``: no class changes at the cut (``Play|Station``): a special case for each
  such word, split where the spans cut it (it splits that exact string only).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ...records import Span
from ...tokenization.pipeline import add_to_tokenizer, copy_tokenizer
from ...tokenization.rules import TokenizerRule, write_rules
from ..corpus import Corpus, Record, RecordSpool, annotated_records, with_docs
from ..findings import CATALOGUE, LINES_SHOWN, Finding, describe_lines

Shape = Literal[
    "letter-digit", "digit-letter", "leading-symbol", "trailing-symbol", "symbol-inside", "inside-word"
]
DEFAULT_BATCH_SIZE = 1000  # texts per tokenizer batch, as lint's runner uses
EXAMPLES_SHOWN = 3  # examples quoted in a finding's message
MIN_SPANS_FOR_RULE = 3  # fewer spans cut one way are typos in offsets (L101), not a tokenizer's habit
LETTER_DIGIT_INFIX = r"(?<=[^\W\d_])(?=\d)"  # [^\W\d_] is any letter, in any script
DIGIT_LETTER_INFIX = r"(?<=\d)(?=[^\W\d_])"
L110 = CATALOGUE["L110"]  # the template merge_finding fills
FIX_ADVICE = (
    "the tokenizer rule {rules} splits there ({fixed}): write it with --fix-tokenizer RULES.jsonl and "
    "add it with `nerforge tokenizer add RULES.jsonl --base PIPELINE -o DIR`. A rule applies to every "
    "text the pipeline reads: check that it suits your other labels."
)
NO_FIX_ADVICE = (
    "the rule {rules} would not split there (the tokenizer keeps such tokens whole, as it does URLs), "
    "so --fix-tokenizer leaves it out: move these spans to token boundaries (L101 names the nearest)."
)
_WHERE: dict[Shape, str] = {
    "letter-digit": "a letter meets a digit",
    "digit-letter": "a digit meets a letter",
    "leading-symbol": "a token starts with {symbol!r}",
    "trailing-symbol": "a token ends with {symbol!r}",
    "symbol-inside": "{symbol!r} joins the parts of a token",
    "inside-word": "no character class changes (inside a word)",
}


@dataclass(frozen=True, slots=True)
class Cut:
    """One place where a span boundary falls inside a token, and its shape.

    Attributes:
        shape: How the characters on either side of the cut differ.
        symbol: The symbols a prefix, suffix or symbol infix splits off; "" otherwise.
        token: The token's text.
        offset: The cut's offset inside the token.
    """

    shape: Shape
    symbol: str
    token: str
    offset: int


@dataclass(frozen=True, slots=True)
class MergeShape:
    """The spans one tokenizer rule (or, inside words, one set of special cases) would fix.

    Attributes:
        shape: The shape of the cuts.
        symbol: The symbols of a prefix, suffix or symbol infix; "" otherwise.
        rules: The proposed rules (one, except special cases: one per word).
        n_spans: Spans cut this way.
        samples: A few of them, each as ``'span' in 'token'``.
        examples: The same, each after its line: ``line N: 'span' in 'token'``.
        lines: The lines the first of them are on (up to ``LINES_SHOWN``), in file order.
        n_fixed: How many of them align once the rules are added to a copy of the
            tokenizer (each shape's rules tried alone); None when the tokenizer is not
            spaCy's own and can't be copied.
    """

    shape: Shape
    symbol: str
    rules: tuple[TokenizerRule, ...]
    n_spans: int
    samples: tuple[str, ...]
    examples: tuple[str, ...]
    lines: tuple[int | None, ...]
    n_fixed: int | None = None

    @property
    def where(self) -> str:
        """Where the spans are cut, in words, e.g. ``a token ends with '.'``."""
        return _WHERE[self.shape].format(symbol=self.symbol)


@dataclass
class _Group:
    n_spans: int = 0
    samples: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)  # the first LINES_SHOWN
    # each record with its spans cut this way, to try the rule on; spooled, as they may be many
    cut: RecordSpool[Record] = field(default_factory=RecordSpool)
    special_cases: Counter[tuple[str, tuple[str, ...]]] = field(default_factory=Counter)


def find_merges(corpus: Corpus, nlp: Language, *, batch_size: int = DEFAULT_BATCH_SIZE) -> list[MergeShape]:
    """Group the spans cut inside tokens by the shape of the cut, most spans first.

    Only texts with spans are tokenized, in batches. A span that is off its tokens only
    by edge whitespace is left to L102.
    """
    groups: dict[tuple[Shape, str], _Group] = {}
    try:
        for record, doc in with_docs(annotated_records(corpus), nlp, batch_size=batch_size):
            _add_record(record, doc, groups, corpus.unit)
        shapes = [_shape_of(key, group, nlp, batch_size) for key, group in groups.items()]
    finally:
        for group in groups.values():
            group.cut.close()
    return sorted(shapes, key=lambda shape: -shape.n_spans)  # stable: first seen first among equals


def _add_record(record: Record, doc: Doc, groups: dict[tuple[Shape, str], _Group], unit: str) -> None:
    starts = [token.idx for token in doc]
    cut_spans: dict[tuple[Shape, str], list[Span]] = {}
    for span in record.spans:
        if _aligns(doc, record.text, span):
            continue
        cuts = [cut for offset in (span.start, span.end) if (cut := _cut_at(doc, starts, offset)) is not None]
        for key in dict.fromkeys((cut.shape, cut.symbol) for cut in cuts):  # a span counts once a shape
            group = groups.setdefault(key, _Group())
            group.n_spans += 1
            if len(group.lines) < LINES_SHOWN:
                group.lines.append(record.line)
            cut_spans.setdefault(key, []).append(span)
            if len(group.samples) < EXAMPLES_SHOWN:
                token = next(cut.token for cut in cuts if (cut.shape, cut.symbol) == key)
                group.samples.append(f"{span.text_in(record.text)!r} in {token!r}")
                group.examples.append(f"{unit} {record.line}: {group.samples[-1]}")
        for cut in cuts:
            if cut.shape == "inside-word":
                word_cuts = [c.offset for c in _cuts_in_token(doc, starts, record, cut.token)]
                groups[("inside-word", "")].special_cases[(cut.token, _pieces(cut.token, word_cuts))] += 1
    for key, spans in cut_spans.items():
        groups[key].cut.append(Record(record.text, tuple(spans), record.complete, record.line))


def _aligns(doc: Doc, text: str, span: Span) -> bool:
    """Whether the span, or the span without edge whitespace (L102's business), is on token boundaries."""
    piece = span.text_in(text)
    start = span.start + len(piece) - len(piece.lstrip())
    end = max(start, span.end - (len(piece) - len(piece.rstrip())))
    return doc.char_span(span.start, span.end) is not None or (
        start < end and doc.char_span(start, end) is not None
    )


def _cut_at(doc: Doc, starts: list[int], offset: int) -> Cut | None:
    """The cut at a text offset, if it falls strictly inside a token."""
    index = bisect_right(starts, offset) - 1
    if index < 0:
        return None
    token = doc[index]
    inside = offset - token.idx
    if not 0 < inside < len(token.text):
        return None
    return classify_cut(token.text, inside)


def classify_cut(token: str, offset: int) -> Cut:
    """The shape of a cut at ``offset`` inside ``token`` (0 < offset < len(token))."""
    left, right = token[offset - 1], token[offset]
    head, tail = token[:offset], token[offset:]
    if left.isalpha() and right.isdigit():
        return Cut("letter-digit", "", token, offset)
    if left.isdigit() and right.isalpha():
        return Cut("digit-letter", "", token, offset)
    if not any(char.isalnum() for char in head):
        return Cut("leading-symbol", head, token, offset)
    if not any(char.isalnum() for char in tail):
        return Cut("trailing-symbol", tail, token, offset)
    if not left.isalnum() or not right.isalnum():
        return Cut("symbol-inside", left if not left.isalnum() else right, token, offset)
    return Cut("inside-word", "", token, offset)


def _cuts_in_token(doc: Doc, starts: list[int], record: Record, token_text: str) -> list[Cut]:
    """Every inside-word cut the record's spans make in tokens with this text."""
    cuts = []
    for span in record.spans:
        for offset in (span.start, span.end):
            cut = _cut_at(doc, starts, offset)
            if cut is not None and cut.shape == "inside-word" and cut.token == token_text:
                cuts.append(cut)
    return cuts


def _pieces(token: str, offsets: Sequence[int]) -> tuple[str, ...]:
    bounds = [0, *sorted(set(offsets)), len(token)]
    return tuple(token[start:end] for start, end in pairwise(bounds))


def _shape_of(key: tuple[Shape, str], group: _Group, nlp: Language, batch_size: int) -> MergeShape:
    shape, symbol = key
    rules = _rules_for(shape, symbol, group)
    samples, examples = tuple(group.samples), tuple(group.examples)
    n_fixed = _count_fixed(nlp, rules, group.cut, batch_size)
    return MergeShape(shape, symbol, rules, group.n_spans, samples, examples, tuple(group.lines), n_fixed)


def _count_fixed(
    nlp: Language, rules: Sequence[TokenizerRule], cut: Iterable[Record], batch_size: int
) -> int | None:
    """How many cut spans (the records' ``spans``) align once the rules are added to a tokenizer copy."""
    tokenizer = copy_tokenizer(nlp)
    if tokenizer is None:
        return None
    add_to_tokenizer(tokenizer, rules)
    return sum(
        doc.char_span(span.start, span.end) is not None
        for record, doc in with_docs(cut, nlp, batch_size=batch_size, pipe=tokenizer.pipe)
        for span in record.spans
    )


def _rules_for(shape: Shape, symbol: str, group: _Group) -> tuple[TokenizerRule, ...]:
    if shape == "letter-digit":
        return (TokenizerRule("infix", LETTER_DIGIT_INFIX),)
    if shape == "digit-letter":
        return (TokenizerRule("infix", DIGIT_LETTER_INFIX),)
    if shape == "leading-symbol":
        return (TokenizerRule("prefix", re.escape(symbol)),)
    if shape == "trailing-symbol":
        return (TokenizerRule("suffix", re.escape(symbol)),)
    if shape == "symbol-inside":
        return (TokenizerRule("infix", re.escape(symbol)),)
    chosen: dict[str, tuple[str, ...]] = {}
    for (word, pieces), _ in group.special_cases.most_common():  # a word cut two ways: the commoner
        chosen.setdefault(word, pieces)
    return tuple(TokenizerRule("special_case", word, pieces) for word, pieces in chosen.items())


def check_tokenizer_merges(
    corpus: Corpus, nlp: Language, *, tokenizer_name: str, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[Finding]:
    """Yield one L110 finding per shape of cut, with its count, examples and the rule that fixes it."""
    for merge in find_merges(corpus, nlp, batch_size=batch_size):
        yield merge_finding(merge, corpus, tokenizer_name)


def merge_finding(merge: MergeShape, corpus: Corpus, tokenizer_name: str) -> Finding:
    """The L110 finding for one shape (built from the template above until L110 joins the catalogue)."""
    rules = [rule.to_dict() for rule in merge.rules]
    rule_lines = " ".join(_json_line(rule) for rule in rules[:EXAMPLES_SHOWN])
    if len(rules) > EXAMPLES_SHOWN:
        rule_lines += f" and {len(rules) - EXAMPLES_SHOWN} more"
    if merge.n_fixed is None:
        fixed = "not tried: this tokenizer is not spaCy's own"
    else:
        fixed = f"applied alone, it aligns {merge.n_fixed} of the {merge.n_spans}"
    advice = (NO_FIX_ADVICE if merge.n_fixed == 0 else FIX_ADVICE).format(rules=rule_lines, fixed=fixed)
    fields: dict[str, Any] = {
        "n_spans": merge.n_spans,
        "n_fixed": merge.n_fixed,
        "fixed": fixed,
        "where": merge.where,
        "sample": ", ".join(merge.samples),
        "lines": describe_lines(merge.lines, merge.n_spans, corpus.unit),
        "tokenizer": tokenizer_name,
        "rules": rule_lines,
        "advice": advice,
    }
    message = L110.template.format(**fields)
    details = {**fields, "shape": merge.shape, "symbol": merge.symbol, "rule_dicts": rules}
    return Finding("L110", L110.severity, message, corpus.path, None, corpus.unit, merge.examples, details)


def _json_line(rule: dict[str, Any]) -> str:
    return str(srsly.json_dumps(rule))


def propose_rules(
    corpus: Corpus, nlp: Language, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> list[dict[str, Any]]:
    """The rules that would split what the labels split, in RULES.jsonl form, most spans first.

    A shape whose rules, tried on a copy of the tokenizer, align none of its spans proposes nothing.
    """
    return rules_of(find_merges(corpus, nlp, batch_size=batch_size))


def rules_of(merges: Sequence[MergeShape]) -> list[dict[str, Any]]:
    """The rules of shapes that align some of their spans (or weren't tried), each once, in order."""
    proposed: list[dict[str, Any]] = []
    for merge in merges:
        if merge.n_fixed == 0:
            continue
        proposed += [rule.to_dict() for rule in merge.rules if rule.to_dict() not in proposed]
    return proposed


def write_proposed_rules(
    corpus: Corpus, nlp: Language, path: str | Path, *, batch_size: int = DEFAULT_BATCH_SIZE
) -> int:
    """Write :func:`propose_rules` to a rules file; returns how many rules were written."""
    return write_rules(propose_rules(corpus, nlp, batch_size=batch_size), path)


__all__ = [
    "L110",
    "Cut",
    "MergeShape",
    "check_tokenizer_merges",
    "classify_cut",
    "find_merges",
    "merge_finding",
    "propose_rules",
    "rules_of",
    "write_proposed_rules",
    "write_rules",
]
