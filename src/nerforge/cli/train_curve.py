"""`nerforge train-curve`: train on 25/50/75/100% of the data: does more data still help?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    InputFormatOption,
    TrainLabelsOption,
    WarmStartOption,
    format_option,
    labels_option,
    msg,
    reports_errors,
)
from .db import StoreOption, use_store

if TYPE_CHECKING:
    from ..training.curve import CurvePoint, TrainCurve

ROW_WIDTHS = (6, 7, 7, 7, 7, 7)  # data share, tasks, P, R, F, gain


@reports_errors
def train_curve_cli(
    train: Annotated[str, typer.Argument(help="Training tasks in any format nerforge reads, or db:DATASET.")],
    dev: Annotated[str, typer.Option("--dev", help="Dev tasks every run is scored on.")],
    samples: Annotated[
        int, typer.Option("--samples", help="Number of shares: 4 trains on 25, 50, 75 and 100%.")
    ] = 4,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the shares and of every run.")] = 0,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw the curve: .html (inline SVG) or .png (needs matplotlib)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Keep each run's models under OUTPUT/PERCENT.")
    ] = None,
    max_epochs: Annotated[
        int | None, typer.Option("--max-epochs", help="Cap on passes over the data (default: from its size).")
    ] = None,
    labels: TrainLabelsOption = None,
    warm_start: WarmStartOption = "auto",
    force: Annotated[
        bool,
        typer.Option("--force", help="Train the full data even where lint finds errors (as train --force)."),
    ] = False,
    input_format: InputFormatOption = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the curve as JSON.")] = None,
    db: StoreOption = None,
) -> None:
    """Train on growing seeded shares of TRAIN and print dev F and the gain of each step.

    The 100% run trains on TRAIN as `nerforge train` does with the same seed, so its F is
    that run's. More data is likely to help when the last step still gains one F point or more.
    """
    use_store(db)
    from ..training.curve import MIN_GAIN, train_curve
    from ..training.curve_plot import write_curve_plot

    settings: dict[str, Any] = {"warm_start": None if warm_start == "none" else warm_start, "force": force}
    if max_epochs is not None:
        settings["max_epochs"] = max_epochs
    if labels is not None:
        settings["labels"] = labels_option(labels)
    msg.info(f"Training {samples} runs on growing shares of {train} (seed {seed})")
    _header()
    curve = train_curve(
        train,
        dev,
        samples=samples,
        seed=seed,
        output=output,
        format=format_option(input_format, "--input-format"),
        trainer_settings=settings,
        on_point=_row,
    )
    _verdict(curve, MIN_GAIN)
    if plot is not None:
        msg.good(f"Curve: {write_curve_plot(curve, plot)}")
    if json_out is not None:
        json_out.write_text(json.dumps(curve.to_dict(), indent=2) + "\n", encoding="utf-8")
        msg.good(f"JSON: {json_out}")


def _header() -> None:
    cells = ("data", "tasks", "P", "R", "F", "gain")
    typer.echo("  ".join(cell.rjust(width) for cell, width in zip(cells, ROW_WIDTHS, strict=True)))


def _row(point: CurvePoint) -> None:
    cells = (
        f"{100 * point.fraction:.0f}%",
        str(point.n_tasks),
        f"{100 * point.precision:.1f}",
        f"{100 * point.recall:.1f}",
        f"{100 * point.f:.1f}",
        f"{100 * point.gain:+.1f}",
    )
    typer.echo("  ".join(cell.rjust(width) for cell, width in zip(cells, ROW_WIDTHS, strict=True)))


def _verdict(curve: TrainCurve, min_gain: float) -> None:
    gain = f"{100 * curve.last_gain:+.1f}"
    if curve.more_data_helps:
        msg.good(f"The last step gained {gain} F (>= {100 * min_gain:.1f}): more data is likely to help.")
    else:
        msg.warn(
            f"The last step gained {gain} F (< {100 * min_gain:.1f}): the curve has flattened; more of "
            "the same data is unlikely to help much."
        )
