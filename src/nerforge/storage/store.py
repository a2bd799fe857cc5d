"""The SQLite store: datasets of answered tasks. All of nerforge's SQL lives in this package.

Each task is stored once (keyed by its task hash); each answer points at its task and holds
the answered record, the annotator and the time. Every write is one transaction.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from ..errors import Location, StorageError
from ..records import Task, TaskAnswer
from ..task_json import task_from_dict, task_to_dict
from .annotators import AnnotatorStats, AnswerTime, annotator_stats
from .connection import DEFAULT_TIMEOUT, connect, transaction, translate_errors
from .hashing import input_hash, task_hash

DATASET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """A dataset in the store: its name, answers and creation time (seconds since the epoch)."""

    name: str
    n_answers: int
    created: float

    def to_dict(self) -> dict[str, Any]:
        """Name, answer count and creation time, as a JSON-ready dict."""
        return {"name": self.name, "n_answers": self.n_answers, "created": self.created}


@dataclass(frozen=True, slots=True)
class DatasetStats:
    """Answers of a dataset, per annotator and per answer kind, and the distinct texts answered.

    ``annotators`` has each annotator's answer kinds, pace and texts shared with others.
    """

    name: str
    n_answers: int
    n_texts: int
    by_annotator: Mapping[str, int] = field(default_factory=dict)
    by_answer: Mapping[str, int] = field(default_factory=dict)
    annotators: tuple[AnnotatorStats, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The counts per annotator and answer kind, as a JSON-ready dict."""
        return {
            "name": self.name,
            "n_answers": self.n_answers,
            "n_texts": self.n_texts,
            "by_annotator": dict(self.by_annotator),
            "by_answer": dict(self.by_answer),
            "annotators": [annotator.to_dict() for annotator in self.annotators],
        }


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """One answer as stored: its id, the answered task, who gave it and when."""

    id: int
    task: Task
    annotator: str
    created: float
    input_hash: int
    task_hash: int


