"""`nerforge predict`: a model's entities over a corpus of any size."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from ._common import InputFormatOption, format_option, reports_errors, status_output
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
    progress_bar,
    report_rejects,
    report_written,
)


@reports_errors
def predict_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    source: Annotated[
        str,
        typer.Argument(
            help="Texts or tasks in any format, .gz too; '-' for stdin (JSONL; add "
            "--input-format raw for one text a line)."
        ),
    ],
    output: TasksOutputOption,
    n_process: NProcessOption = "1",
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="Texts per batch (default 256, or chosen by auto).")
    ] = None,
    scheduler: SchedulerOption = None,
    partitioned: PartitionedOption = False,
    input_format: InputFormatOption = None,
    output_format: OutputFormatOption = None,
    strict: StrictOption = False,
    max_chars: MaxCharsOption = MAX_TEXT_CHARS,
    rejects: RejectsOption = None,
) -> None:
    """Stream texts through the model and write them as tasks with its entities, in input order.

    Each task is written complete; meta is kept; Prodigy's _task_hash is dropped when the
    spans change. Records that can't be read go to a reject file and the run goes on.
    """
    from ..evaluation.prediction import predict  # spaCy only when a command runs

    started = time.perf_counter()
    with progress_bar() as progress:
        summary = predict(
            model,
            source,
            output,
            n_process=n_process_option(n_process),  # type: ignore[arg-type]
            batch_size=batch_size,
            scheduler=scheduler,
            partitioned=partitioned,
            input_format=format_option(input_format, "--input-format"),
            output_format=format_option(output_format, "--output-format"),
            max_chars=max_chars,
            rejects=rejects,
            progress=progress,
        )
    with status_output(output == "-"):
        report_written(summary, output, time.perf_counter() - started)
        report_rejects(summary.stream, output, strict=strict)
