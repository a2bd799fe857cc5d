"""Opening a store: WAL, foreign keys, the schema migrated, and SQLite's failures as coded errors."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import StorageError

# Each entry migrates the schema from version i to i + 1; PRAGMA user_version holds the version.
# Never edit an entry once released: add one. Statements run one by one inside one transaction.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE dataset (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created REAL NOT NULL
        )""",
        """CREATE TABLE task (
            id INTEGER PRIMARY KEY,
            input_hash INTEGER NOT NULL,
            task_hash INTEGER NOT NULL UNIQUE,
            content TEXT NOT NULL
        )""",
        "CREATE INDEX task_input_hash ON task (input_hash)",
        """CREATE TABLE answer (
            id INTEGER PRIMARY KEY,
            dataset_id INTEGER NOT NULL REFERENCES dataset (id) ON DELETE CASCADE,
            task_id INTEGER NOT NULL REFERENCES task (id),
            answer TEXT NOT NULL CHECK (answer IN ('accept', 'reject', 'ignore')),
            annotator TEXT NOT NULL,
            created REAL NOT NULL,
            content TEXT NOT NULL
        )""",
        "CREATE INDEX answer_dataset_task ON answer (dataset_id, task_id)",
    ),
    (
        # version 2: a client's request id makes a resent answer a no-op (exactly once)
        "ALTER TABLE answer ADD COLUMN request_id TEXT",
        "CREATE UNIQUE INDEX answer_request ON answer (dataset_id, request_id) WHERE request_id IS NOT NULL",
        "CREATE INDEX answer_annotator ON answer (dataset_id, annotator, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
DEFAULT_TIMEOUT = 5.0  # seconds a write waits for another writer before E301


def connect(path: Path, *, read_only: bool = False, timeout: float = DEFAULT_TIMEOUT) -> sqlite3.Connection:
    """Open (creating unless ``read_only``) and migrate the store at ``path``.

    Transactions are explicit (autocommit mode): every write goes through :func:`transaction`.

    Raises:
        StorageError: E301 locked, E302 read-only, E303 newer schema, E304 not a store, E308 missing.
    """
    if read_only and not path.is_file():
        raise StorageError("E308", path=str(path))
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    with translate_errors(path):
        connection = sqlite3.connect(
            uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
        )
    try:
        with translate_errors(path):
            _configure(connection, read_only=read_only)
        _migrate(connection, path, read_only=read_only)
    except BaseException:
        connection.close()
        raise
    return connection


def _configure(connection: sqlite3.Connection, *, read_only: bool) -> None:
    connection.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        # WAL: readers never block the writer, and a killed process loses no committed answer
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")  # durable in WAL up to a power cut


def _migrate(connection: sqlite3.Connection, path: Path, *, read_only: bool) -> None:
    with translate_errors(path):
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StorageError("E303", path=str(path), found=version, supported=SCHEMA_VERSION)
    if version == SCHEMA_VERSION:
        return
    if read_only:
        raise StorageError("E302", path=str(path), detail=f"its schema (version {version}) needs an upgrade")
    with transaction(connection, path):
        # re-read inside the write lock: another process may have migrated meanwhile
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[target - 1]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {target:d}")  # pragmas take no parameters


@contextlib.contextmanager
def transaction(connection: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed when the block ends, rolled back on any exception.

    ``BEGIN IMMEDIATE`` takes the write lock at once, so a busy store fails here (E301),
    not halfway through the block.
    """
    with translate_errors(path):
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """SQLite's failures as coded errors that say what to do."""
    try:
        yield
    except sqlite3.OperationalError as err:
        raise _storage_error(path, err) from err
    except sqlite3.DatabaseError as err:
        raise StorageError("E304", path=str(path), detail=str(err)) from err


def _storage_error(path: Path, err: sqlite3.OperationalError) -> StorageError:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return StorageError("E301", path=str(path))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError("E302", path=str(path), detail=str(err))
    if "no such table" in text or "no such column" in text:
        return StorageError("E304", path=str(path), detail=str(err))
    return StorageError("E309", path=str(path), detail=str(err))
