"""evaluate streams its test set: bad lines are rejected and the rest scored, gzip, stdin (issue 21)."""

from __future__ import annotations

import gzip
import json
import random

import pytest
from typer.testing import CliRunner

from model_helpers import save_ruler
from nerforge.cli import app
from nerforge.evaluation.evaluate import evaluate, f_interval
from nerforge.evaluation.interval import BootstrapF
from nerforge.io.spool import Spool
from nerforge.records import Span, Task


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A saved pipeline whose 'ner' is an entity ruler: DRUG for 'aspirin'."""
    return save_ruler(tmp_path_factory.mktemp("model"), [{"label": "DRUG", "pattern": "aspirin"}])


def gold_line(text, spans):
    return json.dumps({"text": text, "spans": [{"start": s, "end": e, "label": "DRUG"} for s, e in spans]})


def gold_lines():
    """Six gold tasks: the ruler finds 'aspirin' and misses 'ibuprofen'."""
    return [
        gold_line("aspirin helps", [(0, 7)]),
        gold_line("ibuprofen too", [(0, 9)]),
        gold_line("no drugs here", []),
        gold_line("take aspirin", [(5, 12)]),
        gold_line("aspirin or ibuprofen", [(0, 7), (11, 20)]),
        gold_line("nothing", []),
    ]


def test_a_broken_line_is_rejected_and_every_other_task_scored(model_dir, tmp_path):
    lines = gold_lines()
    clean = tmp_path / "clean.jsonl"
    clean.write_text("\n".join(lines) + "\n")
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:3], '{"text": "aspirin", "spans": [', *lines[3:]]) + "\n")
    rejects = tmp_path / "rejects.jsonl"
    expected = evaluate(model_dir, clean)
    result = evaluate(model_dir, broken, rejects=rejects)
    assert result.scores.to_dict() == expected.scores.to_dict()
    assert result.stream is not None
    assert (result.stream.n_input, result.stream.n_written, result.stream.n_rejected) == (7, 6, 1)
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [(r["line"], r["original"]) for r in rejected] == [(4, '{"text": "aspirin", "spans": [')]
    assert "broken.jsonl, line 4: Invalid JSON" in rejected[0]["reason"]


def test_gzip_and_plain_test_sets_score_the_same(model_dir, tmp_path):
    plain = tmp_path / "gold.jsonl"
    plain.write_text("\n".join(gold_lines()) + "\n")
    packed = tmp_path / "gold.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert evaluate(model_dir, packed).to_dict() == evaluate(model_dir, plain).to_dict()


def test_the_cli_reports_rejects_beside_the_report_and_strict_exits_1(model_dir, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([*gold_lines(), "not json"]) + "\n")
    report = tmp_path / "report.json"
    args = ["evaluate", str(model_dir), str(gold), "--json", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "Rejected 1 record of 7" in output and "gold.jsonl, line 7: Invalid JSON" in output
    assert json.loads(report.read_text())["input"]["n_rejected"] == 1
    assert (tmp_path / "report.rejects.jsonl").exists()
    strict = CliRunner().invoke(app, [*args, "--strict"])
    assert strict.exit_code == 1 and "E054" in strict.output


def test_stdin_is_read_once_and_scored(model_dir, tmp_path):
    gold = "\n".join(gold_lines()) + "\n"
    result = CliRunner().invoke(app, ["evaluate", str(model_dir), "-"], input=gold)
    assert result.exit_code == 0, result.output
    assert "F 75.0" in result.output  # TP 3, FN 2: P 100, R 60


def test_every_input_task_has_its_prediction_in_input_order(model_dir):
    tasks = [
        Task("aspirin helps", (Span(0, 7, "DRUG"),)),
        Task("skip this aspirin", answer="ignore"),
        Task("nothing here", ()),
        Task("take aspirin", (Span(5, 12, "DRUG"),)),
    ]
    result = evaluate(model_dir, tasks)
    assert [p.ignored for p in result.predictions] == [False, True, False, False]
    assert [[(s.start, s.end) for s in p.spans] for p in result.predictions] == [[(0, 7)], [], [], [(5, 12)]]


def test_patterns_scores_give_the_same_shape_as_an_evaluation(tmp_path):
    from nerforge.evaluation.pattern_scores import score_patterns
    from nerforge.records import Pattern

    tasks = [Task("aspirin helps", (Span(0, 7, "DRUG"),)), Task("ignored", answer="ignore"), Task("none", ())]
    result = score_patterns([Pattern("DRUG", "aspirin", "p1")], tasks)
    assert [p.ignored for p in result.predictions] == [False, True, False]
    assert [len(p.spans) for p in result.predictions] == [1, 0, 0]


def test_the_html_page_caps_what_it_keeps_and_counts_the_rest(model_dir, monkeypatch, tmp_path):
    from nerforge.evaluation import html

    monkeypatch.setattr(html, "MAX_PAGE_TASKS", 2)
    page = html.EvaluationPage()
    tasks = [Task("aspirin", (Span(0, 7, "DRUG"),)) for _ in range(5)]
    result = evaluate(model_dir, tasks, on_scored=page.add)
    assert len(result.predictions) == 5 and result.scores.overall.tp == 5
    assert len(page.rows_) == 2 and page.n_left_out_ == 3
    page.write(result, tmp_path / "page.html")
    assert "3 more were scored" in (tmp_path / "page.html").read_text()


def test_the_spool_gives_its_items_back_in_order_as_often_as_asked(monkeypatch):
    monkeypatch.setattr("nerforge.io.spool.CHUNK_ITEMS", 7)
    monkeypatch.setattr("nerforge.io.spool.IN_MEMORY_BYTES", 100)  # past this: a file on disk
    items = [Task(f"text {i}", (Span(0, 4, "X"),)) for i in range(50)]
    with Spool(items[:30]) as spool:
        first = iter(spool)
        assert next(first) == items[0]
        for item in items[30:]:
            spool.append(item)
        assert list(spool) == items
        assert list(spool) == items and len(spool) == 50
        assert [next(first) for _ in range(2)] == items[1:3]


def test_the_streamed_interval_is_seeded_and_brackets_f():
    rng = random.Random(3)
    gold = [Task("a b", (Span(0, 1, "X"),)) for _ in range(400)]
    predicted = [[Span(0, 1, "X")] if rng.random() < 0.7 else [Span(2, 3, "X")] for _ in range(400)]
    low, high = f_interval(gold, predicted, ["X"], seed=0)
    assert (low, high) == f_interval(gold, predicted, ["X"], seed=0)
    n_tp = sum(spans[0].start == 0 for spans in predicted)
    f = n_tp / 400
    assert low < f < high and high - low < 0.12


def test_tasks_without_counts_do_not_move_the_interval():
    with_empty, without = BootstrapF(seed=1), BootstrapF(seed=1)
    for i in range(300):
        counts = (1, 0, 0) if i % 3 else (0, 1, 1)
        with_empty.add(counts)
        with_empty.add((0, 0, 0))
        without.add(counts)
    assert with_empty.interval() == without.interval()
