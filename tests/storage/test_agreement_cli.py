"""`nerforge db agreement`: the table, --json and --html, read from annotators' answers in the store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.records import Span, Task
from nerforge.storage import import_tasks

runner = CliRunner()
T1, T2 = "aa bb cc dd", "ee <b>ff</b> gg"


def _two_annotators(db):
    import_tasks(db, "gadgets", [Task(T1, (Span(0, 5, "X"),)), Task(T2, (Span(0, 2, "X"),))], annotator="ana")
    bob = [Task(T1, (Span(0, 2, "X"),)), Task(T2, (Span(0, 2, "X"), Span(3, 11, "X")))]  # + "<b>ff</b>"
    import_tasks(db, "gadgets", bob, annotator="bob")


def test_agreement_prints_the_pairs_and_writes_json_and_html(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the README's command: the store is nerforge.db here
    monkeypatch.delenv("NERFORGE_DB", raising=False)
    _two_annotators(tmp_path / "nerforge.db")
    report, page = tmp_path / "agreement.json", tmp_path / "agreement.html"
    result = runner.invoke(
        app, ["db", "agreement", "gadgets", "--json", "agreement.json", "--html", "agreement.html"]
    )
    assert result.exit_code == 0, result.output
    assert "ana / bob" in result.output and "Krippendorff" in result.output
    data = json.loads(report.read_text())
    # exact: 1 match (ee) of 2 + 3 spans -> 2/5; partial: aa bb ~ aa, and ee -> 4/5
    assert data["spans"]["pairs"][0]["overall"]["exact"]["value"] == 0.4
    assert data["spans"]["pairs"][0]["overall"]["partial"]["value"] == 0.8
    assert [d["text"] for d in data["disputed"]] == [T1, T2]  # T1: 2 disputed spans, T2: 1
    html = page.read_text()
    assert "aa bb" in html and "&lt;b&gt;ff&lt;/b&gt;" in html and "<b>ff" not in html


def test_one_annotator_only_says_there_is_nothing_to_compare(tmp_path):
    import_tasks(tmp_path / "n.db", "gadgets", [Task(T1, (Span(0, 2, "X"),))], annotator="ana")
    result = runner.invoke(app, ["db", "agreement", "gadgets", "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0 and "nothing to compare" in result.output


def test_binary_answers_print_kappa_and_who_rejected_what(tmp_path):
    def said(start: int, answer: str) -> Task:
        span = Span(start, start + 1, "X", "reject" if answer == "reject" else "accept")
        return Task("p q", (span,), answer, False, extra={"_view_id": "ner"})  # type: ignore[arg-type]

    db = tmp_path / "n.db"
    import_tasks(db, "teach", [said(0, "accept"), said(2, "accept")], annotator="ana")
    import_tasks(db, "teach", [said(0, "accept"), said(2, "reject")], annotator="bob")
    result = runner.invoke(app, ["db", "agreement", "teach", "--db", str(db)])
    assert result.exit_code == 0, result.output
    # units p (accept, accept), q (accept, reject): p_o = 1/2, p_e = 1 * 1/2 + 0 = 1/2 -> kappa 0
    assert "Cohen's kappa" in result.output and "0.000" in result.output
    assert "'q' X (rejected)" in result.output
