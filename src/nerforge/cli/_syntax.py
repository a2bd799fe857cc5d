"""`nerforge train --base PIPELINE SENTENCES.conllu`: the tagger and parser update, and its table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ._common import msg

if TYPE_CHECKING:
    from ..evaluation.syntax import SyntaxScores


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
) -> None:
    """Update the base's tagger and parser on CoNLL-U sentences and print the scores before and after."""
    from ..training.syntax import SYNTAX_DROPOUT, SYNTAX_EPOCHS, update_syntax

    if dev is None:
        raise typer.BadParameter("a tagger/parser update needs --dev SENTENCES.conllu", param_hint="--dev")
    report = update_syntax(
        base,
        train,
        dev=dev,
        output=output / "model-last",
        rehearse=rehearse,
        rehearsal=rehearsal,
        epochs=max_epochs or SYNTAX_EPOCHS,
        dropout=SYNTAX_DROPOUT if dropout is None else dropout,
        seed=seed,
    )
    rows = [_row(f"{base} (before)", report.before), _row("updated", report.after)]
    if report.agreement is not None:
        rows.append(_row("updated vs base, other texts", report.agreement))
    msg.table(rows, header=("", "TAG", "POS", "UAS", "LAS", "sentences"), divider=True)
    if not report.rehearsal:
        msg.warn("Rehearsal was off: the update saw only your sentences and may forget the rest.")
    msg.good(f"Updated {', '.join(report.components)}; model: {report.model} (spacy.load works on it)")


def evaluate_syntax_cli(model: str, test: str, base: str | None, json_out: str | None) -> None:
    """``nerforge evaluate MODEL TEST.conllu [--base BASE]``: tags and trees, the base's beside."""
    from ..evaluation.syntax import evaluate_syntax

    result = evaluate_syntax(model, test, base=base)
    rows = [_row(model, result.model)]
    if result.base is not None:
        rows.append(_row(f"{base} (base)", result.base))
    msg.table(rows, header=("", "TAG", "POS", "UAS", "LAS", "sentences"), divider=True)
    if json_out is not None:
        import srsly

        from ..io.files import atomic_text_writer

        with atomic_text_writer(json_out) as handle:
            handle.write(srsly.json_dumps(result.to_dict(), indent=2) + "\n")
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
