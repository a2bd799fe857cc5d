"""Loading pattern files (spaCy/Prodigy JSONL), reporting every bad line at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.schemas import TokenPattern, validate_token_pattern

from ..errors import Location, PatternError, describe_problems, problem
from ..io.files import display_path
from ..io.json_records import collect_json_lines
from ..records import Pattern


def load_patterns(path: str | Path) -> list[Pattern]:
    """Read and validate a pattern file.

    Token patterns are checked with spaCy's own validator; attribute names may be in
    any case (``"lower"`` or ``"LOWER"``), as spaCy accepts them.

    Raises:
        PatternError: E106 listing every bad line, or E107 for a file without patterns.
    """
    where = display_path(path)
    patterns, problems = collect_json_lines(
        path,
        lambda record, at: pattern_from_dict(record, default_id=f"{Path(where).name}:{at.line}"),
    )
    if problems:
        raise PatternError(
            "E106", Location(where), n_problems=len(problems), problems=describe_problems(problems)
        )
    if not patterns:
        raise PatternError("E107", Location(where))
    return patterns


def pattern_from_dict(record: Any, *, default_id: str) -> Pattern | str:
    """A :class:`Pattern`, or the message saying what is wrong with the record."""
    if not isinstance(record, dict):
        return problem("E002", detail=f"got {type(record).__name__}, not an object")
    label = record.get("label")
    if label is None:
        return problem("E101")
    if not isinstance(label, str) or not label.strip():
        return problem("E007", field="label", expected="a non-empty string", detail=repr(label))
    pattern_id = record.get("id", default_id)
    if not isinstance(pattern_id, str) or not pattern_id:
        return problem("E007", field="id", expected="a non-empty string", detail=repr(pattern_id))
    pattern = record.get("pattern")
    if isinstance(pattern, str) and pattern.strip():
        return Pattern(label, pattern, pattern_id)
    if not isinstance(pattern, list) or not pattern:
        return problem("E102")  # format() turns the template's {{ }} into braces
    custom = sorted({key for spec in pattern if isinstance(spec, dict) for key in spec.get("_", None) or {}})
    if custom:
        return problem("E108", attributes=", ".join(custom))
    errors = validate_token_pattern(pattern)
    if errors:
        typos = list(_unknown_attributes(pattern))
        # spaCy's own line for a typo ("[pattern -> 0 -> lowr] Extra inputs ...") is replaced by ours
        others = [error for error in errors if not any(f"-> {key}]" in error for key, _ in typos)]
        return problem("E103", detail="; ".join([hint for _, hint in typos] + others))
    return Pattern(label, tuple(pattern), pattern_id)


def _unknown_attributes(pattern: list[Any]) -> Iterator[tuple[str, str]]:
    """Each key of the token pattern that is no token attribute, with a hint at the one meant."""
    names = _attribute_names()
    for index, spec in enumerate(pattern):
        if not isinstance(spec, dict):
            continue
        for key in spec:
            if key.upper() in names:
                continue
            close = difflib.get_close_matches(key.upper(), sorted(names), n=1)
            hint = f"did you mean {close[0]}?" if close else "use one such as LOWER, ORTH or SHAPE"
            yield key, f"token {index + 1}: {key!r} is not a token attribute; {hint}"


@lru_cache(maxsize=1)
def _attribute_names() -> frozenset[str]:
    """The attribute names spaCy's token patterns take (LOWER, ORTH, IS_DIGIT, OP, _, ...)."""
    return frozenset(str(field.alias).upper() for field in TokenPattern.model_fields.values())
