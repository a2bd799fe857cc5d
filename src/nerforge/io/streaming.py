"""Reading big corpora without stopping at a bad record: rejects, and what a run wrote.

:func:`stream_tasks` reads like :func:`nerforge.io.read_tasks`, but a record that can't
be read (bad JSON, bytes that are not UTF-8, a text over the length limit) is handed
to ``on_reject`` with its line, its original text and the reason, and the stream goes
on. :class:`RejectLog` writes those records to a reject file next to the output.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from srsly import ujson

from ..errors import DataError, Location, NerforgeError
from ..formats import Format, is_db_spec
from ..records import Task
from ..task_json import AnswerKind, task_from_dict, task_from_seed
from .files import STDIO, atomic_text_writer, display_path, iter_byte_lines
from .json_records import _starts_array as starts_array
from .json_records import parse_json_line

# spaCy's own nlp.max_length: longer texts raise E088 in the tokenizer, or need GBs of memory
MAX_TEXT_CHARS = 1_000_000
MAX_REPORTED = 20  # rejects kept in a summary for the report; the reject file has them all
REJECTS_SUFFIX = ".rejects.jsonl"


@dataclass(frozen=True, slots=True)
class Rejection:
    """A record that was left out of a run.

    Attributes:
        location: File and physical line.
        reason: The coded error that rejected it.
        original: The line as it was in the file (``None`` for formats that are not one
            record a line).
    """

    location: Location
    reason: str
    original: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """File, line, reason and original record: one line of the reject file."""
        return {
            "file": self.location.path,
            "line": self.location.line,
            "reason": self.reason,
            "original": self.original,
        }


@dataclass(frozen=True)
class StreamSummary:
    """What a streaming run read, wrote and rejected: ``n_written + n_rejected == n_input``.

    Attributes:
        n_input: Records read (blank lines are not records).
        n_written: Tasks written.
        n_rejected: Records rejected.
        rejects_path: The reject file, when one was written.
        rejections: The first :data:`MAX_REPORTED` rejects, for a report.
    """

    n_input: int
    n_written: int
    n_rejected: int
    rejects_path: str | None = None
    rejections: tuple[Rejection, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        """The counts and the reject file's path, as a JSON-ready dict."""
        return {
            "n_input": self.n_input,
            "n_written": self.n_written,
            "n_rejected": self.n_rejected,
            "rejects_path": self.rejects_path,
        }


def default_rejects_path(output: str | Path) -> str | None:
    """``silver.jsonl(.gz)`` -> ``silver.rejects.jsonl`` beside it; none for stdout."""
    if str(output) == STDIO:
        return None
    path = Path(output)
    name = path.name
    for suffix in (".gz", ".jsonl", ".json", ".ndjson", ".txt", ".conll", ".spacy"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return str(path.with_name(name + REJECTS_SUFFIX))


class RejectLog:
    """Collects rejects; writes them (original line and reason) atomically on a clean exit.

    The file is only written when something was rejected. Use as a context manager.

    Args:
        path: The reject file, or ``None`` to only count and keep the first few.
    """

    def __init__(self, path: str | Path | None) -> None:
        self.path = None if path is None else str(path)
        self.n_rejected = 0
        self.first: list[Rejection] = []
        self._stack = contextlib.ExitStack()
        self._handle: TextIO | None = None

    def __call__(self, rejection: Rejection) -> None:
        """Count a reject, keep it among the first few, and write it to the reject file if there is one."""
        self.n_rejected += 1
        if len(self.first) < MAX_REPORTED:
            self.first.append(rejection)
        if self.path is None:
            return
        if self._handle is None:
            self._handle = self._stack.enter_context(atomic_text_writer(self.path))
        self._handle.write(ujson.dumps(rejection.to_dict(), escape_forward_slashes=False) + "\n")

    def __enter__(self) -> RejectLog:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)

    def summary(self, n_written: int) -> StreamSummary:
        """The run's summary once ``n_written`` tasks went out."""
        written_to = self.path if self.n_rejected and self.path is not None else None
        return StreamSummary(
            n_written + self.n_rejected, n_written, self.n_rejected, written_to, tuple(self.first)
        )


