"""The compact facts lint keeps of a data file, collected in one streaming read.

Memory stays flat in the size of the file: the records go to a :class:`RecordSpool`
(pickled in chunks to a temporary file), and what the checks need to know of every
text ("have I seen it before?") is an 8-byte hash of it, not the text.
"""

from __future__ import annotations

import contextlib
import hashlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

import numpy

from ..errors import DataError
from ..io.files import display_path
from ..io.spool import Spool
from ..io.streaming import MAX_REPORTED, MAX_TEXT_CHARS, Rejection, read_leniently
from ..parallel.runner import batched
from ..pipelines import memory_zone_after
from ..records import Span, Task
from ..task_json import AnswerKind
from .findings import Finding, make_finding

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# what L001 says happened after the record
STOPPED = (
    "This reader can't go on past it, so lint stopped reading this file here: the counts "
    "below cover only the records before it."
)
SKIPPED = "Lint left this record out and read on; training would fail on it."


def text_hash(text: str) -> int:
    """A 64-bit hash of a text (BLAKE2b): the same in every run, unlike ``hash()``."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class HasText(Protocol):
    """A record with a text: what a :class:`RecordSpool` hashes."""

    @property
    def text(self) -> str:
        """The record's text."""
        ...


R = TypeVar("R", bound=HasText)


class RecordSpool(Spool[R]):
    """An append-only, re-iterable sequence of records, kept in a temporary file.

    A :class:`nerforge.io.spool.Spool`: records are pickled in chunks into a temporary
    file (in memory up to a few MB, then on disk); each iteration reads it again from
    the start, so a check's ``for record in corpus.records`` holds one chunk at a time.
    Call :meth:`close` (or use it as a context manager) when done.

    Beside the records it keeps each text's 64-bit :func:`text_hash`, in order: 8 bytes
    a record, so 1M records take 8 MB, where their texts would take hundreds.
    """

    def __init__(self, records: Iterable[R] = ()) -> None:
        self.hashes = array("Q")  # text_hash of each record, in order
        self._repeated: tuple[int, frozenset[int]] = (0, frozenset())
        super().__init__(records)

    def append(self, item: R) -> None:
        """Add a record at the end."""
        self.hashes.append(text_hash(item.text))
        super().append(item)

    def extend(self, records: Iterable[R]) -> None:
        """Add records at the end, in order."""
        for record in records:
            self.append(record)

    def repeated_hashes(self) -> frozenset[int]:
        """The text hashes that occur more than once: the only texts that can be repeats.

        Usually a small set. Two texts may share a hash, so whoever groups records by
        it must compare their texts too.
        """
        if self._repeated[0] != len(self.hashes):
            hashes = numpy.frombuffer(self.hashes, dtype=numpy.uint64)
            values, counts = numpy.unique(hashes, return_counts=True)
            self._repeated = (len(self.hashes), frozenset(int(value) for value in values[counts > 1]))
        return self._repeated[1]

    def __enter__(self) -> Self:
        return self


@dataclass(frozen=True, slots=True)
class Record:
    """What the checks need of one accepted task: its text, accepted spans and line.

    Attributes:
        text: The task's text.
        spans: Its accepted spans, sorted.
        complete: Whether every entity in it is marked (unmarked tokens are outside).
        line: The line (or DocBin doc) it was read from.
        rejected: Its rejected spans, sorted: a reviewer's explicit "not this" (L201 and
            L204 read them; nothing trains on them as entities).
        spans_key: The span group its spans belong to, for a span categorizer (they may overlap).
    """

    text: str
    spans: tuple[Span, ...]
    complete: bool
    line: int | None
    rejected: tuple[Span, ...] = ()
    spans_key: str | None = None

    @property
    def is_negative(self) -> bool:
        """A complete task without entities: it teaches what is *not* an entity."""
        return self.complete and not self.spans


@dataclass(frozen=True, slots=True)
class CatRecord:
    """A task's text categories, for the text classification checks (any answer but ignore)."""

    text: str
    cats: tuple[tuple[str, float], ...]
    line: int | None


NO_LINE = -1  # a line number that is None (tasks without a place), in an int64 array
# Prodigy's fields naming who gave an answer; a db:DATASET read sets the first from the store
ANNOTATOR_FIELDS = ("_annotator_id", "_session_id")


