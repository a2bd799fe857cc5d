"""Loading pattern files (spaCy/Prodigy JSONL), reporting every bad line at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.schemas import validate_token_pattern

from ..errors import DataError, Errors, Location, PatternError, describe_problems
from ..io.files import display_path, iter_lines
from ..io.json_records import parse_json_line
from ..records import Pattern


def load_patterns(path: str | Path) -> list[Pattern]:
    """Read and validate a pattern file.

    Token patterns are checked with spaCy's own validator; attribute names may be in
    any case (``"lower"`` or ``"LOWER"``), as spaCy accepts them.

    Raises:
        PatternError: E106 listing every bad line, or E107 for a file without patterns.
    """
    where = display_path(path)
    patterns: list[Pattern] = []
    problems: list[tuple[Location, str]] = []
    for location, result in _parse_lines(path, where):
        if isinstance(result, Pattern):
            patterns.append(result)
        else:
            problems.append((location, result))
    if problems:
        raise PatternError(
            "E106", Location(where), n_problems=len(problems), problems=describe_problems(problems)
        )
    if not patterns:
        raise PatternError("E107", Location(where))
    return patterns


def _parse_lines(path: str | Path, where: str) -> Iterator[tuple[Location, Pattern | str]]:
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        location = Location(where, number)
        try:
            record = parse_json_line(line, location)
        except DataError as err:
            yield location, Errors.E104.format(detail=err.fields["detail"])
            continue
        yield location, pattern_from_dict(record, default_id=f"{Path(where).name}:{number}")


def pattern_from_dict(record: Any, *, default_id: str) -> Pattern | str:
    """A :class:`Pattern`, or the message saying what is wrong with the record."""
    if not isinstance(record, dict):
        return Errors.E104.format(detail=f"got {type(record).__name__}, not an object")
    label = record.get("label")
    if label is None:
        return Errors.E101.format()
    if not isinstance(label, str) or not label.strip():
        return Errors.E105.format(field="label", detail=repr(label))
    pattern_id = record.get("id", default_id)
    if not isinstance(pattern_id, str) or not pattern_id:
        return Errors.E105.format(field="id", detail=repr(pattern_id))
    pattern = record.get("pattern")
    if isinstance(pattern, str) and pattern.strip():
        return Pattern(label, pattern, pattern_id)
    if not isinstance(pattern, list) or not pattern:
        return Errors.E102.format()  # format() turns the template's {{ }} into braces
    custom = sorted({key for spec in pattern if isinstance(spec, dict) for key in spec.get("_", None) or {}})
    if custom:
        return Errors.E108.format(attributes=", ".join(custom))
    errors = validate_token_pattern(pattern)
    if errors:
        return Errors.E103.format(detail="; ".join(errors))
    return Pattern(label, tuple(pattern), pattern_id)
