"""`nerforge review DATASET --into GOLD`: thin over create_adjudication_app, errors as exit 1."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.records import Span, Task
from nerforge.storage import Store

pytest.importorskip("uvicorn", reason="the web extra is not installed")


def test_review_serves_the_page_after_storing_agreed_texts(tmp_path, monkeypatch):
    db = tmp_path / "n.db"
    with Store(db) as store:
        for name in ("ana", "bob"):
            store.add_answers("d", [Task("buy the zorbo 3", (Span(8, 15, "GADGET"),))], annotator=name)
    served = []
    monkeypatch.setattr("uvicorn.run", lambda found, **options: served.append(options["port"]))
    arguments = ["review", "d", "--into", "gold", "--auto-accept-agreed", "--db", str(db), "--port", "8123"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "1 text(s) answered by two annotators or more; 1 agreed stored at once" in result.output
    assert served == [8123] and "http://127.0.0.1:8123/" in result.output
    with Store(db, read_only=True) as store:
        assert store.count_answers("gold") == 1


def test_review_of_a_dataset_not_in_the_store_exits_1(tmp_path):
    result = CliRunner().invoke(app, ["review", "nope", "--into", "gold", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 1 and "E305" in result.output


def test_review_labels_are_offered_for_edits_besides_the_versions_labels(tmp_path, monkeypatch):
    db = tmp_path / "n.db"
    with Store(db) as store:
        store.add_answers("d", [Task("buy the zorbo 3", (Span(8, 15, "GADGET"),))], annotator="ana")
        store.add_answers("d", [Task("buy the zorbo 3")], annotator="bob")
    served = []
    monkeypatch.setattr("uvicorn.run", lambda found, **options: served.append(found))
    arguments = ["review", "d", "--into", "gold", "--labels", "PRODUCT,GADGET", "--db", str(db)]
    assert CliRunner().invoke(app, arguments).exit_code == 0
    from starlette.testclient import TestClient

    client = TestClient(served[0], base_url="http://127.0.0.1:8080")  # a read: no page token needed
    assert client.get("/api/state?session=carol").json()["labels"] == ["PRODUCT", "GADGET"]
