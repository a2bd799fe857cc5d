"""Running a job over a task stream: batches out, small results back, input order kept."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from ..errors import ParameterError
from ..records import Task
from .pool import map_batches

T = TypeVar("T")


class Counted(Protocol):
    """A result for one text that knows how many words (tokens) the text had."""

    @property
    def n_words(self) -> int:
        """Words (tokens) in the text."""
        ...


C = TypeVar("C", bound=Counted)
# Called in the main process after each batch with its number of texts and words.
Progress = Callable[[int, int], None]


class Job(Protocol[C]):
    """Settings a Dask worker turns into its work, once: picklable and hashable.

    ``build()`` loads what the work needs (a pipeline, patterns) from paths every
    worker can reach, and returns the function from a batch of texts to results.
    """

    def build(self) -> Callable[[list[str]], list[C]]:
        """Load what the work needs and return the function from a batch of texts to results."""
        ...


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
                raise ParameterError("E055", parameter=name, expected="an int >= 1", value=value)


@dataclass(frozen=True)
class Work(Generic[C]):
    """The work of a run: ``local`` runs here (and in forked workers), ``job`` on Dask."""

    local: Callable[[list[str]], list[C]] | None = None
    job: Job[C] | None = None

    def local_work(self) -> Callable[[list[str]], list[C]]:
        """The function that runs here: ``local``, or else the job built in this process."""
        if self.local is not None:
            return self.local
        assert self.job is not None, "Work needs local work or a job"
        return self.job.build()


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
            raise ParameterError("E055", parameter="scheduler", expected=expected, value=plan.scheduler)
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
