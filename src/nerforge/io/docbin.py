"""spaCy DocBin (``.spacy``) files to and from tasks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import DocBin
from spacy.vocab import Vocab

from ..docs import MakeDoc, doc_to_task, task_to_doc
from ..errors import DataError, Location
from ..records import Task
from .files import STDIO, atomic_path, display_path, open_binary


def read_docbin(path: str | Path) -> Iterator[Task]:
    """Yield the task of each Doc in a DocBin; locations count docs from 1."""
    where = display_path(path)
    with open_binary(path) as handle:
        data = handle.read()
    try:
        doc_bin = DocBin().from_bytes(data)
    except Exception as err:  # noqa: BLE001 - msgpack/zlib raise many types for bad bytes
        raise DataError("E014", Location(where), detail=type(err).__name__) from None
    for number, doc in enumerate(doc_bin.get_docs(Vocab()), start=1):
        task = doc_to_task(doc)
        yield Task(
            task.text,
            task.spans,
            task.answer,
            task.complete,
            task.meta,
            task.extra,
            Location(where, number, unit="doc"),
        )


def write_docbin(tasks: Iterable[Task], path: str | Path, *, make_doc: MakeDoc) -> int:
    """Write tasks to a DocBin file atomically; return how many were written."""
    if str(path) == STDIO:
        raise DataError(
            "E016",
            Location("<stdout>"),
            format="A DocBin on standard output",
            detail="binary data; give a file name ending in .spacy",
        )
    doc_bin = DocBin(store_user_data=True)
    for task in tasks:
        doc_bin.add(task_to_doc(task, make_doc))
    with atomic_path(path) as tmp:
        tmp.write_bytes(doc_bin.to_bytes())
    return len(doc_bin)
