"""`nerforge evaluate`, `explore` and `predict`: see how good a model is, and use it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import srsly
import typer

from ..evaluation.evaluate import Evaluation, evaluate, explore, explore_html, predict, write_evaluation_html
from ..evaluation.forgetting import LabelRetention
from ..evaluation.scoring import PRF
from ..io import read_tasks
from ..io.files import atomic_text_writer
from ._common import format_option, msg, reports_errors, status_output

ERROR_KINDS = {
    "boundary": "right label, wrong extent",
    "label": "right extent, wrong label",
    "label_and_boundary": "wrong label and extent",
    "spurious": "predicted where there is no entity",
    "missed": "entity not found at all",
}


@reports_errors
def evaluate_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    test: Annotated[str, typer.Argument(help="Gold tasks in any format.")],
    labels: Annotated[
        str | None,
        typer.Option("--labels", help="Comma-separated labels to score (default: the model's)."),
    ] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the full report as JSON.")] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="The pipeline MODEL was updated from: adds the forgetting report."),
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write gold vs predicted as displaCy HTML.")
    ] = None,
    input_format: Annotated[str | None, typer.Option("--format", help="Override the format of TEST.")] = None,
) -> None:
    """P/R/F overall and per label, and where the errors are (missing-aware)."""
    result = evaluate(
        model,
        test,
        labels=labels.split(",") if labels else None,
        base=base,
        format=format_option(input_format, "--format"),
    )
    show_evaluation(result)
    if result.forgetting is not None:
        show_forgetting(result.forgetting, base or "")
    if json_out is not None:
        with atomic_text_writer(json_out) as handle:
            handle.write(srsly.json_dumps(result.to_dict(), indent=2) + "\n")
        msg.good(f"Report: {json_out}")
    if html_out is not None:
        write_evaluation_html(result, html_out)
        msg.good(f"Gold vs predicted: {html_out}")


def show_evaluation(result: Evaluation) -> None:
    """Print the score table, the error breakdown with an example each, and what was unscored."""
    scores = result.scores
    rows = [(label, *_prf_cells(prf)) for label, prf in sorted(scores.per_label.items())]
    rows.append(("ALL", *_prf_cells(scores.overall)))
    msg.table(
        rows,
        header=("label", "P", "R", "F", "TP", "FP", "FN"),
        divider=True,
        aligns=("l", "r", "r", "r", "r", "r", "r"),
    )
    for kind, meaning in ERROR_KINDS.items():
        n = scores.error_counts.get(kind, 0)
        if n:
            example = scores.error_examples[kind][0]
            gold = example.gold and example.text[example.gold.start : example.gold.end]
            predicted = example.predicted and example.text[example.predicted.start : example.predicted.end]
            msg.text(f"{kind} ({meaning}): {n}, e.g. gold {gold!r} vs predicted {predicted!r}")
    if result.unscored_labels:
        msg.info(f"Not scored (the model has no such label): {result.unscored_labels}")
    if scores.n_ignored_predictions:
        msg.info(
            f"{scores.n_ignored_predictions} predictions fell on unannotated (missing) text "
            "and were not counted"
        )


def show_forgetting(rows: list[LabelRetention], base: str) -> None:
    """Old labels: base F vs updated F, the change, and a warning for each flagged label."""
    msg.divider(f"Forgetting: old labels of {base}")
    table = [
        (
            r.label,
            f"{r.base_f:.1f}",
            f"{r.updated_f:.1f}",
            f"{r.change:+.1f}",
            r.reference,
            "DROP" if r.flagged else "",
        )
        for r in rows
    ]
    msg.table(table, header=("label", "base F", "updated F", "change", "against", ""), divider=True)
    flagged = [r.label for r in rows if r.flagged]
    if flagged:
        msg.warn(
            f"Forgot part of {', '.join(flagged)}: train with rehearsal (the default with --base), "
            "add --rehearse with raw texts, or label those entities in your data."
        )
    else:
        msg.good("No old label dropped beyond the thresholds.")


def _prf_cells(prf: PRF) -> tuple[str, str, str, int, int, int]:
    return f"{prf.precision:.3f}", f"{prf.recall:.3f}", f"{prf.f:.3f}", prf.tp, prf.fp, prf.fn


@reports_errors
def explore_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    texts: Annotated[str, typer.Argument(help="Texts: .txt one a line, or any task file; '-' for stdin.")],
    html_out: Annotated[
        Path | None, typer.Option("--html", help="Write displaCy HTML instead of the table.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many texts to show.")] = 20,
) -> None:
    """The table "text → entities" for a few texts, or displaCy HTML."""
    chosen = [task.text for _, task in zip(range(limit), read_tasks(texts), strict=False)]
    if html_out is not None:
        explore_html(model, chosen, html_out)
        msg.good(f"Wrote {html_out}")
        return
    rows = [
        (text, ", ".join(f"{t} [{label}]" for t, label in ents) or "-")
        for text, ents in explore(model, chosen)
    ]
    msg.table(rows, header=("text", "entities"), divider=True, widths=(70, 40), spacing=2)


@reports_errors
def predict_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    source: Annotated[str, typer.Argument(help="Texts or tasks in any format; '-' for stdin.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output tasks; '-' for stdout.")],
    n_process: Annotated[int, typer.Option("--n-process", help="Processes (spaCy multiprocessing).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Texts per batch.")] = 256,
) -> None:
    """Stream tasks through the model and write them with its entities; meta is kept."""
    n = predict(model, source, output, n_process=n_process, batch_size=batch_size)
    with status_output(output == "-"):
        msg.good(f"Wrote {n} tasks to {output}")
