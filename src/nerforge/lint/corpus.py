"""The compact facts lint keeps of a data file, collected in one streaming read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from ..io import read_tasks
from ..io.files import display_path
from ..io.tasks import AnswerKind
from ..records import Span, Task
from .findings import Finding, make_finding


@dataclass(frozen=True, slots=True)
class Record:
    """What the checks need of one accepted task: its text, accepted spans and line.

    Attributes:
        text: The task's text.
        spans: Its accepted spans, sorted (rejected spans teach nothing lint checks).
        complete: Whether every entity in it is marked (unmarked tokens are outside).
        line: The line (or DocBin doc) it was read from.
    """

    text: str
    spans: tuple[Span, ...]
    complete: bool
    line: int | None

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


@dataclass
class Corpus:
    """A data file as lint sees it.

    The records are materialised on purpose: the consistency check scans every text for
    strings that are labelled anywhere in the file, which is only known after reading it
    all, and train/dev checks compare whole files. A record is a text and a few spans,
    so 10,000 tasks take a few megabytes.

    Attributes:
        path: The file, as messages name it.
        unit: What a record's ``line`` counts: ``"line"``, ``"doc"`` in DocBin files, or
            ``"task"`` (the position) for tasks built in Python.
        records: The accepted tasks, in file order.
        n_tasks: Tasks read, rejected and ignored ones included.
        label_counts: Accepted spans per label.
        read_error: The reader's error (an L001 finding), if reading stopped early.
    """

    path: str
    unit: str = "line"
    records: list[Record] = field(default_factory=list)
    n_tasks: int = 0
    label_counts: Counter[str] = field(default_factory=Counter)
    read_error: Finding | None = None
    answers: Counter[str] = field(default_factory=Counter)
    n_rejected_spans: int = 0
    categorized: list[CatRecord] = field(default_factory=list)

    @property
    def labels(self) -> frozenset[str]:
        """The labels the accepted spans carry."""
        return frozenset(self.label_counts)

    @property
    def complete_records(self) -> list[Record]:
        """The records of complete tasks (every entity marked)."""
        return [record for record in self.records if record.complete]

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
        if task.answer != "accept":  # reject/ignore answers train no entity boundaries
            return
        spans = task.accepted_spans
        self.records.append(Record(task.text, spans, task.complete, line))
        self.label_counts.update(span.label for span in spans)


def answer_key(task: Task) -> str:
    """How a task was read, for the L002 summary: its answer, and whether it is complete."""
    if task.answer == "ignore":
        return "ignore"
    kind = "complete" if task.complete else "incomplete"
    return f"{task.answer}, {kind}"


def read_corpus(path: str | Path, *, answer_kind: AnswerKind = "auto") -> Corpus:
    """Stream a data file once, in any format the readers take, into a :class:`Corpus`.

    A reader error on a record (it names a line) becomes the corpus's ``read_error``,
    an L001 finding, and reading stops there: the readers can't resume after one.

    Raises:
        DataError: When the whole file is unreadable (not found, unknown format, not a
            DocBin): there is nothing to lint, and the reader's message says why.
    """
    corpus = Corpus(display_path(path))
    return collect(read_tasks(path, answer_kind=answer_kind), corpus)


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
            "L001", corpus.path, err.location.line, unit=err.location.unit, problem=problem
        )
    return corpus


def surface_key(text: str) -> str:
    """A span's text compared across tasks: case-folded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def distinct_texts(records: list[Record]) -> list[Record]:
    """The first record of each text: repeats of a text are the duplicate check's (L601/L602)."""
    seen: set[str] = set()
    distinct = []
    for record in records:
        if record.text not in seen:
            seen.add(record.text)
            distinct.append(record)
    return distinct
