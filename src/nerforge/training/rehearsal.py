"""Rehearsal against forgetting: a frozen copy of the base pipeline labels what the new data leaves open.

Two sources of old-label examples, both predicted by the *frozen* base, never by the weights
being trained:

- the training texts themselves: base entities of the old labels fill the tokens the new
  annotations leave unmarked (new-label spans win on overlap);
- a raw corpus (``--rehearse``): base predictions mixed into every epoch, a fresh seeded
  sample each epoch, ``ratio`` rehearsal examples per training example.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.training import Example

from ..docs import task_to_example
from ..errors import TrainingError
from ..io import Format, read_tasks
from ..records import Span, Task
from ..spans import merge_tiers, predict_spans
from . import defaults
from .memory import corpus_key, held_tasks, one_corpus
from .readers import ExampleCache, is_trainable

# Rehearsal examples per training example and epoch. Measured with bench/forgetting.py (WNUT-17,
# GADGET from 115 sentences, old-label F of the base 24.3; "news": agreement of PERSON/ORG/GPE
# with the base on ABC news, --other-text), with the anchor, dropout 0.3, the new rows' rate of
# 5 and a new sample every epoch, means over seeds 0-7. Keeping the last of 10 epochs (an
# update's default): ratio 2 scored GADGET 9.8 (naive 9.3), old labels +0.5, news 89.7; ratio
# 1 9.1, +0.3, 87.1. Picking the epoch on dev, ratio 1 8.4, +0.3, 89.3 and ratio 2 8.1, +1.1,
# 90.4: with the dev pick, more rehearsal cost the new label; without it, it costs nothing.
DEFAULT_REHEARSAL_RATIO = defaults.DEFAULT_REHEARSAL_RATIO  # 2.0


def fill_old_labels(tasks: Iterable[Task], base: Language, new_labels: frozenset[str]) -> Iterator[Task]:
    """Add the base's entities of old labels where the task's own spans leave room."""
    first, second = itertools.tee(tasks)
    for task, predicted in zip(first, predict_spans(base, (t.text for t in second)), strict=True):
        old = [Span(s.start, s.end, s.label, source="base") for s in predicted if s.label not in new_labels]
        kept = merge_tiers(task.accepted_spans, old)
        yield task.with_spans(kept + task.rejected_spans + task.ignored_spans)


def base_tasks(texts: Iterable[Task], base: Language, new_labels: frozenset[str]) -> Iterator[Task]:
    """Complete tasks holding the base's entities of old labels: pseudo-rehearsal examples.

    Base entities that overlap a span the task already has are left out: the new
    annotation wins there, so the old label is not expected to survive.
    """
    first, second = itertools.tee(texts)
    for task, predicted in zip(first, predict_spans(base, (t.text for t in second)), strict=True):
        given = task.accepted_spans
        old = tuple(
            Span(s.start, s.end, s.label, source="base")
            for s in predicted
            if s.label not in new_labels and not any(s.overlaps(g) for g in given)
        )
        yield Task(task.text, tuple(sorted(old)), complete=True, meta=task.meta, origin=task.origin)


def rehearsal_tasks(
    raw: str | Path,
    base: Language,
    new_labels: frozenset[str],
    *,
    exclude: frozenset[str] = frozenset(),
    format: Format | None = None,
) -> list[Task]:
    """Label a raw corpus with the frozen base, once, before training.

    Texts in ``exclude`` (the training texts) are left out: there, the rehearsal example
    would mark the new label's entities as outside, against the training example.

    Raises:
        TrainingError: E207 if no text is left.
    """
    texts = (task for task in read_tasks(raw, format=format) if task.text not in exclude)
    tasks = list(base_tasks(texts, base, new_labels))
    if not tasks:
        raise TrainingError("E207", path=str(raw))
    return tasks


def create_rehearsal_reader(
    path: str,
    rehearsal_path: str,
    ratio: float = DEFAULT_REHEARSAL_RATIO,
    seed: int = 0,
) -> RehearsalCorpus:
    """Training examples, then a fresh seeded sample of rehearsal examples on every call (epoch).

    Args:
        path: Training tasks (old labels already filled in by the base).
        rehearsal_path: Rehearsal tasks, labelled by the frozen base.
        ratio: Rehearsal examples per training example.
        seed: Seed of the per-epoch samples.
    """
    key = ("nerforge.Rehearsal.v1", path, rehearsal_path, ratio, seed)
    return one_corpus(key, lambda: RehearsalCorpus(path, rehearsal_path, ratio, seed))


class RehearsalCorpus:
    """The training examples and, on each call, a new sample of the rehearsal examples.

    Kept for configs exported before ``nerforge.Rehearsal.v2``: nerforge's training loop
    reads it again every epoch (``new_each_epoch``); spaCy's own (``spacy train``) reads a
    corpus once and reshuffles it, so there the first sample serves every epoch.
    """

    new_each_epoch = True

    def __init__(self, path: str, rehearsal_path: str, ratio: float, seed: int) -> None:
        self.rehearsal_path, self.ratio, self.seed = rehearsal_path, ratio, seed
        self.calls = itertools.count()
        held = held_tasks(corpus_key(path))
        self.rehearsal = held_tasks(corpus_key(rehearsal_path))  # else read again every epoch
        train = held if held is not None else None
        self.training = ExampleCache(
            lambda nlp: (
                task_to_example(t, nlp.make_doc)
                for t in (train if train is not None else read_tasks(path))
                if is_trainable(t)
            )
        )

    def __call__(self, nlp: Language) -> Iterator[Example]:
        """The training examples, then a new seeded sample of rehearsal examples."""
        n_train = 0
        for example in self.training(nlp):
            n_train += 1
            yield example
        rng = random.Random(self.seed * 1_000_003 + next(self.calls))
        tasks = self.rehearsal if self.rehearsal is not None else read_tasks(self.rehearsal_path)
        for task in _reservoir(tasks, round(self.ratio * n_train), rng):
            yield task_to_example(task, nlp.make_doc)


REHEARSAL_FLAG = "nerforge.rehearsal"  # set in a rehearsal example's reference Doc.user_data


def create_rehearsal_corpus(path: str, rehearsal_path: str) -> Callable[[Language], Iterator[Example]]:
    """The training examples, then every rehearsal example, flagged as one.

    Read once, as spaCy's loop reads every corpus; ``nerforge.RehearsalBatcher.v1`` then
    draws each epoch's sample of the rehearsal examples, so ``spacy train`` on an exported
    config resamples every epoch exactly as ``nerforge train`` does.

    Args:
        path: Training tasks (old labels already filled in by the base).
        rehearsal_path: Rehearsal tasks, labelled by the frozen base.
    """
    train, rehearsal = held_tasks(corpus_key(path)), held_tasks(corpus_key(rehearsal_path))

    def convert(nlp: Language) -> Iterator[Example]:
        for task in train if train is not None else read_tasks(path):
            if is_trainable(task):
                yield task_to_example(task, nlp.make_doc)
        for task in rehearsal if rehearsal is not None else read_tasks(rehearsal_path):
            example = task_to_example(task, nlp.make_doc)
            example.reference.user_data[REHEARSAL_FLAG] = True
            yield example

    return one_corpus(("nerforge.Rehearsal.v2", path, rehearsal_path), lambda: ExampleCache(convert))


Batcher = Callable[[Iterable[Example]], Iterable[list[Example]]]


def create_rehearsal_batcher(
    batcher: Batcher, ratio: float = DEFAULT_REHEARSAL_RATIO, seed: int = 0
) -> RehearsalBatcher:
    """Batch an epoch's training examples with a fresh seeded sample of the rehearsal examples.

    Args:
        batcher: The batcher that then makes the batches (e.g. ``spacy.batch_by_words.v1``).
        ratio: Rehearsal examples per training example and epoch.
        seed: Seed of the per-epoch samples.
    """
    return RehearsalBatcher(batcher, ratio, seed)


class RehearsalBatcher:
    """Called once an epoch by spaCy's loop (and nerforge's) with the shuffled corpus.

    It keeps the training examples and ``ratio`` times as many rehearsal examples, a new sample
    each call.
    """

    def __init__(self, batcher: Batcher, ratio: float, seed: int) -> None:
        self.batcher, self.ratio, self.seed = batcher, ratio, seed
        self.epochs = itertools.count()

    def __call__(self, examples: Iterable[Example]) -> Iterator[list[Example]]:
        """Batch the training examples with a new seeded sample of the flagged rehearsal ones."""
        examples = list(examples)
        flagged = [i for i, eg in enumerate(examples) if eg.reference.user_data.get(REHEARSAL_FLAG)]
        n_train = len(examples) - len(flagged)
        rng = random.Random(self.seed * 1_000_003 + next(self.epochs))
        drawn = set(rng.sample(flagged, min(len(flagged), round(self.ratio * n_train))))
        left_out = set(flagged) - drawn
        yield from self.batcher([eg for i, eg in enumerate(examples) if i not in left_out])


def _reservoir(tasks: Iterable[Task], k: int, rng: random.Random) -> list[Task]:
    """A uniform sample of k tasks from a stream, holding only k (Algorithm R)."""
    sample: list[Task] = []
    for index, task in enumerate(tasks):
        if index < k:
            sample.append(task)
        else:
            slot = rng.randrange(index + 1)
            if slot < k:
                sample[slot] = task
    return sample
