"""nerforge's readers and callbacks, registered with spaCy so exported configs run under `spacy train`.

Registered names:
    ``nerforge.Tasks.v1`` (readers): task files in any nerforge format, as Examples.
    ``nerforge.CopyLookups.v1`` (callbacks): before_init, a pipeline's lexeme norms.
    ``nerforge.CopyTokenizer.v1`` (callbacks): before_init, a pipeline's tokenizer settings.
    ``nerforge.WarmStartTok2Vec.v1`` (callbacks): after_init, a pipeline's tok2vec weights.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.training import Example

from ..docs import task_to_example
from ..errors import ParameterError, TrainingError
from ..io import Format, read_tasks
from ..pipelines import load_pipeline
from ..records import Task
from ..task_json import ANSWER_KINDS, AnswerKind
from .binary import merge_partial
from .memory import CorpusKey, corpus_key, held_pipeline, held_tasks, one_corpus

Split = Literal["all", "train", "dev"]


def holdout_rank(text: str, seed: int) -> int:
    """A seeded hash of a text, stable across runs and processes: the held-out share is the lowest."""
    return zlib.crc32(f"{seed}\x00{text}".encode())


def is_trainable(task: Task) -> bool:
    """Ignored tasks, and rejected ones with no spans, teach nothing."""
    return task.answer == "accept" or (task.answer == "reject" and bool(task.spans))


def trainable_tasks(
    path: str, *, format: Format | None, answer_kind: AnswerKind, spans_key: str | None = None
) -> list[Task]:
    """A file's tasks as training reads them: what teaches something, partial answers merged per text.

    Binary answers to one text (teach asks about one span at a time) become one task with
    every answered span, as teach's own updates read them (:func:`~.binary.merge_partial`).
    ``spans_key``: the span group of tasks that name none (``nerforge.io.read_tasks``).
    """
    read = read_tasks(path, format=format, answer_kind=answer_kind, spans_key=spans_key)
    return merge_partial(task for task in read if is_trainable(task))


def iter_split(
    path: str,
    *,
    format: Format | None,
    split: Split,
    holdout: float,
    seed: int,
    answer_kind: AnswerKind = "auto",
    spans_key: str | None = None,
) -> Iterator[Task]:
    """The trainable tasks of a file, or of its train or held-out dev share.

    ``spans_key``: the span group of tasks that name none (``nerforge.io.read_tasks``).
    """
    tasks = trainable_tasks(path, format=format, answer_kind=answer_kind, spans_key=spans_key)
    if split == "all":
        return iter(tasks)
    train, dev = split_tasks(tasks, holdout, seed)
    return iter(dev if split == "dev" else train)


def split_tasks(tasks: Sequence[Task], holdout: float, seed: int) -> tuple[list[Task], list[Task]]:
    """The training share and the held-out dev share of tasks, each in file order.

    Exactly ``round(holdout * n)`` tasks are held out, those whose texts rank lowest by a seeded
    hash (so copies of a text go together, but at the cut).
    """
    n_dev = round(holdout * len(tasks))
    ranked = sorted(range(len(tasks)), key=lambda i: (holdout_rank(tasks[i].text, seed), i))
    held_out = set(ranked[:n_dev])
    train = [task for i, task in enumerate(tasks) if i not in held_out]
    dev = [task for i, task in enumerate(tasks) if i in held_out]
    return train, dev


@dataclass(frozen=True)
class TaskSplit:
    """A run's training and dev tasks, each file parsed once, and the corpus keys they answer to."""

    train: tuple[Task, ...]
    dev: tuple[Task, ...]
    train_path: str
    dev_path: str
    holdout: float  # 0 when a dev file was given

    def keys(self, format: str | None, seed: int) -> dict[CorpusKey, tuple[Task, ...]]:
        """The tasks by the key the config's readers name them with."""
        if not self.holdout:
            return {
                corpus_key(self.train_path, format): self.train,
                corpus_key(self.dev_path, format): self.dev,
            }
        return {
            corpus_key(self.train_path, format, "train", self.holdout, seed): self.train,
            corpus_key(self.dev_path, format, "dev", self.holdout, seed): self.dev,
        }


def read_split(
    train: str,
    dev: str | None,
    *,
    format: Format | None,
    holdout: float,
    seed: int,
    answer_kind: AnswerKind = "auto",
    spans_key: str | None = None,
) -> TaskSplit:
    """Parse the training file, and the dev file if given (else hold out a share), once each.

    With ``spans_key``, tasks that name no spans key are read as a span categorizer's (``read_tasks``).
    """
    train_tasks = trainable_tasks(train, format=format, answer_kind=answer_kind, spans_key=spans_key)
    if dev is not None:
        dev_tasks = trainable_tasks(dev, format=format, answer_kind=answer_kind, spans_key=spans_key)
        return TaskSplit(tuple(train_tasks), tuple(dev_tasks), train, dev, 0.0)
    kept, held_out = split_tasks(train_tasks, holdout, seed)
    return TaskSplit(tuple(kept), tuple(held_out), train, train, holdout)