@dataclass
class AnswerLog:
    """Who answered each text, for the answers that name an annotator (``ANNOTATOR_FIELDS``).

    Kept in arrays, 20 bytes an answer (the text's hash, the annotator's number, the line),
    so memory stays small in the size of the file, as the record spool's does.
    """

    hashes: array[int] = field(default_factory=lambda: array("Q"))
    annotators: array[int] = field(default_factory=lambda: array("I"))
    lines: array[int] = field(default_factory=lambda: array("q"))
    names: dict[str, int] = field(default_factory=dict)

    def add(self, task: Task, line: int | None) -> None:
        """Log the task's annotator, if it names one."""
        name = next(
            (task.extra[key] for key in ANNOTATOR_FIELDS if isinstance(task.extra.get(key), str)), None
        )
        if name is None:
            return
        self.hashes.append(text_hash(task.text))
        self.annotators.append(self.names.setdefault(name, len(self.names)))
        self.lines.append(NO_LINE if line is None else line)


@dataclass
class Corpus:
    """A data file as lint sees it.

    The records are kept on purpose: the consistency check scans every text for strings
    that are labelled anywhere in the file, which is only known after reading it all,
    and train/dev checks compare whole files. They are spooled to a temporary file
    (:class:`RecordSpool`), so memory does not grow with the file; close the corpus
    (or use it as a context manager) when the checks are done.

    Attributes:
        path: The file, as messages name it.
        unit: What a record's ``line`` counts: ``"line"``, ``"doc"`` in DocBin files, or
            ``"task"`` (the position) for tasks built in Python.
        records: The accepted tasks, in file order.
        n_tasks: Tasks read, rejected and ignored answers included (not rejected records).
        label_counts: Accepted spans per label.
        read_error: The reader's error (an L001 finding), if reading stopped early.
        answers: Tasks per answer kind (see :func:`answer_key`).
        n_rejected_spans: Rejected spans (binary answers) read.
        categorized: The tasks with text categories, in file order.
        n_rejected: Records that could not be read and were left out (see ``rejections``).
        rejections: The first ``MAX_REPORTED`` of them.
        answered_by: Who answered each text, where the answers say (ignored answers left out).
    """

    path: str
    unit: str = "line"
    records: RecordSpool[Record] = field(default_factory=RecordSpool)
    n_tasks: int = 0
    label_counts: Counter[str] = field(default_factory=Counter)
    read_error: Finding | None = None
    answers: Counter[str] = field(default_factory=Counter)
    n_rejected_spans: int = 0
    categorized: RecordSpool[CatRecord] = field(default_factory=RecordSpool)
    n_rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    answered_by: AnswerLog = field(default_factory=AnswerLog)

    @property
    def labels(self) -> frozenset[str]:
        """The labels the accepted spans carry."""
        return frozenset(self.label_counts)

    @property
    def complete_records(self) -> Iterator[Record]:
        """The records of complete tasks (every entity marked), streamed."""
        return (record for record in self.records if record.complete)

    def add(self, task: Task) -> None:
        """Count a task, and keep it as a record if its answer is ``accept``."""
        self.n_tasks += 1
        if task.origin is not None:
            self.unit, line = task.origin.unit, task.origin.line
        else:  # a task built in Python: its position is where to find it
            self.unit, line = "task", self.n_tasks
        self.answers[answer_key(task)] += 1
        self.n_rejected_spans += len(task.rejected_spans)
        if task.cats and task.answer != "ignore":
            self.categorized.append(CatRecord(task.text, tuple(sorted(task.cats.items())), line))
        if task.answer != "ignore":
            self.answered_by.add(task, line)
        if task.answer != "accept":  # reject/ignore answers train no entity boundaries
            return
        spans = task.accepted_spans
        self.records.append(
            Record(task.text, spans, task.complete, line, task.rejected_spans, task.spans_key)
        )
        self.label_counts.update(span.label for span in spans)

    def reject(self, rejection: Rejection) -> None:
        """Count a record the reader left out, keeping the first few for the report."""
        self.n_rejected += 1
        if len(self.rejections) < MAX_REPORTED:
            self.rejections.append(rejection)
        if rejection.location.line is not None:
            self.unit = rejection.location.unit

    def close(self) -> None:
        """Delete the spooled records."""
        self.records.close()
        self.categorized.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def answer_key(task: Task) -> str:
    """How a task was read, for the L002 summary: its answer, and whether it is complete."""
    if task.answer == "ignore":
        return "ignore"
    kind = "complete" if task.complete else "incomplete"
    return f"{task.answer}, {kind}"


