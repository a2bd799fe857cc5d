"""Spans checked against the tokenizer before they are stored: the review page's rule, for imports.

The review page refuses (422) a span that starts or ends inside a token; ``nerforge db
import`` applies the same rule (:func:`nerforge.spans.misalignment`), so a dataset holds
only spans that the page could have saved and that training can use.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import StorageError
from ..records import Task
from ..spans import Misaligned, misalignment, token_offsets

BATCH_SIZE = 1000  # texts per tokenizer batch: amortises the call, bounds memory
MAX_SHOWN = 10  # misaligned spans listed in E310; the count covers the rest


def aligned_tasks(tasks: Iterable[Task], nlp: Language, *, tokenizer_name: str) -> Iterator[Task]:
    """Yield the tasks; once all are read, raise E310 if any span is off token boundaries.

    Every problem is collected before raising (the first :data:`MAX_SHOWN` listed, each
    with its file, line, span and nearest fixes), so that one run names them all; a
    consumer that stores the tasks in one transaction (``Store.add_answers``) then
    stores none. Only texts with spans are tokenized.

    Raises:
        StorageError: E310 naming each misaligned span.
    """
    tokenizer: Any = nlp.tokenizer
    problems: list[str] = []
    n_misaligned, n_seen = 0, 0
    stream = iter(tasks)
    while batch := list(itertools.islice(stream, BATCH_SIZE)):
        annotated = [(n_seen + i + 1, task) for i, task in enumerate(batch) if task.spans]
        docs = tokenizer.pipe(task.text for _, task in annotated)
        for (position, task), doc in zip(annotated, docs, strict=True):
            for off in _misaligned(task, doc):
                n_misaligned += 1
                if len(problems) < MAX_SHOWN:
                    problems.append(_describe(task, off, position))
        n_seen += len(batch)
        yield from batch
    if n_misaligned:
        if n_misaligned > MAX_SHOWN:
            problems.append(f"  and {n_misaligned - MAX_SHOWN} more")
        raise StorageError("E310", n=n_misaligned, tokenizer=tokenizer_name, problems="\n".join(problems))


def _misaligned(task: Task, doc: Doc) -> Iterator[Misaligned]:
    tokens = token_offsets(doc)
    for span in task.spans:
        off = misalignment(span, tokens)
        if off is not None:
            yield off


def _describe(task: Task, off: Misaligned, position: int) -> str:
    where = str(task.origin) if task.origin is not None else f"task {position}"
    span, text = off.span, task.text
    return f"  {where}: span {span.start}-{span.end} {span.label} {span.text_in(text)!r}: {off.fix(text)}"