def create_tasks_reader(
    path: str,
    format: str | None = None,
    split: str = "all",
    holdout: float = 0.0,
    seed: int = 0,
    labels: list[str] | None = None,
    answer_kind: str = "auto",
    spans_key: str | None = None,
) -> Callable[[Language], Iterator[Example]]:
    """Read tasks as training Examples: missing stays missing, rejected spans are negatives.

    Args:
        path: A task file in any format nerforge reads.
        format: Override the format the file name implies.
        split: ``"all"``, or the ``"train"`` / ``"dev"`` share of a seeded hash split.
        holdout: The dev share for ``split``.
        seed: Seed of the split.
        labels: Labels to train; spans of other labels become missing.
        answer_kind: How accepted answers without ``complete`` are read: ``"auto"``, ``"binary"``
            or ``"manual"``, as ``nerforge train --answer-kind`` (written here by ``--export-config``).
        spans_key: Put the spans in ``doc.spans[spans_key]`` for a span categorizer, instead of
            setting entities (they may overlap).

    Raises:
        ParameterError: E403 for an ``answer_kind`` that is none of those.
    """
    if answer_kind not in ANSWER_KINDS:
        raise ParameterError(
            "E403",
            parameter="answer_kind",
            owner="nerforge.TaskCorpus.v1",
            expected=" or ".join(map(repr, ANSWER_KINDS)),
            value=answer_kind,
        )
    keep = frozenset(labels) if labels else None
    key = corpus_key(path, format, split, holdout, seed)
    held = held_tasks(key)

    def convert(nlp: Language) -> Iterator[Example]:
        if held is None:  # outside a nerforge run (plain `spacy train`): read the file
            tasks: Iterable[Task] = iter_split(
                path,
                format=format,  # type: ignore[arg-type]
                split=split,  # type: ignore[arg-type]
                holdout=holdout,
                seed=seed,
                answer_kind=answer_kind,  # type: ignore[arg-type]
                spans_key=spans_key,
            )
        else:
            tasks = held
        for task in tasks:
            yield task_to_example(task, nlp.make_doc, labels=keep, spans_key=spans_key)

    return one_corpus(("nerforge.Tasks.v1", key, keep, spans_key), lambda: ExampleCache(convert))


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
        """The Examples for ``nlp``: converted on the first full pass, then the same ones."""
        if nlp is self._nlp:
            yield from self._examples
            return
        self._nlp, self._examples = None, []
        for example in self.convert(nlp):
            self._examples.append(example)
            yield example
        self._nlp = nlp  # only a full pass fills the cache


def _donor(name: str) -> Language:
    """The source pipeline: the one the run holds, or loaded once for both warm-start callbacks."""
    held = held_pipeline(name)
    return held if held is not None else _load_donor(name)


@functools.lru_cache(maxsize=2)
def _load_donor(name: str) -> Language:
    return load_pipeline(name)


def create_copy_lookups(source: str) -> Callable[[Language], Language]:
    """Before initializing: copy the source pipeline's lexeme norms, which its tok2vec was trained on."""

    def copy_lookups(nlp: Language) -> Language:
        donor = _donor(source)
        for name in donor.vocab.lookups.tables:
            if not nlp.vocab.lookups.has_table(name):
                nlp.vocab.lookups.set_table(name, donor.vocab.lookups.get_table(name))
        return nlp

    return copy_lookups


def create_copy_tokenizer(
    source: str, first: Callable[[Language], Language] | None = None
) -> Callable[[Language], Language]:
    """Before initializing an update: the base's tokenizer settings, so the update splits text as it did.

    spaCy builds the updated pipeline's tokenizer from the config, with the language's defaults:
    special cases, prefixes, suffixes and infixes the base was given (``nerforge tokenizer add``)
    would be lost. Tokenizers that are not spaCy's rule-based one are left as the config made them.

    Args:
        source: The base pipeline.
        first: Another ``before_init`` callback, run first (the base's lexeme norms).
    """

    def copy_tokenizer(nlp: Language) -> Language:
        if first is not None:
            nlp = first(nlp)
        theirs = _donor(source).tokenizer
        if isinstance(theirs, Tokenizer) and isinstance(nlp.tokenizer, Tokenizer):
            nlp.tokenizer.from_bytes(theirs.to_bytes(exclude=["vocab"]), exclude=["vocab"])
        return nlp

    return copy_tokenizer


def create_warm_start(
    source: str, component: str = "ner", layer: int | None = None
) -> Callable[[Language], Language]:
    """After initializing: copy the weights of the source component's own tok2vec into ours.

    With ``layer``, into that layer of ours: the CNN beside a transformer listener.

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
