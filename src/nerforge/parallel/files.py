"""A file in, a file (or a folder of parts) out: the run behind ``bootstrap`` and ``predict``.

Records that can't be read go to a reject file instead of stopping the run; the rest
stream through the work (here, in worker processes or on Dask) and out, in input order.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from ..errors import DataError, Location
from ..io import Format, write_tasks
from ..io.files import STDIO
from ..io.streaming import (
    MAX_TEXT_CHARS,
    Rejection,
    RejectLog,
    StreamSummary,
    default_rejects_path,
    read_leniently,
)
from ..records import Task
from .auto import BOOTSTRAP_RULE, AutoRule, auto_plan
from .jobs import Counted, Progress, Work
from .runner import Plan, run_tasks

C = TypeVar("C", bound=Counted)
NProcess = int | Literal["auto"]
PART_NAME = "part-{:05d}"  # parts sort in input order: `cat DIR/part-*` is the merged output
# Turns each (task, result) pair into the task written out, in order.
Convert = Callable[[Iterator[tuple[Task, Any]]], Iterator[Task]]


@dataclass(frozen=True)
class FileRun:
    """Where a run reads and writes, and how it treats bad records.

    Attributes:
        source: Input file ('-' for stdin), any format; ``.gz`` is decompressed.
        output: Output file ('-' for stdout), or a folder with ``partitioned``.
        input_format, output_format: Override what the file names imply.
        max_chars: Longer texts are rejected (spaCy's own limit by default).
        rejects: The reject file; by default ``OUT.rejects.jsonl`` beside the output.
        partitioned: Write ``OUT/part-00000.jsonl``... one per batch instead of one file.
        lang: Language of the tokenizer for CoNLL and DocBin output.
    """

    source: str | Path
    output: str | Path
    input_format: Format | None = None
    output_format: Format | None = None
    max_chars: int = MAX_TEXT_CHARS
    rejects: str | Path | None = None
    partitioned: bool = False
    lang: str = "en"


@dataclass(frozen=True)
class RunSummary:
    """What a file run did.

    Attributes:
        stream: Records read, written and rejected (they add up), and the reject file.
        plan: The processes, batch size and scheduler it ran with.
        n_words: Tokens processed (for words/sec).
        outputs: The files written (one, or the parts of a partitioned run).
    """

    stream: StreamSummary
    plan: Plan
    n_words: int
    outputs: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The stream's counts, how the run was spread, its words and outputs, as a JSON-ready dict."""
        return {
            **self.stream.to_dict(),
            "n_process": self.plan.n_process,
            "batch_size": self.plan.batch_size,
            "scheduler": self.plan.scheduler,
            "n_words": self.n_words,
            "outputs": list(self.outputs),
        }


def run_file(
    run: FileRun,
    work: Work[C],
    convert: Convert,
    *,
    n_process: NProcess = 1,
    batch_size: int | None = None,
    default_batch_size: int = 1000,
    scheduler: str | None = None,
    progress: Progress | None = None,
    auto_rule: AutoRule = BOOTSTRAP_RULE,
) -> RunSummary:
    """Read ``run.source``, run ``work`` over its texts, write what ``convert`` makes of it."""
    if run.partitioned and (str(run.output) == STDIO or Path(run.output).is_file()):
        raise DataError("E060", Location(str(run.output)), path=str(run.output))
    rejects = run.rejects if run.rejects is not None else default_rejects_path(run.output)
    n_words = 0

    def count(n_texts: int, n_batch_words: int) -> None:
        nonlocal n_words
        n_words += n_batch_words
        if progress is not None:
            progress(n_texts, n_batch_words)

    with RejectLog(rejects) as log, frozen_heap():
        tasks = read_run_source(run, log)
        plan, tasks = make_plan(tasks, n_process, batch_size, default_batch_size, scheduler, auto_rule)
        out = convert(run_tasks(tasks, work, plan=plan, progress=count))
        outputs, n_written = _write(out, run, plan.batch_size)
    return RunSummary(log.summary(n_written), plan, n_words, outputs)


@contextlib.contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep what is alive now (spaCy, the pipeline, the patterns) out of Python's full collections.

    A run allocates records in batches; every so often Python's cyclic collector then
    walks every object alive, the pipeline and the libraries included (about 0.13 s each
    with spaCy loaded, a dozen times on 1M words of bootstrap). Frozen objects are not
    walked, and workers forked in the run share their memory pages instead of touching
    them (the ``gc.freeze`` recipe in Python's documentation). They are unfrozen after.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def read_run_source(run: FileRun, on_reject: Callable[[Rejection], None]) -> Iterator[Task]:
    """The source's tasks; unreadable records go to ``on_reject`` (see ``stream_tasks``)."""
    return read_leniently(run.source, on_reject=on_reject, format=run.input_format, max_chars=run.max_chars)


def make_plan(
    tasks: Iterable[Task],
    n_process: NProcess,
    batch_size: int | None,
    default_batch_size: int,
    scheduler: str | None,
    auto_rule: AutoRule = BOOTSTRAP_RULE,
) -> tuple[Plan, Iterator[Task]]:
    """The plan asked for; with ``n_process='auto'``, the one the input and machine call for."""
    if n_process == "auto":
        plan, stream = auto_plan(tasks, rule=auto_rule)
        if batch_size is not None or scheduler is not None:
            plan = Plan(plan.n_process, batch_size or plan.batch_size, scheduler)
        return plan, stream
    return Plan(n_process, batch_size or default_batch_size, scheduler), iter(tasks)


def _write(tasks: Iterator[Task], run: FileRun, part_size: int) -> tuple[tuple[str, ...], int]:
    if not run.partitioned:
        n = write_tasks(tasks, run.output, format=run.output_format, lang=run.lang)
        return (str(run.output),), n
    folder = Path(run.output)
    folder.mkdir(parents=True, exist_ok=True)
    found = run.output_format or "jsonl"
    suffix = {"raw": ".txt", "conll": ".conll", "docbin": ".spacy"}.get(found, ".jsonl")
    outputs, n_written = [], 0
    for index in itertools.count():
        part = list(itertools.islice(tasks, part_size))  # one part in memory at a time
        if not part:
            break
        path = folder / (PART_NAME.format(index) + suffix)
        n_written += write_tasks(part, path, format=found, lang=run.lang)
        outputs.append(str(path))
    return tuple(outputs), n_written