def stream_tasks(
    tasks: Iterator[Task] | None,
    path: str | Path,
    *,
    raw: bool,
    max_chars: int = MAX_TEXT_CHARS,
    on_reject: Callable[[Rejection], None],
    name_raw_option: bool = False,
    answer_kind: AnswerKind = "auto",
    spans_key: str | None = None,
) -> Iterator[Task]:
    """Stream tasks, handing records that can't be used to ``on_reject`` instead of raising.

    Args:
        tasks: For formats that are not one JSON record or text a line (CoNLL, DocBin, a
            JSON array): the strict reader's stream, whose errors still stop the run;
            only texts over ``max_chars`` are rejected. ``None`` for JSONL and raw text,
            read line by line here.
        path: The file ('-' for stdin).
        raw: Read one text a line (else task JSONL or seed tuples).
        max_chars: Longest text accepted.
        on_reject: Called with each rejected record, in input order.
        name_raw_option: Raise E051 (which names ``--input-format raw``) when the first
            record is not JSON, as for stdin read as JSONL by default: then no line is.
        answer_kind: How accepted answers without ``complete`` are read (``nerforge.io``).
        spans_key: The span group of records that name none (``nerforge.io.read_tasks``).

    Raw lines become tasks whose ``meta`` holds their ``line`` number.
    """
    if tasks is not None:
        yield from _without_long(tasks, path, max_chars, on_reject)
        return
    name = display_path(path)
    n_tasks = 0
    for number, line in iter_byte_lines(path):
        location = Location(name, number)
        try:
            task = _line_task(line, location, raw, answer_kind, spans_key)
        except NerforgeError as err:
            if name_raw_option and n_tasks == 0 and err.code in ("E002", "E004"):
                raise DataError("E051", location, detail="its first line is not a JSON task") from None
            on_reject(Rejection(location, str(err), line.decode("utf-8", errors="replace")))
            continue
        if task is None:
            continue
        if len(task.text) > max_chars:
            on_reject(Rejection(location, _too_long(task.text, max_chars, location), task.text))
            continue
        n_tasks += 1
        yield task


def read_leniently(
    path: str | Path,
    *,
    on_reject: Callable[[Rejection], None],
    format: Format | None = None,
    answer_kind: AnswerKind = "auto",
    max_chars: int = MAX_TEXT_CHARS,
    spans_key: str | None = None,
) -> Iterator[Task]:
    """The tasks of a file in any format; records that can't be used go to ``on_reject``.

    ``spans_key``: the span group of task records that name none (``nerforge.io.read_tasks``).

    JSONL and raw text are read line by line, so a bad line is rejected and reading goes
    on; other formats (a JSON array, CoNLL, DocBin, a ``db:`` dataset) go through the
    strict reader, whose errors still stop the run, and only over-long texts are rejected.
    """
    from . import detect_format, read_tasks  # noqa: PLC0415 - the package imports this module

    if is_db_spec(path):
        strict: Iterator[Task] | None = read_tasks(path, answer_kind=answer_kind)
        return stream_tasks(strict, path, raw=False, max_chars=max_chars, on_reject=on_reject)
    found = detect_format(path, format)
    by_line = found == "raw" or (found in ("jsonl", "seed") and not starts_json_array(path))
    strict = None if by_line else read_tasks(path, format=found, answer_kind=answer_kind, spans_key=spans_key)
    return stream_tasks(
        strict,
        path,
        raw=found == "raw",
        max_chars=max_chars,
        on_reject=on_reject,
        name_raw_option=str(path) == STDIO and format is None,
        answer_kind=answer_kind,
        spans_key=spans_key,
    )


def _without_long(
    tasks: Iterator[Task], path: str | Path, max_chars: int, on_reject: Callable[[Rejection], None]
) -> Iterator[Task]:
    for task in tasks:
        if len(task.text) > max_chars:
            where = task.origin or Location(display_path(path))
            on_reject(Rejection(where, _too_long(task.text, max_chars, where)))
        else:
            yield task


def _line_task(
    line: bytes, location: Location, raw: bool, answer_kind: AnswerKind, spans_key: str | None = None
) -> Task | None:
    """The task of one line, or ``None`` for a blank line; coded errors for bad ones."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        detail = f"byte {line[err.start : err.start + 1]!r} at column {err.start + 1}"
        raise DataError("E003", location, detail=detail) from None
    if not text.strip():
        return None
    if raw:
        return Task(text, complete=False, meta={"line": location.line}, origin=location)
    record = parse_json_line(text, location)
    if isinstance(record, list):
        return task_from_seed(record, location)
    return task_from_dict(record, location, answer_kind=answer_kind, spans_key=spans_key)


def _too_long(text: str, max_chars: int, where: Location) -> str:
    return str(DataError("E053", where, n_chars=len(text), max_chars=max_chars))


def starts_json_array(path: str | Path) -> bool:
    """Whether a JSON file is one array over many lines (read whole, not line by line)."""
    if str(path) == STDIO:
        return False  # stdin can't be read twice; JSONL is what pipes carry
    for _, line in iter_byte_lines(path):
        if line.strip():
            return starts_array(line.decode("utf-8", errors="replace"))
    return False
