"""`nerforge bootstrap`: silver training data from raw texts and patterns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..formats import PHRASE_ATTRS, UNMATCHED
from ._common import InputFormatOption, LangOption, choice, format_option, msg, reports_errors, status_output
from ._scale import (
    MAX_TEXT_CHARS,
    MaxCharsOption,
    NProcessOption,
    OutputFormatOption,
    PartitionedOption,
    RejectsOption,
    SchedulerOption,
    StrictOption,
    TasksOutputOption,
    n_process_option,
    plural,
    progress_bar,
    report_rejects,
    report_written,
)

if TYPE_CHECKING:
    from ..patterns.bootstrap import MatchCounts


@reports_errors
def bootstrap_cli(
    raw: Annotated[
        str,
        typer.Argument(
            help="Raw texts: .txt (one a line), JSONL with 'text', or any task file, .gz too; "
            "'-' for stdin (JSONL; add --input-format raw for one text a line)."
        ),
    ],
    patterns: Annotated[Path, typer.Option("--patterns", "-p", help="Pattern JSONL (spaCy/Prodigy).")],
    output: TasksOutputOption,
    base: Annotated[
        str | None,
        typer.Option("--base", help="Pipeline (package or path) whose entities complete each task."),
    ] = None,
    lang: LangOption = "en",
    unmatched: Annotated[
        str, typer.Option("--unmatched", help="Without --base: unmarked tokens are 'missing' or 'outside'.")
    ] = "missing",
    phrase_attr: Annotated[
        str,
        typer.Option("--phrase-attr", help="Token attribute phrase patterns compare: ORTH, LOWER or NORM."),
    ] = "ORTH",
    n_process: NProcessOption = "1",
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="Texts per batch (default 1000, or chosen by auto).")
    ] = None,
    scheduler: SchedulerOption = None,
    partitioned: PartitionedOption = False,
    input_format: InputFormatOption = None,
    output_format: OutputFormatOption = None,
    strict: StrictOption = False,
    max_chars: MaxCharsOption = MAX_TEXT_CHARS,
    rejects: RejectsOption = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help="Also seed this text category (cats): 1.0 on a text a pattern matched, 0.0 on one "
            "none did, e.g. --category ABOUT_GADGETS.",
        ),
    ] = None,
) -> None:
    """Match patterns over raw texts and write silver tasks (texts without a match too).

    Overlapping matches are resolved longest-first. With --base, the pipeline's entities
    of the other labels are merged in (patterns win) and each task is written complete.
    A task that is already reviewed keeps its spans (they win), its rejected spans stay
    rejected, and it keeps its 'complete'; a match is counted as kept when its span is
    written. Records that can't be read go to a reject file and the run goes on.
    """
    from ..patterns.bootstrap import bootstrap_files  # spaCy only when a command runs

    started = time.perf_counter()
    with progress_bar() as progress:
        counts = bootstrap_files(
            raw,
            patterns,
            output,
            base=base,
            lang=lang,
            unmatched=choice(unmatched, "--unmatched", UNMATCHED),  # type: ignore[arg-type]
            phrase_attr=choice(phrase_attr.upper(), "--phrase-attr", PHRASE_ATTRS),  # type: ignore[arg-type]
            n_process=n_process_option(n_process),  # type: ignore[arg-type]
            batch_size=batch_size,
            scheduler=scheduler,
            partitioned=partitioned,
            input_format=format_option(input_format, "--input-format"),
            output_format=format_option(output_format, "--output-format"),
            max_chars=max_chars,
            rejects=rejects,
            progress=progress,
            category=category,
        )
    assert counts.run is not None
    with status_output(output == "-"):
        if counts.n_texts:
            report_written(counts.run, output, time.perf_counter() - started)
            report_counts(counts)
        else:
            report_no_texts(raw, output)
        report_rejects(counts.run.stream, output, strict=strict)


def report_no_texts(raw: str, output: str) -> None:
    """A warning instead of "Wrote 0 tasks": an empty input is rarely what was meant."""
    msg.warn(
        f"{raw} holds no texts, so {output} holds no tasks. Give a file with one text a line "
        '(.txt), or JSONL with a "text" in each record.'
    )


def report_counts(counts: MatchCounts) -> None:
    """Per-label and per-pattern counts, and the texts nothing matched."""
    if counts.per_label:
        msg.table(sorted(counts.per_label.items()), header=("label", "spans"), divider=True)
    rows = [(pid, n, counts.kept_per_pattern[pid]) for pid, n in counts.per_pattern.most_common()]
    if rows:
        msg.table(rows, header=("pattern", "matches", "kept"), divider=True)
    share = counts.n_unmatched / counts.n_texts if counts.n_texts else 0.0
    msg.info(f"{counts.n_unmatched:,} of {plural(counts.n_texts, 'text')} ({share:.0%}) matched no pattern")
