"""The whole demo: the targets the README promises (slow: it trains two models)."""

from __future__ import annotations

import pytest

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