def read_corpus(
    path: str | Path,
    *,
    answer_kind: AnswerKind = "auto",
    on_reject: Callable[[Rejection], None] | None = None,
) -> Corpus:
    """Stream a data file once, in any format the readers take, into a :class:`Corpus`.

    The file is read by ``nerforge.io.streaming.read_leniently``, as bootstrap and predict read.

    JSONL and raw text are read line by line: a record that can't be read (bad JSON, an
    invalid span, a text over ``MAX_TEXT_CHARS``) is counted in ``corpus.n_rejected``,
    handed to ``on_reject``, and reading goes on. The other formats are read by their
    strict readers, which can't resume: their first error becomes ``read_error`` (L001)
    and ends the reading; only over-long texts are left out and read past.

    Raises:
        DataError: When the whole file is unreadable (not found, unknown format, not a
            DocBin): there is nothing to lint, and the reader's message says why.
    """
    corpus = Corpus(display_path(path))

    def reject(rejection: Rejection) -> None:
        corpus.reject(rejection)
        if on_reject is not None:
            on_reject(rejection)

    with contextlib.ExitStack() as on_error:
        on_error.callback(corpus.close)  # whatever stops the reading, the spool goes
        tasks = read_leniently(path, on_reject=reject, answer_kind=answer_kind, max_chars=MAX_TEXT_CHARS)
        collect(tasks, corpus)
        on_error.pop_all()
    return corpus


def collect(tasks: Iterable[Task], corpus: Corpus) -> Corpus:
    """Add streamed tasks to a corpus, turning a reader error on a line into L001."""
    try:
        for task in tasks:
            corpus.add(task)
    except DataError as err:
        if err.location is None or err.location.line is None:
            raise
        problem = str(err).replace(f"{err.location}: ", "", 1)
        corpus.unit = err.location.unit
        corpus.read_error = make_finding(
            "L001", corpus.path, err.location.line, unit=err.location.unit, problem=problem, outcome=STOPPED
        )
    return corpus


def span_finding(code: str, corpus: Corpus, record: Record, span: Span, **fields: Any) -> Finding:
    """A finding about one span: its record's place, then the span's offsets, label and text.

    ``fields`` fill the rest of the code's message (the fix, the tokenizer's name...).
    """
    return make_finding(
        code,
        corpus.path,
        record.line,
        unit=corpus.unit,
        span=f"{span.start}-{span.end}",
        label=span.label,
        text=span.text_in(record.text),
        **fields,
    )


def rejection_findings(corpus: Corpus) -> Iterator[Finding]:
    """L001 for each of the first rejected records, then one L003 counting the rest."""
    for rejection in corpus.rejections:
        where = rejection.location
        problem = rejection.reason.replace(f"{where}: ", "", 1)
        yield make_finding("L001", corpus.path, where.line, unit=where.unit, problem=problem, outcome=SKIPPED)
    n_more = corpus.n_rejected - len(corpus.rejections)
    if n_more > 0:
        yield make_finding("L003", corpus.path, n_more=n_more, n_shown=len(corpus.rejections))


def surface_key(text: str) -> str:
    """A span's text compared across tasks: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def distinct_texts(records: Iterable[Record], repeated: frozenset[int]) -> Iterator[Record]:
    """The first record of each text: repeats of a text are the duplicate check's (L601/L602).

    Args:
        records: The records, in file order.
        repeated: The text hashes that occur more than once
            (:meth:`RecordSpool.repeated_hashes`): only texts with these can be repeats,
            so only those are remembered, by their text.
    """
    seen: set[str] = set()
    for record in records:
        if text_hash(record.text) not in repeated:
            yield record
        elif record.text not in seen:
            seen.add(record.text)
            yield record


def annotated_records(corpus: Corpus) -> Iterator[Record]:
    """The records with accepted spans, streamed: the only ones whose tokens spans can cut."""
    return (record for record in corpus.records if record.spans)


def with_docs(
    records: Iterable[Record],
    nlp: Language,
    *,
    batch_size: int,
    pipe: Callable[..., Iterator[Doc]] | None = None,
) -> Iterator[tuple[Record, Doc]]:
    """Each record with the doc ``pipe`` makes of its text, a batch of records at a time.

    Past the first texts each batch is made inside a spaCy memory zone, so the vocab does
    not grow with the corpus (``nerforge.pipelines.memory_zone_after``). A doc is valid
    only in its own loop iteration: keep strings of it, not spans or tokens.

    Args:
        records: The records, streamed.
        nlp: The pipeline whose vocab the docs use.
        batch_size: Records per batch (and per zone).
        pipe: What makes the docs: ``nlp.tokenizer.pipe`` by default, ``nlp.pipe`` to
            run the pipeline, or the ``pipe`` of another tokenizer sharing ``nlp.vocab``.
    """
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable; its own has pipe()
    make_docs = pipe if pipe is not None else tokenizer.pipe
    n_done = 0
    for batch in batched(records, batch_size):
        with memory_zone_after(nlp, n_done):
            docs = make_docs([record.text for record in batch], batch_size=batch_size)
            yield from zip(batch, docs, strict=True)
        n_done += len(batch)
