"""What a parallel run is made of: the work on a batch of texts, and the job Dask builds it from.

A leaf of :mod:`nerforge.parallel`: the runner and the Dask backend both use these, so they
live below both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


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
