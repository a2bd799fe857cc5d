"""CoNLL/IOB token files (BIO or BIOES tags) to and from tasks.

One token a line, ``TOKEN<TAB>TAG`` or ``TOKEN TAG`` (extra middle columns, as in
CoNLL-2003, are ignored: the tag is the last column). A blank line ends a sentence,
and each sentence is one task whose text is its tokens joined by single spaces.
``-DOCSTART-`` lines are skipped. A ``-`` tag marks a token whose annotation is
missing, which makes the task incomplete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import DataError, Location
from ..records import Span, Task
from .files import display_path, iter_lines

Scheme = Literal["bio", "bioes"]
MISSING_TAG = "-"
DOCSTART = "-DOCSTART-"
# BILUO is spaCy's name for BIOES; both spellings are read.
_BEGINS, _CONTINUES, _ENDS = frozenset("BSU"), frozenset("IEL"), frozenset("ESLU")


@dataclass
class _Sentence:
    first_line: int
    tokens: list[str] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)


def read_conll(path: str | Path) -> Iterator[Task]:
    """Yield one task per sentence of a CoNLL/IOB file."""
    where = display_path(path)
    sentence: _Sentence | None = None
    for number, line in iter_lines(path):
        columns = line.split("\t") if "\t" in line else line.split()
        if not line.strip() or columns[0] == DOCSTART:
            if sentence is not None:
                yield _sentence_to_task(sentence, where)
            sentence = None
            continue
        if len(columns) < 2 or not columns[0]:
            raise DataError("E012", Location(where, number), detail=repr(line[:80]))
        if sentence is None:
            sentence = _Sentence(number)
        sentence.tokens.append(columns[0].strip())
        sentence.tags.append((columns[-1].strip(), number))
    if sentence is not None:
        yield _sentence_to_task(sentence, where)


def _sentence_to_task(sentence: _Sentence, where: str) -> Task:
    offsets, position = [], 0
    for token in sentence.tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + 1
    spans: list[Span] = []
    open_entity: tuple[str, int] | None = None  # (label, index of first token)
    complete = True
    for index, (tag, number) in enumerate(sentence.tags):
        prefix, label = _split_tag(tag, Location(where, number))
        continues = prefix in _CONTINUES
        if continues and (open_entity is None or open_entity[0] != label):
            detail = "after 'O'" if open_entity is None else f"inside a {open_entity[0]} entity"
            raise DataError("E010", Location(where, number), tag=tag, label=label, detail=detail)
        if not continues and open_entity is not None:
            spans.append(_span(open_entity, index - 1, offsets))
            open_entity = None
        if prefix == MISSING_TAG:
            complete = False
        elif prefix in _BEGINS:
            open_entity = (label, index)
        if open_entity is not None and prefix in _ENDS:
            spans.append(_span(open_entity, index, offsets))
            open_entity = None
    if open_entity is not None:
        spans.append(_span(open_entity, len(sentence.tokens) - 1, offsets))
    text = " ".join(sentence.tokens)
    return Task(text, tuple(spans), complete=complete, origin=Location(where, sentence.first_line))


def _span(entity: tuple[str, int], last: int, offsets: list[tuple[int, int]]) -> Span:
    label, first = entity
    return Span(offsets[first][0], offsets[last][1], label)


def _split_tag(tag: str, where: Location) -> tuple[str, str]:
    if tag in ("O", MISSING_TAG):
        return tag, ""
    prefix, dash, label = tag.partition("-")
    if not dash or not label or prefix not in {"B", "I", "E", "S", "L", "U"}:
        raise DataError("E011", where, tag=tag)
    return prefix, label


def write_conll(
    tasks: Iterable[Task],
    write: Callable[[str], object],
    *,
    tokenize: Callable[[Task], list[tuple[int, int]]],
    scheme: Scheme = "bio",
) -> int:
    """Write tasks as CoNLL sentences; return how many were written.

    Args:
        tasks: Complete or partial accepted tasks (CoNLL holds no rejections).
        write: Called with each chunk of text.
        tokenize: Maps a task to its token character offsets (whitespace left out).
        scheme: ``"bio"`` or ``"bioes"``.
    """
    n_tasks = 0
    for task in tasks:
        if task.answer != "accept" or task.rejected_spans:
            raise DataError("E016", task.origin, format="CoNLL", detail="rejected or ignored answers")
        tokens = tokenize(task)
        tags = _tags_for(task, tokens, scheme)
        lines = (f"{task.text[s:e]}\t{tag}\n" for (s, e), tag in zip(tokens, tags, strict=True))
        write("".join(lines) + "\n")
        n_tasks += 1
    return n_tasks


def _tags_for(task: Task, tokens: list[tuple[int, int]], scheme: Scheme) -> list[str]:
    default = "O" if task.complete else MISSING_TAG
    tags = [default] * len(tokens)
    starts = {start: i for i, (start, _) in enumerate(tokens)}
    ends = {end: i for i, (_, end) in enumerate(tokens)}
    for index, span in enumerate(task.spans):
        first, last = starts.get(span.start), ends.get(span.end)
        if first is None or last is None:
            raise DataError("E015", task.origin, index=index, span=f"{span.start}-{span.end}", format="CoNLL")
        for i in range(first, last + 1):
            tags[i] = f"I-{span.label}"
        tags[first] = f"B-{span.label}"
        if scheme == "bioes":
            tags[last] = f"E-{span.label}"
            tags[first] = f"S-{span.label}" if first == last else f"B-{span.label}"
    return tags
