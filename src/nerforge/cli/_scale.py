"""What `bootstrap` and `predict` share for big corpora: processes, Dask, rejects, progress."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import DataError, Location
from ._common import msg

if TYPE_CHECKING:
    from ..io.streaming import StreamSummary
    from ..parallel.files import RunSummary

MAX_TEXT_CHARS = 1_000_000  # nerforge.io.streaming.MAX_TEXT_CHARS (spaCy's nlp.max_length), unimported
SHOWN_REJECTS = 5  # rejects printed with their line and reason; the reject file has them all

NProcessOption = Annotated[
    str,
    typer.Option(
        "--n-process",
        help="Worker processes, or 'auto' (every usable core when the input is big enough to "
        "pay for workers, a batch size from the text lengths). Workers send spans back, not Docs.",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Run on Dask: 'local' or 'local:N' (a LocalCluster of N workers) or a scheduler "
        "address, tcp://HOST:PORT. Needs pip install 'nerforge[dask]'.",
    ),
]
PartitionedOption = Annotated[
    bool,
    typer.Option("--partitioned", help="Write -o as a folder of part files (part-00000.jsonl...)."),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Exit 1 if any record was rejected (the run still completes).")
]
MaxCharsOption = Annotated[int, typer.Option("--max-chars", help="Reject texts longer than this.")]
OutputFormatOption = Annotated[
    str | None, typer.Option("--output-format", help="Override the output format.")
]
# -o of the commands that write tasks from a corpus of any size
TasksOutputOption = Annotated[
    str, typer.Option("--output", "-o", help="Output tasks (.gz compresses); '-' for stdout.")
]
RejectsOption = Annotated[
    str | None,
    typer.Option("--rejects", help="Where rejected records go (default: OUT.rejects.jsonl beside -o)."),
]


def n_process_option(value: str) -> int | str:
    """``--n-process``: 'auto' or an int >= 1."""
    if value == "auto":
        return value
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise typer.BadParameter(
        f"must be 'auto' or a whole number >= 1; got {value!r}", param_hint="--n-process"
    )


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 task``, ``2 tasks`` (``nouns`` for irregular plurals)."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


@contextlib.contextmanager
def progress_bar(enabled: bool | None = None) -> Iterator[Callable[[int, int], None] | None]:
    """A words/sec progress bar on stderr when it is a terminal; nothing otherwise."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from tqdm import tqdm  # only on a terminal

    with tqdm(unit=" words", unit_scale=True, file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        n_texts = 0

        def update(n_batch_texts: int, n_words: int) -> None:
            nonlocal n_texts
            n_texts += n_batch_texts
            bar.set_postfix_str(f"{n_texts:,} texts", refresh=False)
            bar.update(n_words)

        yield update


def report_written(summary: RunSummary, output: str, seconds: float) -> None:
    """What was written, and how fast."""
    where = output if len(summary.outputs) <= 1 else f"{len(summary.outputs)} parts in {output}"
    msg.good(f"Wrote {plural(summary.stream.n_written, 'task')} to {where}")
    rate = summary.n_words / seconds if seconds > 0 else 0.0
    spread = _describe_plan(summary)
    msg.info(f"{plural(summary.n_words, 'word')} in {seconds:.1f} s ({rate:,.0f} words/sec), {spread}")


def report_rejects(stream: StreamSummary, output: str, *, strict: bool) -> None:
    """The rejected records, a few shown; E054 (exit 1) if there were any and ``strict``."""
    if not stream.n_rejected:
        return
    target = f", listed in {stream.rejects_path}" if stream.rejects_path else ""
    msg.warn(f"Rejected {plural(stream.n_rejected, 'record')} of {stream.n_input:,}{target}:")
    for rejection in stream.rejections[:SHOWN_REJECTS]:
        typer.echo(f"  {rejection.reason}")  # unwrapped: paths and lines stay whole
    if stream.n_rejected > SHOWN_REJECTS:
        typer.echo(f"  ... and {stream.n_rejected - SHOWN_REJECTS:,} more")
    if strict:
        placed = f" (listed in {stream.rejects_path})" if stream.rejects_path else ""
        raise DataError(
            "E054", Location(output), n_rejected=stream.n_rejected, n_input=stream.n_input, where=placed
        )


def _describe_plan(summary: Any) -> str:
    plan = summary.plan
    if plan.scheduler is not None:
        return f"on Dask ({plan.scheduler}), partitions of {plan.batch_size:,} texts"
    return f"{plural(plan.n_process, 'process', 'processes')}, batches of {plan.batch_size:,} texts"
