"""The error catalogue keeps its own rules, checked by reading nerforge.errors and the sources that raise.

The rules (STYLE.md habit 2): codes in numeric order; one code per idea (no two templates say
the same once their fields are taken out); every message tells the user what to do; every
code is raised (or shown inside an aggregate) somewhere, and every code raised exists; each
code is raised with one exception class, never the bare base class.
"""

from __future__ import annotations

import ast
import re
import string
from collections import defaultdict
from pathlib import Path

import pytest

from nerforge import errors
from nerforge.errors import Errors, NerforgeError
from nerforge.errors.catalogue import PARTS

SRC = Path(__file__).parents[1] / "src" / "nerforge"
ERRORS = SRC / "errors"
CODE = re.compile(r"^[EW]\d{3}$")

# The heuristic for "says what to do": some sentence or clause of the message begins with one
# of these verbs in the imperative. A clause begins at the start of the message, after '.',
# ':', ';', '?', '(' or a line break, or after 'or'/'then'. Add a verb here only when a message
# really is an instruction that starts with it.
FIX_VERBS = frozenset(
    [
        "add",
        "check",
        "choose",
        "create",
        "delete",
        "drop",
        "fix",
        "give",
        "install",
        "keep",
        "leave",
        "make",
        "match",
        "move",
        "name",
        "number",
        "pass",
        "put",
        "re-save",
        "remove",
        "rename",
        "run",
        "separate",
        "set",
        "split",
        "start",
        "train",
        "upgrade",
        "use",
        "wait",
        "write",
    ]
)
CLAUSE_STARTS = (
    re.compile(r"(?:^|[.:;?(\n])\s*([A-Za-z][A-Za-z-]*)"),
    re.compile(r"\b(?:or|then)\s+([A-Za-z][A-Za-z-]*)"),
)


def catalogue() -> dict[str, str]:
    """The templates, keyed by code, in the order the parts declare them (the parts in code order)."""
    return {name: value for part in PARTS for name, value in vars(part).items() if CODE.match(name)}


def codes_written() -> list[str]:
    """Every ``Ennn = ...`` assignment in the errors package's sources, read without importing."""
    return [
        target.id
        for path in sorted(ERRORS.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and CODE.match(target.id)
    ]


def literal_text(template: str) -> str:
    """The template with its fields taken out (``{{`` and ``}}`` kept as braces)."""
    return "".join(literal for literal, *_ in string.Formatter().parse(template)).strip()


def gives_a_fix(template: str) -> bool:
    """Whether a clause of the message starts with an imperative verb of :data:`FIX_VERBS`."""
    words = [word for clause in CLAUSE_STARTS for word in clause.findall(template)]
    return any(word.lower() in FIX_VERBS for word in words)


def call_sites() -> list[tuple[str, str, str]]:
    """``(code, callee, where)`` for each call in src whose first argument is a code literal.

    The callee is an exception class (``DataError("E002", ...)``) or :func:`problem`, which
    writes a code's message into an aggregate such as E106.
    """
    sites = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            if not CODE.match(first.value):
                continue
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            sites.append((first.value, callee, f"{path.relative_to(SRC)}:{node.lineno}"))
    return sites


def raise_sites() -> list[tuple[str, str, str]]:
    return [site for site in call_sites() if site[1].endswith("Error")]


def test_the_walk_covers_every_code_written_once():
    assert sorted(catalogue()) == sorted(codes_written())


def test_errors_finds_every_code_of_every_part():
    assert set(PARTS) <= set(Errors.__mro__)
    assert {code: getattr(Errors, code) for code in catalogue()} == catalogue()


def test_codes_are_in_numeric_order():
    codes = list(catalogue())
    assert codes == sorted(codes)


def test_no_two_codes_say_the_same():
    by_text = defaultdict(list)
    for code, template in catalogue().items():
        by_text[literal_text(template)].append(code)
    assert [codes for codes in by_text.values() if len(codes) > 1] == []


def test_every_message_says_what_to_do():
    assert [code for code, template in catalogue().items() if not gives_a_fix(template)] == []


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("The file is empty. Add one JSON object a line.", True),
        ("The file is empty: give a --dev file.", True),
        ("Bad tag (one of O, B-X); or pass --format raw.", True),
        ("The 'x' parameter must be an int. Got 'y' instead.", False),
        ("Field '{field}' is invalid: {detail}.", False),
    ],
)
def test_the_fix_heuristic_reads_imperatives(template, expected):
    assert gives_a_fix(template) is expected


def test_every_code_is_raised_or_shown_somewhere():
    used = {code for code, _, _ in call_sites()}
    assert sorted(set(catalogue()) - used) == []


def test_every_code_raised_is_in_the_catalogue():
    defined = set(catalogue())
    assert [(code, where) for code, _, where in call_sites() if code not in defined] == []


def test_each_code_is_raised_with_one_class():
    classes = defaultdict(set)
    for code, callee, _ in raise_sites():
        classes[code].add(callee)
    assert {code: sorted(names) for code, names in classes.items() if len(names) > 1} == {}


def test_no_code_is_raised_as_the_bare_base_class():
    assert [(code, where) for code, callee, where in raise_sites() if callee == "NerforgeError"] == []


def test_every_error_class_lives_in_the_catalogue():
    ours = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, NerforgeError)
    }
    outside = []
    for path in sorted(SRC.rglob("*.py")):
        if path.is_relative_to(ERRORS):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id in ours for base in node.bases
            ):
                outside.append(f"{path.relative_to(SRC)}:{node.name}")
    assert outside == []


# Each class's codes, as the area table of nerforge.errors gives them (first, last).
# ParameterError and PipelineError are left out: a refused setting or an unfit pipeline can
# come up in any area.
CLASS_AREAS = {
    "DataError": [("E000", "E099")],
    "ClusterError": [("E050", "E079")],
    "PatternError": [("E100", "E139")],
    "TokenizerRuleError": [("E140", "E159")],
    "TrainingError": [("E200", "E299")],
    "RehearsalCacheError": [("E250", "E269")],
    "StorageError": [("E300", "E319")],
    "ExtraError": [("E400", "E499")],
}


def test_each_class_raises_codes_of_its_area():
    astray = [
        (code, callee, where)
        for code, callee, where in raise_sites()
        if callee in CLASS_AREAS and not any(first <= code <= last for first, last in CLASS_AREAS[callee])
    ]
    assert astray == []
