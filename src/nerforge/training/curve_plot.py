"""Drawing a train curve: self-contained HTML with an inline SVG, or a PNG when matplotlib is there."""

from __future__ import annotations

import html
import importlib.util
from pathlib import Path
from typing import Any

from ..errors import TrainingError
from ..io.files import atomic_text_writer
from .curve import TrainCurve

WIDTH, HEIGHT, MARGIN = 560, 320, 48  # SVG size in px, and room for the axes' labels


def write_curve_plot(curve: TrainCurve, path: str | Path) -> Path:
    """Draw F against the share of training data: ``.png`` with matplotlib, else HTML with inline SVG.

    Raises:
        TrainingError: E282 for a ``.png`` without matplotlib installed, or another suffix.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".png":
        if importlib.util.find_spec("matplotlib") is None:
            raise TrainingError("E282", path=str(target), detail="matplotlib is not installed")
        _write_png(curve, target)
    elif suffix in {".html", ".htm"}:
        with atomic_text_writer(target) as handle:
            handle.write(curve_html(curve))
    else:
        raise TrainingError("E282", path=str(target), detail=f"'{suffix}' is neither .html nor .png")
    return target


def curve_html(curve: TrainCurve) -> str:
    """A page with the curve as inline SVG and the table under it: no script, no external file."""
    rows = "".join(
        f"<tr><td>{100 * p.fraction:.0f}%</td><td>{p.n_tasks}</td><td>{100 * p.f:.1f}</td>"
        f"<td>{100 * p.gain:+.1f}</td></tr>"
        for p in curve.points
    )
    verdict = "more data is likely to help" if curve.more_data_helps else "the curve has flattened"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nerforge train curve</title>'
        "<style>body{font:14px system-ui,sans-serif;margin:2em}td,th{padding:2px 12px;text-align:right}"
        "</style></head><body><h1>Train curve</h1>"
        f"<p>Last step gains {100 * curve.last_gain:+.1f} F: {html.escape(verdict)} "
        f"(threshold {100 * curve.min_gain:.1f}; seed {curve.seed}).</p>"
        f"{curve_svg(curve)}<table><tr><th>data</th><th>tasks</th><th>F</th><th>gain</th></tr>{rows}"
        "</table></body></html>\n"
    )


def curve_svg(curve: TrainCurve) -> str:
    """F (0-100) against the share of data (0-100%) as an SVG polyline with dots and axes."""
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN

    def xy(fraction: float, f: float) -> tuple[float, float]:
        return MARGIN + fraction * inner_w, HEIGHT - MARGIN - f * inner_h

    points = [xy(p.fraction, p.f) for p in curve.points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1d4ed8"/>' for x, y in points)
    ticks = "".join(
        f'<text x="{MARGIN - 8}" y="{xy(0, v / 100)[1] + 4:.1f}" text-anchor="end">{v}</text>'
        f'<line x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{xy(0, v / 100)[1]:.1f}" '
        f'y2="{xy(0, v / 100)[1]:.1f}" stroke="#e5e7eb"/>'
        for v in range(0, 101, 20)
    )
    xticks = "".join(
        f'<text x="{xy(p.fraction, 0)[0]:.1f}" y="{HEIGHT - MARGIN + 18}" text-anchor="middle">'
        f"{100 * p.fraction:.0f}%</text>"
        for p in curve.points
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-size="12" role="img" aria-label="F by share of training data">'
        f"{ticks}{xticks}"
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">share of training data</text>'
        f'<text x="14" y="{HEIGHT / 2}" transform="rotate(-90 14 {HEIGHT / 2})" '
        'text-anchor="middle">dev F</text>'
        f'<polyline points="{line}" fill="none" stroke="#1d4ed8" stroke-width="2"/>{dots}</svg>'
    )


def _write_png(curve: TrainCurve, target: Path) -> None:
    matplotlib: Any = importlib.import_module("matplotlib")  # optional, checked by the caller
    matplotlib.use("Agg")  # no display needed
    plt: Any = importlib.import_module("matplotlib.pyplot")

    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.plot([100 * p.fraction for p in curve.points], [100 * p.f for p in curve.points], marker="o")
    axes.set_xlabel("share of training data (%)")
    axes.set_ylabel("dev F")
    axes.set_ylim(0, 100)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)
