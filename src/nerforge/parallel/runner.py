"""Running a job over a task stream: batches out, small results back, input order kept."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from ..errors import ParameterError
from ..records import Task
from .jobs import C, Progress, Work
from .pool import map_batches

T = TypeVar("T")


@dataclass(frozen=True)
class Plan:
    """How a run is spread: processes on this machine, or a Dask scheduler.

    Attributes:
        n_process: Worker processes on this machine (1: the main process does the work).
        batch_size: Texts per batch; on Dask, per partition.
        scheduler: ``None``, ``'local'``, ``'local:N'`` or a scheduler address.
    """

    n_process: int = 1
    batch_size: int = 1000
    scheduler: str | None = None

    def __post_init__(self) -> None:
        for name in ("n_process", "batch_size"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ParameterError(
                    "E403", parameter=name, owner="Plan", expected="an int >= 1", value=value
                )


def run_tasks(
    tasks: Iterable[Task], work: Work[C], *, plan: Plan, progress: Progress | None = None
) -> Iterator[tuple[Task, C]]:
    """Yield each task with the result of its text, in input order.

    Tasks stay in this process; only their texts go to the workers, in batches of
    ``plan.batch_size``. Memory is bounded by the batches in flight.
    """
    waiting: deque[list[Task]] = deque()

    def texts() -> Iterator[list[str]]:
        for batch in batched(tasks, plan.batch_size):
            waiting.append(batch)
            yield [task.text for task in batch]

    if plan.scheduler is not None:
        from .dask_backend import map_on_dask  # noqa: PLC0415 - dask only when a scheduler is asked for

        if work.job is None:
            expected = "used with files (a job the workers can load)"
            raise ParameterError(
                "E403", parameter="scheduler", owner="run_tasks", expected=expected, value=plan.scheduler
            )
        results = map_on_dask(work.job, texts(), scheduler=plan.scheduler)
    else:
        results = map_batches(work.local_work(), texts(), n_process=plan.n_process)
    for found in results:
        batch = waiting.popleft()
        if progress is not None:
            progress(len(batch), sum(result.n_words for result in found))
        yield from zip(batch, found, strict=True)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
