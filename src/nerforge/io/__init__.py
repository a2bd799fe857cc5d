"""Reading and writing tasks in every format nerforge takes.

``read_tasks`` and ``write_tasks`` are the edges: everything inside nerforge sees
:class:`~nerforge.records.Task`. Formats:

- ``jsonl``: task JSONL (README, "The task record"); seed tuples ``[text, {"entities": [...]}]`` are
  read from the same files, as JSONL or as one JSON array.
- ``seed``: written as JSONL seed tuples (complete, accepted tasks only).
- ``conll``: CoNLL/IOB token files, BIO or BIOES.
- ``docbin``: spaCy ``.spacy`` files.
- ``raw``: one text a line (``.txt``); read as incomplete tasks without spans.

``-`` is standard input or output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from srsly import ujson

from ..errors import DataError, Location
from ..formats import FORMATS, Format, is_db_spec  # apart, so the CLI checks them without loading spaCy
from ..records import Task
from ..spans import token_offsets
from ..task_json import ANSWER_KINDS, AnswerKind, task_from_dict, task_from_seed, task_to_dict, task_to_seed
from .conll import Scheme, read_conll, write_conll
from .conllu import read_conllu
from .docbin import read_docbin, write_docbin
from .files import (
    STDIO,
    atomic_text_writer,
    check_not_folder,
    data_suffix,
    display_path,
    is_gzip_name,
    iter_lines,
)
from .json_records import iter_json_records

EXTENSIONS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".ndjson": "jsonl",
    ".conll": "conll",
    ".conllu": "conllu",
    ".iob": "conll",
    ".bio": "conll",
    ".bioes": "conll",
    ".tsv": "conll",
    ".spacy": "docbin",
    ".txt": "raw",
}

__all__ = [
    "ANSWER_KINDS",
    "FORMATS",
    "AnswerKind",
    "Format",
    "TaskSource",
    "as_tasks",
    "detect_format",
    "holds_syntax",
    "read_tasks",
    "write_tasks",
]

TaskSource = str | Path | Iterable[Task] | Iterable[str]
"""Data as every call takes it: a path, or tasks, or plain texts (read as incomplete tasks)."""


def as_tasks(
    data: TaskSource, *, format: Format | None = None, answer_kind: AnswerKind = "auto"
) -> Iterator[Task]:
    """Stream tasks from a path, or from tasks and texts already in memory.

    A plain string is a path (use a list for one text); texts become incomplete tasks
    without spans, as a raw text file's lines do.
    """
    if isinstance(data, (str, Path)):
        return read_tasks(data, format=format, answer_kind=answer_kind)
    return (item if isinstance(item, Task) else Task(str(item), complete=False) for item in data)


def detect_format(path: str | Path, format: Format | None = None) -> Format:
    """The explicit format, else the one the file name implies; '-' means JSONL.

    A ``.gz`` ending is looked through (``comments.txt.gz`` is raw text). A folder is
    an error that says so (E050), whatever format is asked for.
    """
    check_not_folder(path)
    if format is not None:
        if format not in FORMATS:
            raise DataError("E013", Location(display_path(path)), hint="", formats=", ".join(FORMATS))
        return format
    if str(path) == STDIO:
        return "jsonl"
    found = EXTENSIONS.get(data_suffix(path))
    if found is None:
        raise DataError("E013", Location(str(path)), hint=_gzip_hint(path), formats=", ".join(FORMATS))
    return found


def holds_syntax(path: str | Path) -> bool:
    """Whether a data file holds tags and trees (CoNLL-U) rather than entities.

    The one rule that sends ``nerforge train --base`` to the tagger and parser update and
    ``nerforge evaluate`` to their scores: a name ending in ``.conllu`` (``.gz`` looked through).
    """
    if is_db_spec(path) or str(path) == STDIO:
        return False
    return EXTENSIONS.get(data_suffix(path)) == "conllu"


def _gzip_hint(path: str | Path) -> str:
    """For ``data.gz``: the name hides the format inside, so say how to name it."""
    if not is_gzip_name(path) or data_suffix(path):
        return ""
    stem = Path(path).name[: -len(".gz")]
    return f": a .gz name must also say the format inside, e.g. {stem}.jsonl.gz or {stem}.txt.gz"


def read_tasks(
    path: str | Path,
    *,
    format: Format | None = None,
    answer_kind: AnswerKind = "auto",
    db: str | Path | None = None,
    spans_key: str | None = None,
) -> Iterator[Task]:
    """Stream the tasks of a file in any readable format.

    With ``spans_key``, task records that name no ``"spans_key"`` are read as naming that one:
    their spans are a span categorizer's, and may overlap (``nerforge.task_json``).

    A path ``db:DATASET`` streams that dataset's answers from the store: the file ``db``,
    else ``$NERFORGE_DB``, else ``nerforge.db`` in the working folder; each task names who
    answered it as Prodigy's ``_annotator_id`` (unless the stored record has its own).

    Raises:
        DataError: On the first invalid record, naming file, line and fix.
        StorageError: For a ``db:`` path whose store or dataset can't be read.
    """
    if is_db_spec(path):
        from ..storage import dataset_of, read_dataset  # noqa: PLC0415 - sqlite only for stored datasets

        return read_dataset(dataset_of(path), db=db, annotators=True)
    found = detect_format(path, format)
    if found in ("jsonl", "seed"):
        tasks = _read_json_tasks(path, answer_kind, spans_key)
        return tasks if str(path) != STDIO or format is not None else _name_raw_option(tasks)
    if found == "conll":
        return read_conll(path)
    if found == "conllu":
        return (sentence.task for sentence in read_conllu(path))
    if found == "docbin":
        return read_docbin(path)
    return _read_raw(path)


def _read_json_tasks(
    path: str | Path, answer_kind: AnswerKind = "auto", spans_key: str | None = None
) -> Iterator[Task]:
    for where, record in iter_json_records(path):
        if isinstance(record, list):
            yield task_from_seed(record, where)
        else:
            yield task_from_dict(record, where, answer_kind=answer_kind, spans_key=spans_key)


def _name_raw_option(tasks: Iterator[Task]) -> Iterator[Task]:
    """On stdin, JSONL by default: a first line that is no task names ``--input-format raw``."""
    try:
        first = next(tasks, None)
    except DataError as err:
        if err.code not in ("E002", "E004"):
            raise
        raise DataError("E051", err.location, detail="its first line is not a JSON task") from None
    if first is not None:
        yield first
        yield from tasks


def _read_raw(path: str | Path) -> Iterator[Task]:
    where = display_path(path)
    for number, line in iter_lines(path):
        if line.strip():
            yield Task(line, complete=False, origin=Location(where, number))


def write_tasks(
    tasks: Iterable[Task],
    path: str | Path,
    *,
    format: Format | None = None,
    lang: str = "en",
    scheme: Scheme = "bio",
) -> int:
    """Write tasks atomically (``-`` for stdout); return how many were written.

    Args:
        tasks: The tasks, streamed.
        path: Output file.
        format: One of ``FORMATS``; by default implied by the file name.
        lang: Language whose tokenizer places CoNLL tokens and DocBin docs.
        scheme: Tag scheme for CoNLL output.
    """
    found = detect_format(path, format)
    if found == "conllu":
        raise DataError(
            "E016", Location(display_path(path)), format="CoNLL-U", detail="tasks (nerforge reads it only)"
        )
    if found == "docbin":
        return write_docbin(tasks, path, make_doc=_blank_tokenizer(lang))
    with atomic_text_writer(path) as handle:
        if found == "conll":
            tokenize = _conll_tokenizer(lang)
            return write_conll(tasks, handle.write, tokenize=tokenize, scheme=scheme)
        encode = _ENCODERS[found]
        n_tasks = 0
        for task in tasks:
            handle.write(encode(task) + "\n")
            n_tasks += 1
        return n_tasks


def _encode_task(task: Task) -> str:
    return str(ujson.dumps(task_to_dict(task), escape_forward_slashes=False))


def _encode_seed(task: Task) -> str:
    if task.answer != "accept" or task.rejected_spans or not task.complete:
        raise DataError(
            "E016",
            task.origin,
            format="Seed tuples",
            detail="incomplete tasks, rejected spans or rejected answers",
        )
    return str(ujson.dumps(task_to_seed(task), escape_forward_slashes=False))


def _encode_raw(task: Task) -> str:
    if "\n" in task.text or "\r" in task.text:
        raise DataError(
            "E016", task.origin, format="Raw text (one a line)", detail="a text with a line break"
        )
    return task.text


_ENCODERS: dict[str, Callable[[Task], str]] = {
    "jsonl": _encode_task,
    "seed": _encode_seed,
    "raw": _encode_raw,
}


@lru_cache(maxsize=4)
def _blank_tokenizer(lang: str) -> Any:
    return spacy.blank(lang).make_doc


def _conll_tokenizer(lang: str) -> Callable[[Task], list[tuple[int, int]]]:
    make_doc = _blank_tokenizer(lang)

    def tokenize(task: Task) -> list[tuple[int, int]]:
        tokens = list(token_offsets(make_doc(task.text)))
        if _aligned(task, tokens):
            return tokens
        pieces = _whitespace_tokens(task.text)
        return pieces if _aligned(task, pieces) else tokens

    return tokenize


def _aligned(task: Task, tokens: list[tuple[int, int]]) -> bool:
    starts, ends = {s for s, _ in tokens}, {e for _, e in tokens}
    return all(span.start in starts and span.end in ends for span in task.spans)


def _whitespace_tokens(text: str) -> list[tuple[int, int]]:
    offsets, position = [], 0
    for piece in text.split(" "):
        if piece:
            offsets.append((position, position + len(piece)))
        position += len(piece) + 1
    return offsets
