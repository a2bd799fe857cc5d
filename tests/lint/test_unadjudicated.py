"""L609: texts answered by several annotators and not adjudicated, in files and in db:DATASET."""

from __future__ import annotations

from lint_helpers import lint_records, task, with_code

from nerforge.io import read_tasks
from nerforge.lint import lint
from nerforge.storage import import_tasks


def test_answers_of_several_annotators_to_one_text_are_a_warning(tmp_path):
    records = [
        task("buy the zorbo 3", ("zorbo 3", "GADGET"), _annotator_id="ana"),
        task("something else", _annotator_id="ana"),
        task("buy the zorbo 3", ("zorbo", "GADGET"), _annotator_id="bob"),
    ]
    [finding] = with_code(lint_records(tmp_path, records), "L609")
    assert finding.severity == "warning" and finding.details["n_texts"] == 1
    assert "line 1 (ana) = line 3 (bob)" in finding.message
    assert "trains on every complete answer" in finding.message and "--into GOLD" in finding.message
    assert "a span two annotators answered takes the answer given last" in finding.message  # teach's


def test_one_annotator_answering_twice_is_left_to_the_duplicate_checks(tmp_path):
    records = [task("buy the zorbo 3", ("zorbo 3", "GADGET"), _annotator_id="ana")] * 2
    records.append(task("something else", _annotator_id="bob"))
    assert not with_code(lint_records(tmp_path, records), "L609")


def test_a_stored_dataset_names_its_annotators(tmp_path, monkeypatch):
    db, data = tmp_path / "n.db", tmp_path / "one.jsonl"
    data.write_text('{"text": "buy the zorbo 3", "spans": []}\n', encoding="utf-8")
    import_tasks(db, "gadgets", read_tasks(str(data)), annotator="ana")
    import_tasks(db, "gadgets", read_tasks(str(data)), annotator="bob")
    assert [t.extra["_annotator_id"] for t in read_tasks("db:gadgets", db=db)] == ["ana", "bob"]
    monkeypatch.setenv("NERFORGE_DB", str(db))
    [finding] = with_code(lint("db:gadgets"), "L609")
    assert "(ana) = " in finding.message and "db agreement gadgets" in finding.message