class Store:
    """A nerforge store: one SQLite file holding datasets of answers.

    Args:
        path: The database file; created (with its schema) unless ``read_only``.
        read_only: Open without writing (a write then raises E302).
        timeout: Seconds a write waits for another process's write before E301.

    Raises:
        StorageError: For a locked, read-only, missing or newer-schema store.
    """

    def __init__(
        self, path: str | Path, *, read_only: bool = False, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._db = connect(self.path, read_only=read_only, timeout=timeout)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    # datasets

    def datasets(self) -> list[DatasetInfo]:
        """Every dataset, by name."""
        rows = self._read(
            "SELECT d.name, COUNT(a.id), d.created FROM dataset d"
            " LEFT JOIN answer a ON a.dataset_id = d.id GROUP BY d.id ORDER BY d.name"
        )
        return [DatasetInfo(name, n, created) for name, n, created in rows]

    def create_dataset(self, name: str) -> None:
        """Create the dataset if it does not exist yet."""
        check_dataset_name(name)
        with transaction(self._db, self.path) as db:
            db.execute(
                "INSERT INTO dataset (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, time.time()),
            )

    def drop_dataset(self, name: str) -> int:
        """Delete a dataset and its answers; return how many answers went. Unused tasks go too."""
        with transaction(self._db, self.path) as db:
            dataset_id = self._dataset_id(name, db)
            n_answers = db.execute(
                "SELECT COUNT(*) FROM answer WHERE dataset_id = ?", (dataset_id,)
            ).fetchone()[0]
            db.execute("DELETE FROM dataset WHERE id = ?", (dataset_id,))
            db.execute("DELETE FROM task WHERE id NOT IN (SELECT task_id FROM answer)")
        return int(n_answers)

    def stats(self, name: str) -> DatasetStats:
        """Answers per annotator and per answer kind, and each annotator's figures (``annotators``)."""
        rows = [
            AnswerTime(*row)
            for row in self._read(
                "SELECT a.annotator, a.answer, a.created, t.input_hash FROM answer a"
                " JOIN task t ON t.id = a.task_id WHERE a.dataset_id = ? ORDER BY a.id",
                (self._dataset_id(name),),
            )
        ]
        annotators = annotator_stats(rows)
        by_answer = Counter(row.answer for row in rows)
        return DatasetStats(
            name,
            len(rows),
            len({row.input_hash for row in rows}),
            {stats.annotator: stats.n_answers for stats in annotators},
            dict(sorted(by_answer.items())),
            annotators,
        )

    # answers

    def add_answers(self, name: str, tasks: Iterable[Task], *, annotator: str) -> int:
        """Store answered tasks (an import), creating the dataset; return how many were stored.

        All or nothing: the tasks stream into one transaction, so an invalid record (the
        reader's coded error) leaves the store as it was.
        """
        check_dataset_name(name)
        n_added, now = 0, time.time()
        with transaction(self._db, self.path) as db:
            db.execute(
                "INSERT INTO dataset (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (name, now)
            )
            dataset_id = self._dataset_id(name, db)
            for task in tasks:
                db.execute(
                    "INSERT INTO answer (dataset_id, task_id, answer, annotator, created, content)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (dataset_id, self._task_id(db, task), task.answer, annotator, now, _encode(task)),
                )
                n_added += 1
        return n_added

    def add_answer(
        self, name: str, question: Task, answered: Task, *, annotator: str, request_id: str | None = None
    ) -> StoredAnswer:
        """Store one answer to ``question`` in its own transaction, and return it as stored.

        The same ``request_id`` sent again returns the answer stored the first time (a client
        retrying after a lost reply stores it once). If ``annotator`` already answered this
        question in the dataset, that answer is replaced: one answer per annotator and task.
        """
        with transaction(self._db, self.path) as db:
            dataset_id = self._dataset_id(name, db)
            if request_id is not None:
                found = db.execute(
                    "SELECT id FROM answer WHERE dataset_id = ? AND request_id = ?", (dataset_id, request_id)
                ).fetchone()
                if found is not None:
                    return self._answer(db, int(found[0]))
            task_id = self._task_id(db, question)
            previous = db.execute(
                "SELECT id FROM answer WHERE dataset_id = ? AND task_id = ? AND annotator = ?",
                (dataset_id, task_id, annotator),
            ).fetchone()
            values = (answered.answer, time.time(), _encode(answered), request_id)
            if previous is not None:
                db.execute(
                    "UPDATE answer SET answer = ?, created = ?, content = ?, request_id = ? WHERE id = ?",
                    (*values, previous[0]),
                )
                answer_id = int(previous[0])
            else:
                cursor = db.execute(
                    "INSERT INTO answer (answer, created, content, request_id, dataset_id, task_id,"
                    " annotator) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*values, dataset_id, task_id, annotator),
                )
                answer_id = int(cursor.lastrowid or 0)
            return self._answer(db, answer_id)

    def delete_last_answer(self, name: str, *, annotator: str) -> StoredAnswer | None:
        """Undo: delete the annotator's latest answer in the dataset and return it (None if none)."""
        with transaction(self._db, self.path) as db:
            dataset_id = self._dataset_id(name, db)
            row = db.execute(
                "SELECT id FROM answer WHERE dataset_id = ? AND annotator = ? ORDER BY created DESC, id DESC"
                " LIMIT 1",
                (dataset_id, annotator),
            ).fetchone()
            if row is None:
                return None
            answer = self._answer(db, int(row[0]))
            db.execute("DELETE FROM answer WHERE id = ?", (answer.id,))
            return answer

    def get_answer(self, answer_id: int, *, dataset: str | None = None) -> StoredAnswer | None:
        """One answer by id (in ``dataset``, if given), or None."""
        query = (
            "SELECT 1 FROM answer WHERE id = ?"
            " AND (? IS NULL OR dataset_id IN (SELECT id FROM dataset WHERE name = ?))"
        )
        with translate_errors(self.path):
            found = self._db.execute(query, (answer_id, dataset, dataset)).fetchone()
            return None if found is None else self._answer(self._db, answer_id)

    def get_question(self, hash_of_task: int) -> Task | None:
        """The task (as first stored) with this task hash, or None."""
        rows = self._read("SELECT content FROM task WHERE task_hash = ?", (hash_of_task,))
        return _decode(rows[0][0], "task") if rows else None

    def has_answered(self, name: str, hash_of_task: int, *, annotator: str, request_id: str | None) -> bool:
        """Whether the annotator answered this task in the dataset, or this request was stored."""
        rows = self._read(
            "SELECT 1 FROM answer a JOIN task t ON t.id = a.task_id JOIN dataset d ON d.id = a.dataset_id"
            " WHERE d.name = ? AND ((t.task_hash = ? AND a.annotator = ?) OR a.request_id = ?) LIMIT 1",
            (name, hash_of_task, annotator, request_id),
        )
        return bool(rows)

    def recent_answers(self, name: str, *, annotator: str, n: int) -> list[StoredAnswer]:
        """The annotator's ``n`` latest answers in the dataset, newest first."""
        rows = self._read(
            "SELECT id FROM answer WHERE dataset_id = ? AND annotator = ?"
            " ORDER BY created DESC, id DESC LIMIT ?",
            (self._dataset_id(name), annotator, n),
        )
        with translate_errors(self.path):
            return [self._answer(self._db, int(row[0])) for row in rows]

    def answered_input_hashes(self, name: str, *, annotator: str | None = None) -> set[int]:
        """Input hashes answered in the dataset (by ``annotator``, if given); empty if no dataset."""
        rows = self._read("SELECT id FROM dataset WHERE name = ?", (name,))
        if not rows:
            return set()
        query = (
            "SELECT DISTINCT t.input_hash FROM answer a JOIN task t ON t.id = a.task_id"
            " WHERE a.dataset_id = ?"
        )
        params: tuple[Any, ...] = (rows[0][0],)
        if annotator is not None:
            query, params = query + " AND a.annotator = ?", (*params, annotator)
        return {int(row[0]) for row in self._read(query, params)}

    def annotators_by_input_hash(self, name: str) -> dict[int, set[str]]:
        """For each text answered in the dataset (by input hash), the annotators who answered it."""
        rows = self._read("SELECT id FROM dataset WHERE name = ?", (name,))
        if not rows:
            return {}
        query = (
            "SELECT DISTINCT t.input_hash, a.annotator FROM answer a JOIN task t ON t.id = a.task_id"
            " WHERE a.dataset_id = ?"
        )
        found: dict[int, set[str]] = {}
        for hash_of_input, annotator in self._read(query, (rows[0][0],)):
            found.setdefault(int(hash_of_input), set()).add(str(annotator))
        return found

    def iter_stored_answers(self, name: str) -> Iterator[StoredAnswer]:
        """Stream the dataset's answers with who gave them, when, and their hashes, in the order given."""
        with translate_errors(self.path):
            cursor = self._db.execute(
                "SELECT a.id, a.content, a.annotator, a.created, t.input_hash, t.task_hash"
                " FROM answer a JOIN task t ON t.id = a.task_id WHERE a.dataset_id = ? ORDER BY a.id",
                (self._dataset_id(name),),
            )
            for answer_id, content, annotator, created, hash_in, hash_task in cursor:
                task = _decode(content, f"db:{name}", answer_id)
                yield StoredAnswer(answer_id, task, annotator, created, hash_in, hash_task)

    def count_answers(self, name: str) -> int:
        """Answers in the dataset; 0 if it does not exist."""
        rows = self._read(
            "SELECT COUNT(a.id) FROM dataset d JOIN answer a ON a.dataset_id = d.id WHERE d.name = ?", (name,)
        )
        return int(rows[0][0])

    def iter_answers(
        self, name: str, *, answer: TaskAnswer | None = None, annotator: str | None = None
    ) -> Iterator[Task]:
        """Stream the dataset's answered tasks in the order they were given."""
        query = "SELECT id, content FROM answer WHERE dataset_id = ?"
        params: tuple[Any, ...] = (self._dataset_id(name),)
        if answer is not None:
            query, params = query + " AND answer = ?", (*params, answer)
        if annotator is not None:
            query, params = query + " AND annotator = ?", (*params, annotator)
        with translate_errors(self.path):
            cursor = self._db.execute(query + " ORDER BY id", params)
            for answer_id, content in cursor:
                yield _decode(content, f"db:{name}", answer_id)

    # helpers

    def _read(self, query: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with translate_errors(self.path):
            return self._db.execute(query, params).fetchall()

    def _dataset_id(self, name: str, db: sqlite3.Connection | None = None) -> int:
        with translate_errors(self.path):
            row = (db or self._db).execute("SELECT id FROM dataset WHERE name = ?", (name,)).fetchone()
        if row is None:
            names = ", ".join(info.name for info in self.datasets()) or "none"
            raise StorageError("E305", name=name, path=str(self.path), names=names)
        return int(row[0])

    def _task_id(self, db: sqlite3.Connection, task: Task) -> int:
        hash_of_task = task_hash(task)
        db.execute(
            "INSERT INTO task (input_hash, task_hash, content) VALUES (?, ?, ?)"
            " ON CONFLICT (task_hash) DO NOTHING",
            (input_hash(task), hash_of_task, _encode(task)),
        )
        return int(db.execute("SELECT id FROM task WHERE task_hash = ?", (hash_of_task,)).fetchone()[0])

    def _answer(self, db: sqlite3.Connection, answer_id: int) -> StoredAnswer:
        content, annotator, created, hash_in, hash_task = db.execute(
            "SELECT a.content, a.annotator, a.created, t.input_hash, t.task_hash"
            " FROM answer a JOIN task t ON t.id = a.task_id WHERE a.id = ?",
            (answer_id,),
        ).fetchone()
        return StoredAnswer(
            answer_id, _decode(content, "answer", answer_id), annotator, created, hash_in, hash_task
        )


def check_dataset_name(name: str) -> None:
    """Raise E307 unless the name is 1-100 letters, digits, '_', '.', '-', starting with a letter or digit."""
    if not DATASET_NAME.match(name):
        raise StorageError("E307", name=name)


def _encode(task: Task) -> str:
    return json.dumps(task_to_dict(task), ensure_ascii=False, separators=(",", ":"))


def _decode(content: str, where: str, row: int | None = None) -> Task:
    return task_from_dict(json.loads(content), Location(where, row, "answer"))
