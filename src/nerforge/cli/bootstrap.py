"""`nerforge bootstrap`: silver training data from raw texts and patterns."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..patterns.bootstrap import DEFAULT_BATCH_SIZE, MatchCounts, bootstrap_files
from ._common import choice, format_option, msg, reports_errors, status_output


@reports_errors
def bootstrap_cli(
    raw: Annotated[
        str,
        typer.Argument(
            help="Raw texts: .txt (one a line), JSONL with 'text', or any task file; '-' for stdin."
        ),
    ],
    patterns: Annotated[Path, typer.Option("--patterns", "-p", help="Pattern JSONL (spaCy/Prodigy).")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output tasks; '-' for stdout.")],
    base: Annotated[
        str | None,
        typer.Option("--base", help="Pipeline (package or path) whose entities complete each task."),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the tokenizer when there is no --base.")
    ] = "en",
    unmatched: Annotated[
        str, typer.Option("--unmatched", help="Without --base: unmarked tokens are 'missing' or 'outside'.")
    ] = "missing",
    phrase_attr: Annotated[
        str,
        typer.Option("--phrase-attr", help="Token attribute phrase patterns compare: ORTH, LOWER or NORM."),
    ] = "ORTH",
    n_process: Annotated[int, typer.Option("--n-process", help="Processes (spaCy multiprocessing).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Texts per batch.")] = DEFAULT_BATCH_SIZE,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Override the input format.")
    ] = None,
    output_format: Annotated[
        str | None, typer.Option("--output-format", help="Override the output format.")
    ] = None,
) -> None:
    """Match patterns over raw texts and write silver tasks (texts without a match too).

    Overlapping matches are resolved longest-first. With --base, the pipeline's entities
    of the other labels are merged in (patterns win) and each task is written complete.
    """
    counts = bootstrap_files(
        raw,
        patterns,
        output,
        base=base,
        lang=lang,
        unmatched=choice(unmatched, "--unmatched", ("missing", "outside")),  # type: ignore[arg-type]
        phrase_attr=choice(phrase_attr.upper(), "--phrase-attr", ("ORTH", "LOWER", "NORM")),  # type: ignore[arg-type]
        n_process=n_process,
        batch_size=batch_size,
        input_format=format_option(input_format, "--input-format"),
        output_format=format_option(output_format, "--output-format"),
    )
    with status_output(output == "-"):
        report_counts(counts, output)


def report_counts(counts: MatchCounts, output: str) -> None:
    """Per-label and per-pattern counts, and the texts nothing matched."""
    msg.good(f"Wrote {counts.n_texts} tasks to {output}")
    if counts.per_label:
        msg.table(sorted(counts.per_label.items()), header=("label", "spans"), divider=True)
    rows = [(pid, n, counts.kept_per_pattern[pid]) for pid, n in counts.per_pattern.most_common()]
    if rows:
        msg.table(rows, header=("pattern", "matches", "kept"), divider=True)
    share = counts.n_unmatched / counts.n_texts if counts.n_texts else 0.0
    msg.info(f"{counts.n_unmatched} of {counts.n_texts} texts ({share:.0%}) matched no pattern")
