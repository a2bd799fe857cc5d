"""`nerforge train-curve`: four shares, the gain of each, a verdict, a plot; 100% is a plain train."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.errors import ParameterError, TrainingError
from nerforge.training.curve import CurvePoint, TrainCurve, train_curve
from nerforge.training.curve_plot import curve_html, write_curve_plot
from tiny_data import write_tiny_data

runner = CliRunner()
QUICK = ["--warm-start", "none", "--max-epochs", "2"]


def test_the_full_share_scores_as_a_plain_train_with_the_same_seed(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    args = ["train-curve", str(train), "--dev", str(dev), "--seed", "3", "--json", str(tmp_path / "c.json")]
    result = runner.invoke(app, [*args, "--plot", str(tmp_path / "curve.html"), *QUICK])
    assert result.exit_code == 0, result.output
    lines = [
        line.split() for line in result.output.splitlines() if line.strip().endswith(tuple("0123456789"))
    ]
    rows = [line for line in lines if line[0].endswith("%")]
    assert [row[0] for row in rows] == ["25%", "50%", "75%", "100%"]
    assert "more data" in result.output or "flattened" in result.output
    curve = json.loads((tmp_path / "c.json").read_text())
    plain = tmp_path / "plain"
    result = runner.invoke(
        app, ["train", str(train), "--dev", str(dev), "-o", str(plain), "--seed", "3", *QUICK]
    )
    assert result.exit_code == 0, result.output
    best = json.loads((plain / "training.json").read_text())["best"]
    assert curve["points"][-1]["f"] == pytest.approx(best["f"], abs=1e-9)
    assert curve["points"][-1]["n_tasks"] == 65
    page = (tmp_path / "curve.html").read_text()
    assert "<svg" in page and "<script" not in page and "100%" in page


def test_shares_are_nested_seeded_subsets_counted_by_gain():
    points = (CurvePoint(0.5, 10, 0.4, 0.4, 0.4, 0.4, 1.0), CurvePoint(1.0, 20, 0.6, 0.6, 0.6, 0.2, 1.0))
    assert TrainCurve(points, seed=0).more_data_helps
    flat = (points[0], CurvePoint(1.0, 20, 0.405, 0.4, 0.4, 0.005, 1.0))
    assert not TrainCurve(flat, seed=0).more_data_helps


def test_bad_samples_and_too_little_data_are_coded_errors(tmp_path):
    train, dev = write_tiny_data(tmp_path)
    with pytest.raises(ParameterError, match=r"\[E403\]"):
        train_curve(train, dev, samples=0)
    with pytest.raises(TrainingError, match=r"\[E281\]"):
        train_curve(train, dev, samples=1000)


def test_a_plot_needs_html_or_png(tmp_path):
    curve = TrainCurve((CurvePoint(1.0, 20, 0.6, 0.6, 0.6, 0.6, 1.0),), seed=0)
    with pytest.raises(TrainingError, match=r"\[E282\]"):
        write_curve_plot(curve, tmp_path / "curve.svgz")
    assert "<svg" in curve_html(curve)
