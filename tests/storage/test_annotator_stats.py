"""`db stats` per annotator: answer kinds, the median gap between answers, texts shared with others."""

from __future__ import annotations

from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.records import Span, Task
from nerforge.storage import IDLE_LIMIT_S, Store
from nerforge.storage.annotators import median_gap


def test_median_gap_caps_breaks_and_leaves_out_ties():
    # gaps 10, 20, 0 (one import: left out), 1970 (a break: capped) -> median of 10, 20, 300 = 20
    assert median_gap([0, 10, 30, 30, 2000]) == 20
    assert median_gap([0, 5000]) == IDLE_LIMIT_S
    assert median_gap([7.0]) is None and median_gap([3.0, 3.0]) is None


def _answered_store(path, monkeypatch):
    a, b, c = (Task(text, (Span(0, 1, "X"),), complete=False) for text in ("a x", "b y", "c z"))
    with Store(path) as store:
        store.create_dataset("d")
        clock = iter([100.0, 110.0, 200.0, 260.0])  # ana answers at 100 and 110, bob at 200 and 260
        monkeypatch.setattr("nerforge.storage.store.time.time", lambda: next(clock))
        store.add_answer("d", a, a, annotator="ana")
        store.add_answer("d", b, Task(b.text, (), "reject", False), annotator="ana")
        store.add_answer("d", a, a, annotator="bob")
        store.add_answer("d", c, Task(c.text, (), "ignore", False), annotator="bob")
        monkeypatch.undo()


def test_stats_give_each_annotator_kinds_pace_and_shared_texts(tmp_path, monkeypatch):
    _answered_store(tmp_path / "n.db", monkeypatch)
    with Store(tmp_path / "n.db", read_only=True) as store:
        ana, bob = store.stats("d").annotators
    assert (ana.annotator, ana.n_answers, dict(ana.by_answer)) == (
        "ana",
        2,
        {"accept": 1, "reject": 1, "ignore": 0},
    )
    assert (ana.median_seconds, ana.n_texts, ana.n_shared) == (10.0, 2, 1)  # "a x" is bob's too
    assert (bob.median_seconds, bob.by_answer["ignore"], bob.n_shared) == (60.0, 1, 1)


def test_db_stats_prints_the_annotator_table(tmp_path, monkeypatch):
    _answered_store(tmp_path / "n.db", monkeypatch)
    result = CliRunner().invoke(app, ["db", "stats", "d", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.output
    ana_row = next(line for line in result.output.splitlines() if line.startswith("ana"))
    assert ana_row.split() == ["ana", "2", "1", "1", "0", "10.0", "2", "1"]
    assert "median s" in result.output and "shared" in result.output
