"""JSON records with their physical line: JSONL, or one JSON array over many lines."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, TypeVar

from srsly import ujson

from ..errors import DataError, Location, problem
from .files import display_path, iter_lines

_DECODER = json.JSONDecoder()
T = TypeVar("T")


def parse_json_line(line: str, where: Location) -> Any:
    """Parse one line of JSON; a parse error becomes E002 with the column."""
    try:
        return ujson.loads(line)
    except ValueError:
        pass
    try:  # only on failure: the standard library says where the problem is
        return json.loads(line)
    except json.JSONDecodeError as err:
        raise DataError("E002", where, detail=f"{_message(err)} at column {err.colno}") from None


def _message(err: json.JSONDecodeError) -> str:
    """The parser's message without a dangling "at" ("Unterminated string starting at")."""
    return err.msg.removesuffix(" at")


def iter_json_records(path: str | Path) -> Iterator[tuple[Location, Any]]:
    """Yield each JSON value of a JSONL file, or each item of a top-level JSON array.

    Blank lines are not records. A file whose first line is a complete JSON array of
    arrays or objects, or whose first line does not parse on its own, is read as one
    JSON array (the whole file is then held in memory to parse it).
    """
    where = display_path(path)
    lines = iter_lines(path)
    first = next(((n, text) for n, text in lines if text.strip()), None)
    if first is None:
        return
    first_number, first_line = first
    if _starts_array(first_line):
        rest = "\n".join(text for _, text in lines)
        yield from _iter_array_items(first_line + "\n" + rest, where, first_line=first_number)
        return
    for number, line in chain([first], lines):
        if line.strip():
            location = Location(where, number)
            yield location, parse_json_line(line, location)


def _starts_array(first_line: str) -> bool:
    """Whether a file opens a multi-record JSON array rather than a JSONL record."""
    if not first_line.lstrip().startswith("["):
        return False
    try:
        value = json.loads(first_line)
    except json.JSONDecodeError:
        return True
    return isinstance(value, list) and bool(value) and isinstance(value[0], (list, dict))


def _iter_array_items(text: str, where: str, *, first_line: int) -> Iterator[tuple[Location, Any]]:
    index = text.index("[") + 1
    while True:
        index = _skip_space(text, index)
        if index < len(text) and text[index] == "]":
            return
        line = first_line + text.count("\n", 0, index)
        try:
            value, index = _DECODER.raw_decode(text, index)
        except json.JSONDecodeError as err:
            raise DataError(
                "E002", Location(where, first_line + err.lineno - 1), detail=_message(err)
            ) from None
        yield Location(where, line), value
        index = _skip_space(text, index)
        if index < len(text) and text[index] == ",":
            index += 1
        elif index >= len(text) or text[index] != "]":
            line = first_line + text.count("\n", 0, index)
            raise DataError("E002", Location(where, line), detail="expected ',' or ']'")


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def collect_json_lines(
    path: str | Path, convert: Callable[[Any, Location], T | str]
) -> tuple[list[T], list[tuple[Location, str]]]:
    """Convert every JSON line of a file, collecting each bad line's problem instead of stopping.

    For files whose every error is reported at once (patterns, tokenizer rules). Blank lines
    are skipped. ``convert`` returns the record's value, or a message saying what is wrong
    with it; a line that is not JSON gets E002 with the parser's detail.

    Returns:
        The converted values and the ``(location, message)`` problems, both in file order.
    """
    where = display_path(path)
    values: list[T] = []
    problems: list[tuple[Location, str]] = []
    for number, line in iter_lines(path):
        if not line.strip():
            continue
        location = Location(where, number)
        try:
            record = parse_json_line(line, location)
        except DataError as err:
            problems.append((location, problem("E002", **err.fields)))
            continue
        result = convert(record, location)
        if isinstance(result, str):
            problems.append((location, result))
        else:
            values.append(result)
    return values, problems
