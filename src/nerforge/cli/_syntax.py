"""`nerforge train --base PIPELINE SENTENCES.conllu`: the tagger and parser update, and its table."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..errors import TrainingError
from ._common import msg

if TYPE_CHECKING:
    from ..evaluation.syntax import SyntaxScores

# the parameters of `train` a tagger/parser update reads; any other one given is refused (E222)
SYNTAX_PARAMETERS = frozenset(
    {
        "output",
        "train",
        "dev",
        "base",
        "rehearse",
        "no_rehearsal",
        "max_epochs",
        "dropout",
        "seed",
        "overwrite",
    }
)
# click's ParameterSource name of an option typed on the command line (typer vendors its own click,
# so the enum is not imported); one set in the environment is not the user's choice for this run
_GIVEN = "COMMANDLINE"


def check_syntax_options(ctx: typer.Context, overrides: Iterable[str]) -> None:
    """Raise E222 naming every option of `train` given that a tagger/parser update would ignore."""
    options = {param.name: param.opts[0] for param in ctx.command.params}
    ignored = [
        options.get(name, name) for name in ctx.params if name not in SYNTAX_PARAMETERS and _given(ctx, name)
    ]
    ignored += [f"--{name}" for name in overrides]  # config overrides: there is no config
    if ignored:
        them = "it" if len(ignored) == 1 else "them"
        raise TrainingError("E222", options=", ".join(ignored), them=them)


def train_syntax(
    base: str,
    train: str,
    dev: str | None,
    output: Path,
    *,
    rehearse: str | None,
    rehearsal: bool,
    max_epochs: int | None,
    dropout: float | None,
    seed: int,
    overwrite: bool,
) -> None:
    """Update the base's tagger and parser on CoNLL-U sentences and print the scores before and after."""
    from ..training.syntax import update_syntax

    if dev is None:
        raise typer.BadParameter("a tagger/parser update needs --dev SENTENCES.conllu", param_hint="--dev")
    report = update_syntax(
        base,
        train,
        dev=dev,
        output=output / "model-last",
        rehearse=rehearse,
        rehearsal=rehearsal,
        epochs=max_epochs,
        dropout=dropout,
        seed=seed,
        overwrite=overwrite,
    )
    rows = [_row(f"{base} (before)", report.before), _row("updated", report.after)]
    if report.agreement is not None:
        rows.append(_row("updated vs base, other texts", report.agreement))
    msg.table(rows, header=("", "TAG", "POS", "UAS", "LAS", "sentences"), divider=True)
    if not report.rehearsal:
        msg.warn("Rehearsal was off: the update saw only your sentences and may forget the rest.")
    msg.good(f"Updated {', '.join(report.components)}; model: {report.model} (spacy.load works on it)")


def _given(ctx: typer.Context, name: str) -> bool:
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == _GIVEN


def evaluate_syntax_cli(model: str, test: str, base: str | None, json_out: str | None) -> None:
    """``nerforge evaluate MODEL TEST.conllu [--base BASE]``: tags and trees, the base's beside."""
    from ..evaluation.syntax import evaluate_syntax

    result = evaluate_syntax(model, test, base=base)
    rows = [_row(model, result.model)]
    if result.base is not None:
        rows.append(_row(f"{base} (base)", result.base))
    msg.table(rows, header=("", "TAG", "POS", "UAS", "LAS", "sentences"), divider=True)
    if json_out is not None:
        from ..io.files import write_json_report

        write_json_report(result.to_dict(), json_out)
        msg.good(f"Report: {json_out}")


def _row(name: str, scores: SyntaxScores) -> tuple[str, str, str, str, str, int]:
    def cell(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}"

    return (
        name,
        cell(scores.tag_acc),
        cell(scores.pos_acc),
        cell(scores.uas),
        cell(scores.las),
        scores.n_docs,
    )
