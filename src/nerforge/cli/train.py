"""`nerforge train`: a new entity recognizer from tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from ..training import Progress, Trainer
from ..training.trainer import MODEL_BEST, REPORT
from ._common import EXIT_INTERRUPTED, format_option, msg, reports_errors

TABLE_WIDTHS = (5, 7, 9, 7, 7, 7, 8)  # epoch, step, loss, P, R, F, seconds


@reports_errors
def train_cli(
    train: Annotated[str, typer.Argument(help="Training tasks in any format nerforge reads.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for model-best, model-last, training.json.")
    ],
    dev: Annotated[
        str | None, typer.Option("--dev", help="Dev tasks for model selection; default: hold out a share.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the new pipeline.")] = "en",
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated labels to train (default: all).")
    ] = None,
    warm_start: Annotated[
        str, typer.Option("--warm-start", help="'auto', a pipeline whose NER tok2vec starts ours, or 'none'.")
    ] = "auto",
    dropout: Annotated[float, typer.Option("--dropout", help="Dropout rate.")] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    holdout: Annotated[
        float, typer.Option("--holdout", help="Share held out as dev when --dev is not given.")
    ] = 0.2,
    input_format: Annotated[
        str | None, typer.Option("--format", help="Override the format of TRAIN and DEV.")
    ] = None,
    export_config: Annotated[
        Path | None,
        typer.Option(
            "--export-config", help="Only write the config (plain `spacy train` runs it), then stop."
        ),
    ] = None,
) -> None:
    """Train a new entity recognizer; Ctrl-C stops and keeps the best model so far."""
    trainer = Trainer(
        lang=lang,
        labels=labels.split(",") if labels else None,
        dropout=dropout,
        seed=seed,
        holdout=holdout,
        warm_start=None if warm_start == "none" else warm_start,
        format=format_option(input_format, "--format"),
    )
    if export_config is not None:
        trainer.export_config(train, dev, path=export_config)
        msg.good(
            f"Wrote {export_config}; run it with: python -m spacy train {export_config} --output {output}"
        )
        return
    try:
        _show_progress(trainer, train, dev, output)
    except KeyboardInterrupt:
        msg.warn(f"Interrupted: the best model so far is in {output / MODEL_BEST}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    _summarize(trainer, output)


def _show_progress(trainer: Trainer, train: str, dev: str | None, output: Path) -> None:
    header_shown = False
    bar: tqdm[None] | None = None
    for progress in trainer.fit_steps(train, dev, output=output):
        if not header_shown:
            _show_setup(trainer, dev)
            msg.row(("epoch", "step", "loss", "P", "R", "F", "seconds"), widths=TABLE_WIDTHS)
            msg.row(["-" * w for w in TABLE_WIDTHS], widths=TABLE_WIDTHS)
            header_shown = True
        if progress.scores is None:
            if bar is None:
                bar = tqdm(
                    total=progress.eval_frequency, leave=False, desc="steps to next evaluation", disable=None
                )
            bar.update(1)
            continue
        if bar is not None:
            bar.close()
            bar = None
        _show_row(progress)
    if bar is not None:
        bar.close()


def _show_setup(trainer: Trainer, dev: str | None) -> None:
    params, data = trainer.report_["parameters"], trainer.report_["data"]
    msg.info(f"Labels: {', '.join(params['labels'])}; {data['train']['n_tasks']} training tasks")
    if dev is None:
        msg.info(
            f"No --dev given: holding out {params['holdout']:.0%} of the training data "
            f"({data['dev']['n_tasks']} tasks, seeded) for model selection"
        )
    msg.info(f"Warm start: {params['warm_start'] or 'none'} ({params['warm_start_why']})")


def _show_row(progress: Progress) -> None:
    assert progress.scores is not None
    overall = progress.scores.overall
    loss = sum(progress.losses.values())
    row = (
        progress.epoch,
        progress.step,
        f"{loss:.2f}",
        f"{overall.precision:.3f}",
        f"{overall.recall:.3f}",
        f"{overall.f:.3f}" + (" *" if progress.is_best else ""),
        f"{progress.seconds:.0f}",
    )
    msg.row(row, widths=TABLE_WIDTHS)


def _summarize(trainer: Trainer, output: Path) -> None:
    report = trainer.report_
    best = report.get("best") or {}
    msg.good(
        f"Best dev F {best.get('f', 0.0):.3f} (P {best.get('p', 0.0):.3f}, R {best.get('r', 0.0):.3f}) "
        f"at step {best.get('step', 0)}; {report['words_per_second']:,.0f} words/s, "
        f"{report['wall_seconds']:.0f} s"
    )
    msg.text(f"Model: {output / MODEL_BEST} (spacy.load works on it)")
    msg.text(f"Report: {output / REPORT}")
