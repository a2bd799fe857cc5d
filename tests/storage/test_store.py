"""The store: lossless import and export, dedup, exactly-once answers, undo, db: paths, migrations."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from nerforge.errors import DataError, StorageError
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task
from nerforge.storage import (
    SCHEMA_VERSION,
    Store,
    import_tasks,
    input_hash,
    read_dataset,
    task_hash,
)
from nerforge.storage.connection import MIGRATIONS

DEMO_REVIEWED = Path(__file__).parents[2] / "src" / "nerforge" / "demo" / "reviewed.jsonl"


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_import_then_export_of_the_demo_review_is_lossless(tmp_path):
    db, out = tmp_path / "n.db", tmp_path / "out.jsonl"
    assert import_tasks(db, "reviewed", read_tasks(str(DEMO_REVIEWED))) == 511
    assert write_tasks(read_dataset("reviewed", db=db), out) == 511
    assert _records(out) == _records(DEMO_REVIEWED)


def test_rejected_spans_answers_and_complete_survive(tmp_path):
    tasks = [
        Task("buy the zorbo 3 now", (Span(4, 7, "GADGET", "reject"), Span(8, 15, "GADGET", source="p1"))),
        Task("no gadget here", (Span(0, 2, "GADGET", "reject"),), answer="reject", complete=False),
        Task("skip me", answer="ignore", complete=False, meta={"id": 7}, extra={"_view_id": "ner_manual"}),
    ]
    import_tasks(tmp_path / "n.db", "d", tasks, annotator="ann")
    back = list(read_dataset("d", db=tmp_path / "n.db"))
    assert back == tasks and [t.extra for t in back] == [t.extra for t in tasks]
    assert [t.answer for t in read_dataset("d", db=tmp_path / "n.db", answer="reject")] == ["reject"]


def test_db_paths_read_through_read_tasks_with_the_env_variable(tmp_path, monkeypatch):
    import_tasks(tmp_path / "env.db", "d", [Task("one"), Task("two")])
    monkeypatch.setenv("NERFORGE_DB", str(tmp_path / "env.db"))
    assert [t.text for t in read_tasks("db:d")] == ["one", "two"]
    assert [t.text for t in read_tasks("db:d", db=tmp_path / "env.db")] == ["one", "two"]
    with pytest.raises(StorageError, match=r"\[E306\]"):
        list(read_tasks("db:"))


def test_same_task_is_stored_once_and_hashes_follow_prodigy(tmp_path):
    task = Task("the zorbo 3", (Span(4, 11, "GADGET"),))
    other_question = task.with_spans(())
    assert input_hash(task) == input_hash(other_question) and task_hash(task) != task_hash(other_question)
    assert task_hash(Task("x", extra={"_task_hash": 5})) == 5
    import_tasks(tmp_path / "n.db", "d", [task, task, other_question])
    with sqlite3.connect(tmp_path / "n.db") as db:
        assert db.execute("SELECT COUNT(*) FROM task").fetchone()[0] == 2
    with Store(tmp_path / "n.db") as store:
        assert store.stats("d").n_answers == 3 and store.stats("d").n_texts == 1


def test_a_resent_request_is_stored_once_and_a_second_answer_replaces_the_first(tmp_path):
    question = Task("the zorbo 3", (Span(4, 11, "GADGET"),), complete=False)
    with Store(tmp_path / "n.db") as store:
        store.create_dataset("d")
        accepted = question.with_spans(question.spans, complete=True)
        first = store.add_answer("d", question, accepted, annotator="ana", request_id="r1")
        again = store.add_answer("d", question, question, annotator="ana", request_id="r1")
        assert again.id == first.id and store.count_answers("d") == 1
        rejected = Task(question.text, (Span(4, 11, "GADGET", "reject"),), "reject", complete=False)
        replaced = store.add_answer("d", question, rejected, annotator="ana", request_id="r2")
        assert replaced.id == first.id and list(store.iter_answers("d")) == [rejected]
        store.add_answer("d", question, rejected, annotator="bob")
        assert store.stats("d").by_annotator == {"ana": 1, "bob": 1}
        assert store.answered_input_hashes("d", annotator="ana") == {input_hash(question)}


def test_undo_deletes_the_annotators_latest_answer(tmp_path):
    with Store(tmp_path / "n.db") as store:
        store.create_dataset("d")
        for text in ("a", "b"):
            store.add_answer("d", Task(text), Task(text), annotator="ana")
        store.add_answer("d", Task("c"), Task("c"), annotator="bob")
        undone = store.delete_last_answer("d", annotator="ana")
        assert undone is not None and undone.task.text == "b"
        assert [t.text for t in store.iter_answers("d")] == ["a", "c"]
        assert [a.task.text for a in store.recent_answers("d", annotator="ana", n=5)] == ["a"]
        assert store.delete_last_answer("d", annotator="nobody") is None


def test_an_answer_by_id_may_be_asked_for_in_its_dataset_only(tmp_path):
    with Store(tmp_path / "n.db") as store:
        for name in ("d", "gold"):
            store.create_dataset(name)
        saved = store.add_answer("d", Task("a"), Task("a"), annotator="ana")
        found = store.get_answer(saved.id)
        assert found is not None and store.get_answer(saved.id, dataset="d") == found
        assert store.get_answer(saved.id, dataset="gold") is None
        assert store.get_answer(saved.id, dataset="nope") is None and store.get_answer(saved.id + 1) is None


def test_drop_deletes_the_dataset_and_its_answers(tmp_path):
    import_tasks(tmp_path / "n.db", "d", [Task("a"), Task("b")])
    import_tasks(tmp_path / "n.db", "keep", [Task("a")])
    with Store(tmp_path / "n.db") as store:
        assert store.drop_dataset("d") == 2
        assert [info.name for info in store.datasets()] == ["keep"]
        with pytest.raises(StorageError, match=r"\[E305\].*keep"):
            store.stats("d")


def test_a_store_of_the_first_schema_is_migrated_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO dataset (name, created) VALUES ('d', 0)")
        db.execute('INSERT INTO task (input_hash, task_hash, content) VALUES (1, 2, \'{"text": "a"}\')')
        db.execute(
            "INSERT INTO answer (dataset_id, task_id, answer, annotator, created, content)"
            " VALUES (1, 1, 'accept', 'x', 0, '{\"text\": \"a\", \"spans\": []}')"
        )
        db.execute("PRAGMA user_version = 1")
    with Store(path) as store:
        assert [t.text for t in store.iter_answers("d")] == ["a"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newer_schema_is_a_coded_error(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match=r"\[E303\].*Upgrade nerforge"):
        Store(path)


def test_a_locked_store_is_a_coded_error(tmp_path):
    path = tmp_path / "n.db"
    Store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store(path, timeout=0.05) as store, pytest.raises(StorageError, match=r"\[E301\]"):
            store.create_dataset("d")
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_read_only_store_is_a_coded_error(tmp_path):
    import_tasks(tmp_path / "n.db", "d", [Task("a")])
    with Store(tmp_path / "n.db", read_only=True) as store, pytest.raises(StorageError, match=r"\[E302\]"):
        store.create_dataset("other")


def test_missing_store_bad_name_and_non_database_are_coded_errors(tmp_path):
    with pytest.raises(StorageError, match=r"\[E308\]"):
        list(read_dataset("d", db=tmp_path / "none.db"))
    with Store(tmp_path / "n.db") as store, pytest.raises(StorageError, match=r"\[E307\]"):
        store.create_dataset("no spaces/please")
    (tmp_path / "junk.db").write_text("this is not sqlite, not even close" * 100)
    with pytest.raises(StorageError, match=r"\[E304\]"):
        Store(tmp_path / "junk.db")


def test_an_import_with_a_bad_record_stores_nothing(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "also fine"}\n{"text": 3}\n')
    import_tasks(tmp_path / "n.db", "keep", [Task("a")])
    with pytest.raises(DataError, match=r"\[E004\] .*bad.jsonl, line 3"):
        import_tasks(tmp_path / "n.db", "d", read_tasks(str(path)))
    with Store(tmp_path / "n.db") as store:
        assert [info.name for info in store.datasets()] == ["keep"]
