"""`nerforge predict` as a library call: a model's entities over a corpus of any size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..io import Format
from ..io.streaming import MAX_TEXT_CHARS
from ..parallel import Progress, Work
from ..parallel.auto import PREDICT_RULE
from ..parallel.files import FileRun, NProcess, RunSummary, run_file
from ..pipelines import load_pipeline
from ..records import Task
from .predict import DEFAULT_BATCH_SIZE, NerWork, Predicted, PredictJob

# Prodigy fields that hash a task's spans: stale once the spans change, and Prodigy would
# take the task for one already answered (the _input_hash, of the text alone, stays right)
STALE_WHEN_SPANS_CHANGE = frozenset({"_task_hash"})


def predict(
    model: str | Path,
    source: str | Path,
    output: str | Path,
    *,
    n_process: NProcess = 1,
    batch_size: int | None = None,
    scheduler: str | None = None,
    partitioned: bool = False,
    input_format: Format | None = None,
    output_format: Format | None = None,
    max_chars: int = MAX_TEXT_CHARS,
    rejects: str | Path | None = None,
    progress: Progress | None = None,
) -> RunSummary:
    """Stream tasks through the model and write them with its entities, in input order.

    Each task is written complete and accepted, with the model's spans; ``meta`` and
    other fields are kept, except Prodigy's ``_task_hash`` when the spans changed.
    Records that can't be read go to a reject file (with their line and the reason)
    and the run goes on. Workers send spans back, not Docs.

    Args:
        model: A pipeline with an NER or a span categorizer (package name or path).
        source: Texts or tasks in any format ('-' for stdin; ``.gz`` is decompressed).
        output: Output tasks ('-' for stdout; ``.gz`` compresses), or a folder with ``partitioned``.
        n_process: Worker processes on this machine, or ``"auto"`` (see ``nerforge.parallel.auto``).
        batch_size: Texts per batch (per partition on Dask); by default 256, or chosen by ``"auto"``.
        scheduler: ``"local"``, ``"local:N"`` or a Dask scheduler address: run on Dask.
        partitioned: Write ``output/part-00000.jsonl``... one file per batch.
        input_format: Override the format the source's file name implies.
        output_format: Override the format the output's file name implies.
        max_chars: Texts longer than this are rejected.
        rejects: The reject file (default: ``OUT.rejects.jsonl`` beside the output).
        progress: Called after each batch with its number of texts and words.

    Returns:
        What was read, written and rejected, and how the run was spread.
    """
    run = FileRun(source, output, input_format, output_format, max_chars, rejects, partitioned)
    job = PredictJob.for_model(model)
    # on this machine the pipeline is loaded here, before workers fork; on Dask, by each worker
    local = None if scheduler is not None else NerWork(load_pipeline(model))
    return run_file(
        run,
        Work(local=local, job=job),
        predicted_tasks,
        n_process=n_process,
        batch_size=batch_size,
        default_batch_size=DEFAULT_BATCH_SIZE,
        scheduler=scheduler,
        progress=progress,
        auto_rule=PREDICT_RULE,
    )


def predicted_tasks(pairs: Iterable[tuple[Task, Predicted]]) -> Iterator[Task]:
    """Each task with the model's spans (and categories, with a text classifier), complete.

    A span categorizer's spans carry their ``spans_key``. Stale span hashes are dropped.
    """
    for task, found in pairs:
        spans = tuple(sorted(found.spans))
        extra = task.extra if spans == task.spans else _without_stale(task.extra)
        if found.spans_key is not None:  # a span categorizer's spans: kept under their key
            extra = {**extra, "spans_key": found.spans_key}
        cats = task.cats if found.cats is None else found.cats
        yield Task(task.text, spans, "accept", True, task.meta, extra, task.origin, cats)


def _without_stale(extra: Mapping[str, Any]) -> Mapping[str, Any]:
    if not STALE_WHEN_SPANS_CHANGE.intersection(extra):
        return extra
    return {key: value for key, value in extra.items() if key not in STALE_WHEN_SPANS_CHANGE}
