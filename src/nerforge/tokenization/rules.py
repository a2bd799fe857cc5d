r"""Tokenizer rules files (RULES.jsonl): reading, validating every line at once, writing.

One JSON object a line, each one rule:

- ``{"special_case": "gimme", "pieces": ["gim", "me"]}``: the string is always split into
  these pieces (spaCy's ``tokenizer.add_special_case`` with ``ORTH`` pieces); the pieces
  must join back to the string, since retokenizing never changes a text.
- ``{"prefix": "#"}``, ``{"suffix": "\\.\\.\\."}``, ``{"infix": "(?<=[a-z])(?=[0-9])"}``:
  regular expressions, as spaCy's tokenizer takes them (a prefix is matched at the start of
  a token, a suffix at its end, an infix anywhere inside it; a zero-width infix splits
  without making a token of its own).
- ``"literal": true`` makes a prefix, suffix or infix a plain string, escaped here, so
  ``{"suffix": "...", "literal": true}`` splits off three dots, not any three characters.
- ``"comment"`` is free text and is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import srsly

from ..errors import Location, TokenizerRuleError, describe_problems, problem
from ..io.files import atomic_text_writer, display_path
from ..io.json_records import collect_json_lines

RuleKind = Literal["special_case", "prefix", "suffix", "infix"]
RULE_KINDS: tuple[RuleKind, ...] = ("special_case", "prefix", "suffix", "infix")
AFFIX_KINDS: tuple[RuleKind, ...] = ("prefix", "suffix", "infix")
_OPTIONAL_FIELDS = frozenset({"pieces", "literal", "comment"})


@dataclass(frozen=True, slots=True)
class TokenizerRule:
    """One tokenizer rule.

    Attributes:
        kind: ``"special_case"``, ``"prefix"``, ``"suffix"`` or ``"infix"``.
        value: The special case's text, or the affix's regular expression (escaped
            already when the file said ``"literal": true``).
        pieces: A special case's pieces, which join to ``value``; empty for affixes.
    """

    kind: RuleKind
    value: str
    pieces: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rule as one line of a rules file holds it."""
        if self.kind == "special_case":
            return {"special_case": self.value, "pieces": list(self.pieces)}
        return {self.kind: self.value}

    def describe(self) -> str:
        """``special case 'gimme' -> 'gim' 'me'``, ``infix '(?<=[a-z])(?=[0-9])'``."""
        if self.kind == "special_case":
            return f"special case {self.value!r} -> {' '.join(repr(piece) for piece in self.pieces)}"
        return f"{self.kind} {self.value!r}"


def load_rules(path: str | Path) -> list[TokenizerRule]:
    """Read and validate a rules file, reporting every bad line at once.

    Blank lines are skipped; a rule repeated in the file is kept once.

    Raises:
        TokenizerRuleError: E146 listing every bad line with its number, or E147 for a
            file without rules.
        DataError: If the file can't be read (E001, E003).
    """
    where = display_path(path)
    read, problems = collect_json_lines(path, lambda record, _: rule_from_dict(record))
    if problems:
        raise TokenizerRuleError(
            "E146", Location(where), n_problems=len(problems), problems=describe_problems(problems)
        )
    rules: list[TokenizerRule] = []
    for rule in read:  # a rule given twice is applied once
        if rule not in rules:
            rules.append(rule)
    if not rules:
        raise TokenizerRuleError("E147", Location(where))
    return rules


def rule_from_dict(record: Any) -> TokenizerRule | str:
    """A :class:`TokenizerRule`, or the message saying what is wrong with the record."""
    if not isinstance(record, dict):
        return problem("E002", detail=f"got {type(record).__name__}, not an object")
    kinds = [kind for kind in RULE_KINDS if kind in record]
    if len(kinds) != 1:
        detail = "none of them" if not kinds else " and ".join(repr(kind) for kind in kinds)
        return problem("E141", detail=detail)
    kind = kinds[0]
    unknown = sorted(set(record) - {kind} - _OPTIONAL_FIELDS)
    if unknown:
        return problem("E145", fields=", ".join(repr(name) for name in unknown))
    value = record[kind]
    if not isinstance(value, str) or not value:
        return problem("E007", field=kind, expected="a non-empty string", detail=repr(value))
    if kind == "special_case":
        return _special_case(value, record.get("pieces"))
    return _affix(kind, value, record.get("literal", False))


def _special_case(text: str, pieces: Any) -> TokenizerRule | str:
    if not isinstance(pieces, list) or not pieces or not all(isinstance(p, str) and p for p in pieces):
        return problem("E007", field="pieces", expected="a list of non-empty strings", detail=repr(pieces))
    joined = "".join(pieces)
    if joined != text:
        return problem("E142", text=text, pieces=pieces, joined=joined)
    return TokenizerRule("special_case", text, tuple(pieces))


def _affix(kind: RuleKind, value: str, literal: Any) -> TokenizerRule | str:
    if not isinstance(literal, bool):
        return problem("E007", field="literal", expected="true or false", detail=repr(literal))
    pattern = re.escape(value) if literal else value
    try:
        re.compile(pattern)
    except re.error as err:
        return problem("E143", kind=kind, pattern=value, detail=str(err))
    return TokenizerRule(kind, pattern)


def as_rules(rules: Iterable[TokenizerRule | Mapping[str, Any]]) -> list[TokenizerRule]:
    """Rules given as :class:`TokenizerRule` objects or as dicts in the file's format.

    Raises:
        TokenizerRuleError: E146 listing each invalid dict by its position.
    """
    checked: list[TokenizerRule] = []
    problems: list[tuple[Location, str]] = []
    for index, rule in enumerate(rules, start=1):
        result = rule if isinstance(rule, TokenizerRule) else rule_from_dict(dict(rule))
        if isinstance(result, str):
            problems.append((Location("<rules>", index, unit="rule"), result))
        elif result not in checked:
            checked.append(result)
    if problems:
        raise TokenizerRuleError(
            "E146", Location("<rules>"), n_problems=len(problems), problems=describe_problems(problems)
        )
    return checked


def write_rules(rules: Iterable[TokenizerRule | Mapping[str, Any]], path: str | Path) -> int:
    """Write rules as a rules file, atomically ('-' for standard output).

    Returns:
        The number of rules written (repeats are written once).

    Raises:
        TokenizerRuleError: E146 if a rule given as a dict is invalid.
        DataError: E019 if the file can't be written.
    """
    checked = as_rules(rules)
    with atomic_text_writer(path) as handle:
        for rule in checked:
            handle.write(cast(str, srsly.json_dumps(rule.to_dict())) + "\n")
    return len(checked)
