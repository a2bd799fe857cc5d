"""``--n-process auto``: processes and batch size from the input and the machine.

The rule, from measurements on the demo corpus (bench/scale.py; numbers in the comments):

- batch size: about :data:`TARGET_BATCH_WORDS` words a batch, from the mean length of the
  first texts, within [:data:`MIN_BATCH`, :data:`MAX_BATCH`]: short texts get larger
  batches (a batch's fixed cost, pickling and a round trip to a worker, is then shared by
  more texts), long ones smaller (bounded memory);
- processes: every usable core, unless the whole input is under
  :data:`MIN_WORDS_FOR_POOL` words, where starting workers costs more than it saves.

The first texts are read ahead to decide (up to the pool threshold), then streamed on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

from ..records import Task
from .dask_backend import usable_cpus
from .runner import Plan

TARGET_BATCH_WORDS = 20_000  # measured: batches of 20k words ran within 2% of the best size
MIN_BATCH = 16  # a few very long texts still form a batch
MAX_BATCH = 5_000  # tweets: 5,000 texts a batch already share the fixed cost
# measured: forking 2 workers and warming them cost about 0.3 s, the time one process
# needs for ~20k words; under 50k words the pool gains less than it costs
MIN_WORDS_FOR_POOL = 50_000


def auto_plan(tasks: Iterable[Task], *, n_cpus: int | None = None) -> tuple[Plan, Iterator[Task]]:
    """The plan for this input on this machine, and the tasks (read-ahead put back)."""
    iterator = iter(tasks)
    ahead: list[Task] = []
    n_words = 0
    for task in iterator:
        ahead.append(task)
        n_words += _approx_words(task.text)
        if n_words >= MIN_WORDS_FOR_POOL:
            break
    stream = itertools.chain(ahead, iterator)
    if not ahead:
        return Plan(), stream
    mean_words = max(1.0, n_words / len(ahead))
    batch_size = min(MAX_BATCH, max(MIN_BATCH, round(TARGET_BATCH_WORDS / mean_words)))
    cpus = n_cpus if n_cpus is not None else usable_cpus()
    n_process = cpus if n_words >= MIN_WORDS_FOR_POOL and cpus > 1 else 1
    return Plan(n_process=n_process, batch_size=batch_size), stream


def _approx_words(text: str) -> int:
    """Whitespace words: a cheap stand-in for tokens (spaCy makes about 1.2 per word)."""
    return len(text.split())
