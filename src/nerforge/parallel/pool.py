"""One machine, many cores: a forked worker pool that sends results back in input order.

spaCy's ``nlp.pipe(n_process=...)`` ships every Doc back to the main process, which on
short texts costs more than the work (spaCy issues #5239, #5119, #11321; measured for
bootstrap: 0.34x one process). Here each worker runs a function from texts to small
results (spans and a word count), and only those come back.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
BatchFunction = Callable[[list[T]], list[R]]  # a batch in, one result per item out
# batches in flight per worker: one being worked on, one queued, so no worker waits
# for the main process, and memory stays bounded whatever the corpus size
IN_FLIGHT_PER_WORKER = 2

# The work a worker process inherited when it was forked (set by _init_worker).
_worker_work: Callable[[list[Any]], list[Any]] | None = None


def _init_worker(work: Callable[[list[Any]], list[Any]]) -> None:
    global _worker_work  # noqa: PLW0603 - per-process state of a multiprocessing pool
    _worker_work = work


def _run_batch(batch: list[Any]) -> list[Any]:
    assert _worker_work is not None
    return _worker_work(batch)


def map_batches(
    work: BatchFunction[T, R], batches: Iterable[list[T]], *, n_process: int = 1
) -> Iterator[list[R]]:
    """Yield ``work(batch)`` for each batch, in input order, on ``n_process`` processes.

    Workers are forked, so ``work`` (a loaded pipeline, a matcher) is shared with them,
    not pickled; only batches and results cross between processes. At most
    :data:`IN_FLIGHT_PER_WORKER` batches per worker are in flight.
    """
    if n_process == 1:
        for batch in batches:
            yield work(batch)
        return
    context = multiprocessing.get_context("fork")
    pending: deque[AsyncResult[list[R]]] = deque()
    with context.Pool(n_process, initializer=_init_worker, initargs=(work,)) as pool:
        for batch in batches:
            pending.append(pool.apply_async(_run_batch, (batch,)))
            if len(pending) >= IN_FLIGHT_PER_WORKER * n_process:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
