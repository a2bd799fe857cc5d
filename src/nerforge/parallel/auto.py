"""``--n-process auto``: processes and batch size from the input and the machine.

The rule, measured on the demo corpus and the demo's trained model (2 cores; figures in
the constants' comments):

- batch size: about ``target_batch_words`` words a batch, from the mean length of the
  first texts, within [:data:`MIN_BATCH`, :data:`MAX_BATCH`]. Short texts get larger
  batches, long ones smaller. For the NER (predict) the best batch held 1-4k words
  whatever the text length; the tokenizer and matcher (bootstrap) barely care, so their
  batches are larger, which shares a batch's round trip to a worker among more texts.
- processes: every usable core, unless the whole input is under ``min_words_for_pool``
  words, where forking and joining workers (about 0.2 s for 2) costs more than it saves.

The first texts are read ahead to decide (up to the pool threshold), then streamed on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..records import Task
from .dask_backend import usable_cpus
from .runner import Plan

MIN_BATCH = 8  # a few very long texts still form a batch
MAX_BATCH = 5_000  # tweets: 5,000 texts a batch already share a batch's fixed cost


@dataclass(frozen=True)
class AutoRule:
    """The two numbers ``auto`` needs for one kind of work.

    Attributes:
        target_batch_words: Words a batch should hold.
        min_words_for_pool: Smallest input (in words) worth starting worker processes for.
    """

    target_batch_words: int
    min_words_for_pool: int


# NER: measured words/sec by batch on one core, short comments (11 words): 16 texts 7.9k,
# 64 14.4k, 256 14.2k, 1000 12.5k; long texts (220 words): 16 texts 17.9k, 64 12.0k,
# 256 9.4k. ~3k words a batch is at or near the best for both. At ~10k words/sec a
# process, a 0.2 s pool start is won back from ~5k words on.
PREDICT_RULE = AutoRule(target_batch_words=3_000, min_words_for_pool=5_000)
# Tokenizer + matcher: 100, 1000 and 5000 texts a batch ran within 12% of each other;
# at ~130k words/sec a process, a 0.2 s pool start is won back from ~50k words on.
BOOTSTRAP_RULE = AutoRule(target_batch_words=20_000, min_words_for_pool=50_000)


def auto_plan(
    tasks: Iterable[Task], *, rule: AutoRule = BOOTSTRAP_RULE, n_cpus: int | None = None
) -> tuple[Plan, Iterator[Task]]:
    """The plan for this input on this machine, and the tasks (read-ahead put back)."""
    iterator = iter(tasks)
    ahead: list[Task] = []
    n_words = 0
    for task in iterator:
        ahead.append(task)
        n_words += _approx_words(task.text)
        if n_words >= rule.min_words_for_pool and len(ahead) >= MIN_BATCH:
            break
    stream = itertools.chain(ahead, iterator)
    if not ahead:
        return Plan(), stream
    mean_words = max(1.0, n_words / len(ahead))
    batch_size = min(MAX_BATCH, max(MIN_BATCH, round(rule.target_batch_words / mean_words)))
    cpus = n_cpus if n_cpus is not None else usable_cpus()
    n_process = cpus if n_words >= rule.min_words_for_pool and cpus > 1 else 1
    return Plan(n_process=n_process, batch_size=batch_size), stream


def _approx_words(text: str) -> int:
    """Whitespace words: a cheap stand-in for tokens (spaCy makes about 1.2 per word)."""
    return len(text.split())
