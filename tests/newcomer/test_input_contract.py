"""One input contract: every command that reads gold checks it the same way, up front (issue 27, item 4)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from model_helpers import save_ruler
from nerforge.cli import app
from nerforge.errors import DataError, TrainingError
from nerforge.evaluation.evaluate import evaluate
from nerforge.evaluation.pattern_scores import score_patterns
from nerforge.records import Pattern, Span, Task
from nerforge.training.curve import train_curve
from tiny_data import write_tiny_data

runner = CliRunner()


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A saved pipeline whose 'ner' is an entity ruler: GADGET for 'ipad'."""
    return save_ruler(tmp_path_factory.mktemp("model"), [{"label": "GADGET", "pattern": "ipad"}])


def write_gold(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def cut_gold(tmp_path):
    """'ipad' inside the one token 'ipad+pencil': a span that cuts a token on line 2."""
    return write_gold(
        tmp_path / "gold.jsonl",
        [
            {"text": "my ipad is new", "spans": [{"start": 3, "end": 7, "label": "GADGET"}]},
            {"text": "ipad+pencil combo", "spans": [{"start": 0, "end": 4, "label": "GADGET"}]},
        ],
    )


@pytest.mark.parametrize("html", [False, True])
def test_a_span_that_cuts_a_token_is_reported_the_same_with_and_without_html(model_dir, tmp_path, html):
    gold = cut_gold(tmp_path)
    extra = ["--html", str(tmp_path / "page.html")] if html else []
    result = runner.invoke(app, ["evaluate", str(model_dir), str(gold), *extra])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "1 gold span start or end inside a token" in output and "gold.jsonl, line 2" in output
    if html:
        assert "ipad" in (tmp_path / "page.html").read_text()


def test_the_evaluation_counts_the_cut_spans_in_its_json(model_dir, tmp_path):
    result = evaluate(model_dir, cut_gold(tmp_path))
    assert result.n_cut_spans == 1 and result.to_dict()["n_cut_spans"] == 1


def test_patterns_score_refuses_a_label_that_differs_only_in_case(tmp_path):
    gold = [Task("my civic is red", (Span(3, 8, "car_model"),))]
    with pytest.raises(DataError, match=r"\[E021\]"):
        score_patterns([Pattern("CAR_MODEL", "civic", "p1")], gold)


def test_patterns_score_refuses_gold_without_any_pattern_label(tmp_path):
    gold = [Task("my civic is red", (Span(3, 8, "TRUCK"),))]
    with pytest.raises(DataError, match=r"\[E022\]"):
        score_patterns([Pattern("CAR_MODEL", "civic", "p1")], gold)


def test_patterns_score_on_the_command_line_exits_non_zero_on_a_case_mismatch(tmp_path):
    patterns = tmp_path / "p.jsonl"
    patterns.write_text(json.dumps({"label": "CAR_MODEL", "pattern": "civic"}) + "\n")
    gold = write_gold(
        tmp_path / "gold.jsonl",
        [{"text": "my civic", "spans": [{"start": 3, "end": 8, "label": "car_model"}]}],
    )
    result = runner.invoke(app, ["patterns", "score", str(patterns), str(gold)])
    assert result.exit_code != 0 and "E021" in result.output


def test_train_curve_checks_the_data_once_before_the_first_run(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    broken = tmp_path / "broken.jsonl"
    rows = [json.loads(line) for line in train.read_text().splitlines()]
    rows[0]["spans"] = (
        [{"start": 0, "end": 2, "label": rows[0]["spans"][0]["label"]}] if rows[0]["spans"] else []
    )
    rows.append({"text": "ipad+pencil combo", "spans": [{"start": 0, "end": 4, "label": "GADGET"}]})
    write_gold(broken, rows)
    runs = []
    with pytest.raises(TrainingError, match=r"\[E210\]"):
        train_curve(broken, dev, trainer_settings={"warm_start": None, "max_epochs": 1}, on_point=runs.append)
    assert runs == []


def test_patterns_report_reads_db_datasets_from_the_store_named_by_db(tmp_path):
    from nerforge.storage import import_tasks

    store = tmp_path / "store.db"
    import_tasks(store, "reviewed", [Task("my ipad", (Span(3, 7, "GADGET"),))], annotator="a")
    patterns = tmp_path / "p.jsonl"
    patterns.write_text(json.dumps({"label": "GADGET", "pattern": "ipad"}) + "\n")
    result = runner.invoke(
        app, ["patterns", "report", str(patterns), "--on", "db:reviewed", "--db", str(store)]
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["train", "evaluate", "explore", "train-curve", "predict", "bootstrap"])
def test_every_command_that_reads_data_takes_input_format(command):
    result = runner.invoke(app, [command, "--help"])
    assert "--input-format" in result.output


def test_the_f_interval_is_on_the_same_scale_as_f(model_dir, tmp_path):
    gold = [Task("my ipad", (Span(3, 7, "GADGET"),)), Task("an ipad", ())] * 10
    result = evaluate(model_dir, gold)
    low, high = result.f_interval
    assert 0.0 <= low <= result.scores.overall.f <= high <= 1.0
    report = result.to_dict()
    assert report["f_interval"][1] <= 1.0 and report["overall"]["f"] <= 1.0


def test_forgetting_and_domain_reports_give_f_as_a_fraction_in_json():
    from nerforge.evaluation.domains import DomainScore
    from nerforge.evaluation.forgetting import ForgettingReport, LabelRetention

    row = LabelRetention("ORG", 0.933, 0.949, "gold", 28, "kept")
    report = ForgettingReport((row,)).to_dict()
    assert report["labels"][0]["base_f"] == pytest.approx(0.933) and report["labels"][0]["change"] < 0.02
    assert report["thresholds"]["min_agreement"] == pytest.approx(0.95)
    domain = DomainScore("news", True, 5, 1200, 0.985, 40, (), {"GADGET": 1}).to_dict()
    assert domain["agreement"] == pytest.approx(0.985)
