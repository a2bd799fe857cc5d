"""What commands and other modules call: import, export, and ``db:DATASET`` as a data source."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import spacy
from spacy.language import Language

from ..errors import StorageError
from ..formats import DB_PREFIX, is_db_spec
from ..pipelines import source_name
from ..records import Task, TaskAnswer
from .alignment import aligned_tasks
from .store import Store

DB_ENV = "NERFORGE_DB"  # the environment variable naming the store file
DEFAULT_DB = "nerforge.db"  # in the working folder, as Prodigy keeps its database in one place
ANNOTATOR_FIELD = "_annotator_id"  # Prodigy's name for the field saying who answered


def default_db_path(db: str | Path | None = None) -> Path:
    """The store file: ``db`` if given, else ``$NERFORGE_DB``, else ``nerforge.db`` here."""
    if db is not None:
        return Path(db)
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def dataset_of(spec: str) -> str:
    """The dataset a ``db:DATASET`` path names."""
    name = spec[len(DB_PREFIX) :]
    if not name:
        raise StorageError("E306", spec=spec)
    return name


def read_dataset(
    dataset: str,
    *,
    db: str | Path | None = None,
    answer: TaskAnswer | None = None,
    annotators: bool = False,
) -> Iterator[Task]:
    """Stream a dataset's answered tasks from the store (read-only), in the order they were given.

    Accepted and rejected spans, task answers, ``complete`` and ``meta`` come back as stored.
    With ``annotators``, each task also names who answered it as Prodigy's ``_annotator_id``
    (unless the stored record has one of its own): ``db:DATASET`` reads do, so that lint sees
    texts answered by several annotators.
    """
    with Store(default_db_path(db), read_only=True) as store:
        if not annotators:
            yield from store.iter_answers(dataset, answer=answer)
            return
        for stored in store.iter_stored_answers(dataset):
            task = stored.task
            if answer is None or task.answer == answer:
                yield replace(task, extra={ANNOTATOR_FIELD: stored.annotator} | dict(task.extra))


def import_tasks(
    db_path: str | Path | None,
    dataset: str,
    tasks: Iterable[Task],
    *,
    annotator: str = "import",
    nlp: Language | None = None,
    tokenizer_name: str | None = None,
) -> int:
    """Store answered tasks in a dataset (created if needed), as a recorded review; return how many.

    Every span must start and end on a token of ``nlp``'s tokenizer, the rule the review
    page applies (``nerforge.spans.misalignment``); by default ``spacy.blank("en")``'s, as
    the page uses without a model. All or nothing: a span off token boundaries raises
    E310, naming every such span (and ``tokenizer_name``, default: the pipeline's name),
    and nothing is stored.
    """
    if nlp is None:
        nlp, tokenizer_name = spacy.blank("en"), tokenizer_name or "blank:en"
    checked = aligned_tasks(tasks, nlp, tokenizer_name=tokenizer_name or source_name(nlp))
    with Store(default_db_path(db_path)) as store:
        return store.add_answers(dataset, checked, annotator=annotator)


__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "dataset_of",
    "default_db_path",
    "import_tasks",
    "is_db_spec",
    "read_dataset",
]
