"""nerforge's readers and callbacks, registered with spaCy so exported configs run under `spacy train`.

Registered names:
    ``nerforge.Tasks.v1`` (readers): task files in any nerforge format, as Examples.
    ``nerforge.CopyLookups.v1`` (callbacks): before_init, a pipeline's lexeme norms.
    ``nerforge.WarmStartTok2Vec.v1`` (callbacks): after_init, a pipeline's tok2vec weights.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator
from typing import Literal

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from ..docs import task_to_example
from ..errors import TrainingError
from ..io import Format, read_tasks
from ..pipelines import load_pipeline
from ..records import Task

Split = Literal["all", "train", "dev"]
HOLDOUT_BUCKETS = 10_000  # resolution of the held-out share: 0.01% steps


def in_holdout(text: str, holdout: float, seed: int) -> bool:
    """Whether a text falls in the held-out share: a seeded hash, stable across runs and processes."""
    return zlib.crc32(f"{seed}\x00{text}".encode()) % HOLDOUT_BUCKETS < holdout * HOLDOUT_BUCKETS


def is_trainable(task: Task) -> bool:
    """Ignored tasks, and rejected ones with no spans, teach nothing."""
    return task.answer == "accept" or (task.answer == "reject" and bool(task.spans))


def iter_split(
    path: str, *, format: Format | None, split: Split, holdout: float, seed: int
) -> Iterator[Task]:
    """The trainable tasks of a file, or of its train or held-out dev share."""
    for task in read_tasks(path, format=format):
        if not is_trainable(task):
            continue
        if split == "all" or in_holdout(task.text, holdout, seed) == (split == "dev"):
            yield task


@registry.readers("nerforge.Tasks.v1")  # type: ignore[untyped-decorator]
def create_tasks_reader(
    path: str,
    format: str | None = None,
    split: str = "all",
    holdout: float = 0.0,
    seed: int = 0,
    labels: list[str] | None = None,
) -> Callable[[Language], Iterator[Example]]:
    """Read tasks as training Examples: missing stays missing, rejected spans are negatives.

    Args:
        path: A task file in any format nerforge reads.
        format: Override the format the file name implies.
        split: ``"all"``, or the ``"train"`` / ``"dev"`` share of a seeded hash split.
        holdout: The dev share for ``split``.
        seed: Seed of the split.
        labels: Labels to train; spans of other labels become missing.
    """
    keep = frozenset(labels) if labels else None

    def convert(nlp: Language) -> Iterator[Example]:
        tasks = iter_split(path, format=format, split=split, holdout=holdout, seed=seed)  # type: ignore[arg-type]
        for task in tasks:
            yield task_to_example(task, nlp.make_doc, labels=keep)

    return ExampleCache(convert)


class ExampleCache:
    """A corpus that converts its tasks once per pipeline and hands out the same Examples after.

    spaCy's loop holds the whole corpus in memory every epoch anyway (it shuffles a list of
    it), and copies each Example before updating, so keeping the converted Examples costs no
    more memory and saves reading, checking and tokenizing every text again each epoch
    (measured on WNUT-17: a third of the time outside the model's own updates).
    """

    def __init__(self, convert: Callable[[Language], Iterator[Example]]) -> None:
        self.convert = convert
        self._nlp: Language | None = None
        self._examples: list[Example] = []

    def __call__(self, nlp: Language) -> Iterator[Example]:
        if nlp is self._nlp:
            yield from self._examples
            return
        self._nlp, self._examples = None, []
        for example in self.convert(nlp):
            self._examples.append(example)
            yield example
        self._nlp = nlp  # only a full pass fills the cache


@functools.lru_cache(maxsize=2)
def _donor(name: str) -> Language:
    """The source pipeline, loaded once for both warm-start callbacks."""
    return load_pipeline(name)


@registry.callbacks("nerforge.CopyLookups.v1")  # type: ignore[untyped-decorator]
def create_copy_lookups(source: str) -> Callable[[Language], Language]:
    """Before initializing: copy the source pipeline's lexeme norms, which its tok2vec was trained on."""

    def copy_lookups(nlp: Language) -> Language:
        donor = _donor(source)
        for name in donor.vocab.lookups.tables:
            if not nlp.vocab.lookups.has_table(name):
                nlp.vocab.lookups.set_table(name, donor.vocab.lookups.get_table(name))
        return nlp

    return copy_lookups


@registry.callbacks("nerforge.WarmStartTok2Vec.v1")  # type: ignore[untyped-decorator]
def create_warm_start(
    source: str, component: str = "ner", layer: int | None = None
) -> Callable[[Language], Language]:
    """After initializing: copy the weights of the source component's own tok2vec into ours
    (with ``layer``, into that layer of ours: the CNN beside a transformer listener).

    The upper layers stay fresh, so the source's labels are not carried over; only what
    its embedding and encoder learned about words in context is.
    """

    def warm_start(nlp: Language) -> Language:
        donor = _donor(source)
        theirs = donor.get_pipe(component).model.get_ref("tok2vec")  # type: ignore[attr-defined]
        ours = nlp.get_pipe(component).model.get_ref("tok2vec")  # type: ignore[attr-defined]
        if layer is not None:  # the parser's tok2vec ref is chain(tok2vec, list2array, projection)
            theirs, ours = theirs.layers[0], ours.layers[0].layers[layer]
        try:
            ours.from_bytes(theirs.to_bytes())
        except ValueError as err:
            raise TrainingError("E206", source=source, detail=str(err)[:200]) from None
        return nlp

    return warm_start
