"""CoNLL-U files (Universal Dependencies) as sentences with their tokens, tags and trees.

A task record has no token fields, so each sentence is a :class:`ConlluSentence`: its
:class:`~nerforge.records.Task` (the text, no spans, ``complete`` false since CoNLL-U says
nothing about entities, ``meta["sent_id"]``) beside its words and their columns.
:func:`sentence_to_doc` makes the spaCy Doc a tagger or parser trains on, and
:func:`doc_to_sentence` goes back.

How the format's corners are read:

- Text: the words with a space after each unless MISC says ``SpaceAfter=No``. When the
  sentence has a ``# text =`` comment and the words, in order, spell it (with single spaces
  between them), the comment decides the spaces and is the text; otherwise (no comment, or
  one the words don't spell) the text is rebuilt from the words.
- Multi-word tokens (``3-4  don't``): the words (``do``, ``n't``) are the tokens, each with
  its own tag, lemma, head and label, as spaCy's own converter makes them; there is no space
  between them, and the range's ``SpaceAfter`` applies after the last. The text stays exact
  only if the words spell the surface form, so a range whose words don't (French ``du`` =
  ``de`` + ``le``) is refused with E086.
- Empty nodes (``8.1``) belong to the enhanced graph (DEPS), which spaCy has no place for:
  they are skipped. DEPS is not read.
- Heads are 0-based offsets into the sentence, and the root is its own head, as in spaCy.
  ``DEPREL`` is kept as written (``root``); in a Doc the root's label is spaCy's ``ROOT``.
  A file without trees (every HEAD ``_``) gives ``heads`` and ``deps`` of None.
- ``_`` is an empty column, except a FORM ``_`` (a real underscore) and its LEMMA.

Every problem is a :class:`~nerforge.errors.DataError` naming the file and line: a line
without 10 columns (E080), an ID that is not one (E081) or out of order (E082), a HEAD out
of range (E083), no root (E084), a cycle of heads (E085), multi-word tokens that don't
spell their words (E086) or stand apart from them (E087), some heads missing (E088), a
sentence without words (E089), a UPOS that is not one (E090).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import DataError, Location
from ..records import Task
from .files import display_path, iter_lines

N_COLUMNS = 10  # ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC
EMPTY = "_"
ROOT_DEP = "root"  # the root's DEPREL in Universal Dependencies
SPACY_ROOT_DEP = "ROOT"  # and in spaCy's pipelines (spacy convert writes it so)
NO_SPACE = "SpaceAfter=No"
UPOS_TAGS = frozenset(  # the 17 tags of UD v2
    "ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split()  # noqa: SIM905
)
_WORD_ID = re.compile(r"[1-9][0-9]*")
_RANGE_ID = re.compile(r"([1-9][0-9]*)-([1-9][0-9]*)")
_EMPTY_NODE_ID = re.compile(r"[0-9]+\.[1-9][0-9]*")
_COMMENT = re.compile(r"#\s*([^=]+?)\s*=\s?(.*)")


@dataclass(frozen=True, slots=True)
class ConlluSentence:
    """One sentence of a CoNLL-U file: its task and its words with their columns.

    Attributes:
        task: The sentence's text as a task (no spans, incomplete), with ``meta["sent_id"]``
            when the file gives one, and its first line as ``origin``.
        words: The syntactic words, which are the tokens (see the module's notes).
        spaces: Whether a space follows each word in the text.
        tags: XPOS per word ("" where the file has ``_``).
        pos: UPOS per word ("" where ``_``).
        morphs: FEATS per word, e.g. ``"Number=Sing"`` ("" where ``_``).
        lemmas: LEMMA per word ("" where ``_``).
        heads: Each word's head as a 0-based offset, the root its own head; None when
            the file gives no heads.
        deps: DEPREL per word (``"root"`` for the root); None when there are no heads.
    """

    task: Task
    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    tags: tuple[str, ...]
    pos: tuple[str, ...]
    morphs: tuple[str, ...]
    lemmas: tuple[str, ...]
    heads: tuple[int, ...] | None = None
    deps: tuple[str, ...] | None = None

    @property
    def text(self) -> str:
        """The sentence's text."""
        return self.task.text


@dataclass
class _Word:
    line: int
    form: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: str
    deprel: str
    space: bool


@dataclass
class _Range:
    line: int
    first: int
    last: int
    form: str
    space: bool


@dataclass
class _Block:
    """The lines of one sentence as they are read."""

    where: str
    first_line: int
    comments: dict[str, str] = field(default_factory=dict)
    words: list[_Word] = field(default_factory=list)
    ranges: list[_Range] = field(default_factory=list)

    def location(self, line: int | None = None) -> Location:
        return Location(self.where, self.first_line if line is None else line)


def read_conllu(path: str | Path) -> Iterator[ConlluSentence]:
    """Yield each sentence of a CoNLL-U file, in order, checked as it is read.

    Raises:
        DataError: The first problem, with its file and line (codes in the module's notes),
            or E001/E003 if the file can't be read.
    """
    where = display_path(path)
    block: _Block | None = None
    for number, line in iter_lines(path):
        if not line.strip():
            if block is not None:
                yield _finish(block)
            block = None
            continue
        if block is None:
            block = _Block(where, number)
        if line.startswith("#"):
            _add_comment(block, line)
        else:
            _add_line(block, number, line)
    if block is not None:
        yield _finish(block)


def _add_comment(block: _Block, line: str) -> None:
    match = _COMMENT.fullmatch(line)
    if match is not None and not block.words:  # comments after the words are not the sentence's
        block.comments.setdefault(match.group(1), match.group(2))


def _add_line(block: _Block, number: int, line: str) -> None:
    columns = line.split("\t")
    location = block.location(number)
    if len(columns) != N_COLUMNS:
        raise DataError("E080", location, n_columns=len(columns))
    word_id, form, lemma, upos, xpos, feats, head, deprel, _deps, misc = columns
    space = NO_SPACE not in misc.split("|")
    if _EMPTY_NODE_ID.fullmatch(word_id):
        return  # an empty node of the enhanced graph: skipped (see the module's notes)
    expected = len(block.words) + 1
    range_match = _RANGE_ID.fullmatch(word_id)
    if range_match is not None:
        first, last = int(range_match.group(1)), int(range_match.group(2))
        if first != expected or last <= first:
            raise DataError("E087", location, ids=word_id, expected=expected, last=last)
        _check_open_range(block, expected)
        block.ranges.append(_Range(number, first, last, form, space))
        return
    if not _WORD_ID.fullmatch(word_id):
        raise DataError("E081", location, value=word_id)
    if int(word_id) != expected:
        raise DataError("E082", location, found=word_id, expected=expected)
    if upos != EMPTY and upos not in UPOS_TAGS:
        raise DataError("E090", location, value=upos, word=word_id, tags=", ".join(sorted(UPOS_TAGS)))
    if lemma == EMPTY and form != EMPTY:
        lemma = ""
    block.words.append(
        _Word(number, form, lemma, _value(upos), _value(xpos), _value(feats), head, deprel, space)
    )


def _value(column: str) -> str:
    return "" if column == EMPTY else column


def _check_open_range(block: _Block, next_word: int) -> None:
    """E087 when the last range still waits for words and ``next_word`` does not continue it."""
    if block.ranges and block.ranges[-1].last >= next_word:
        last = block.ranges[-1]
        raise DataError(
            "E087",
            block.location(last.line),
            ids=f"{last.first}-{last.last}",
            expected=next_word,
            last=last.last,
        )


def _finish(block: _Block) -> ConlluSentence:
    if not block.words:
        raise DataError("E089", block.location())
    _check_open_range(block, len(block.words) + 1)
    words = [word.form for word in block.words]
    spaces = _spaces(block)
    text, spaces = _text(block, words, spaces)
    heads, deps = _tree(block)
    meta = {"sent_id": block.comments["sent_id"]} if "sent_id" in block.comments else {}
    task = Task(text, complete=False, meta=meta, origin=block.location())
    return ConlluSentence(
        task,
        tuple(words),
        tuple(spaces),
        tuple(word.xpos for word in block.words),
        tuple(word.upos for word in block.words),
        tuple(word.feats for word in block.words),
        tuple(word.lemma for word in block.words),
        heads,
        deps,
    )


def _spaces(block: _Block) -> list[bool]:
    """A space after each word unless SpaceAfter=No; inside a multi-word token none, after it its own."""
    spaces = [word.space for word in block.words]
    for token in block.ranges:
        covered = block.words[token.first - 1 : token.last]
        joined = "".join(word.form for word in covered)
        if joined != token.form:
            ids = f"{token.first}-{token.last}"
            raise DataError("E086", block.location(token.line), form=token.form, ids=ids, joined=joined)
        spaces[token.first - 1 : token.last] = [False] * (len(covered) - 1) + [token.space]
    spaces[-1] = False  # a sentence's text ends with its last word
    return spaces


def _text(block: _Block, words: list[str], spaces: list[bool]) -> tuple[str, list[bool]]:
    """The ``# text`` comment when the words spell it, else the text the words and spaces make."""
    comment = block.comments.get("text")
    if comment is not None:
        aligned = _align(words, comment)
        if aligned is not None:
            return comment, aligned
    return _join(words, spaces), spaces


def _join(words: list[str], spaces: list[bool]) -> str:
    return "".join(word + (" " if space else "") for word, space in zip(words, spaces, strict=True))


def _align(words: list[str], text: str) -> list[bool] | None:
    """The spaces that make ``words`` spell ``text`` exactly, or None when no such spaces exist."""
    spaces: list[bool] = []
    position = 0
    for word in words:
        if not text.startswith(word, position):
            return None
        position += len(word)
        space = text.startswith(" ", position)
        spaces.append(space)
        position += space
    if position != len(text) or (spaces and spaces[-1]):
        return None
    return spaces


def _tree(block: _Block) -> tuple[tuple[int, ...] | None, tuple[str, ...] | None]:
    """0-based heads (the root its own head) and the labels, checked to make trees."""
    missing = [word for word in block.words if word.head == EMPTY]
    if len(missing) == len(block.words):
        return None, None
    if missing:
        raise DataError("E088", block.location(missing[0].line), word=block.words.index(missing[0]) + 1)
    n_words = len(block.words)
    heads: list[int] = []
    for index, word in enumerate(block.words):
        if not word.head.isdigit() or int(word.head) > n_words:
            raise DataError(
                "E083", block.location(word.line), head=word.head, word=index + 1, n_words=n_words
            )
        head = int(word.head)
        heads.append(index if head == 0 else head - 1)
    if not any(word.head == "0" for word in block.words):
        raise DataError("E084", block.location())
    _check_cycles(block, heads)
    return tuple(heads), tuple(_value(word.deprel) for word in block.words)


def _check_cycles(block: _Block, heads: list[int]) -> None:
    """E085 for words whose heads lead back to themselves without reaching a root."""
    state = [0] * len(heads)  # 0 unseen, 1 on the current path, 2 reaches a root
    for start in range(len(heads)):
        path = []
        index = start
        while state[index] == 0:
            state[index] = 1
            path.append(index)
            if heads[index] == index:
                break
            index = heads[index]
        if state[index] == 1 and heads[index] != index:
            cycle = path[path.index(index) :]
            words = ", ".join(str(i + 1) for i in cycle)
            raise DataError("E085", block.location(block.words[cycle[0]].line), words=words)
        for visited in path:
            state[visited] = 2


def sentence_to_doc(sentence: ConlluSentence, vocab: Vocab) -> Doc:
    """A spaCy Doc with the sentence's words, spaces, tags, POS, morphology, lemmas and tree.

    Columns the file leaves empty throughout are left unset; the root's label becomes
    spaCy's ``ROOT``. ``doc.text`` is ``sentence.text``.
    """
    deps = None
    if sentence.deps is not None:
        deps = [SPACY_ROOT_DEP if dep == ROOT_DEP else dep for dep in sentence.deps]
    return Doc(
        vocab,
        words=list(sentence.words),
        spaces=list(sentence.spaces),
        tags=_column(sentence.tags),
        pos=_column(sentence.pos),
        morphs=_column(sentence.morphs),
        lemmas=_column(sentence.lemmas),
        heads=None if sentence.heads is None else list(sentence.heads),
        deps=deps,
    )


def _column(values: tuple[str, ...]) -> list[str] | None:
    return list(values) if any(values) else None


def doc_to_sentence(doc: Doc, *, task: Task | None = None) -> ConlluSentence:
    """The sentence a Doc holds (the reverse of :func:`sentence_to_doc`).

    FEATS come back in spaCy's order of features, which may differ from the file's.

    Args:
        doc: A Doc, e.g. one a tagger and parser annotated.
        task: The task to keep with it; by default a task of the Doc's text (no spans,
            incomplete, as :func:`read_conllu` makes them).
    """
    has_tree = doc.has_annotation("DEP")
    deps = tuple(ROOT_DEP if token.dep_ == SPACY_ROOT_DEP else token.dep_ for token in doc)
    return ConlluSentence(
        task if task is not None else Task(doc.text, complete=False),
        tuple(token.text for token in doc),
        tuple(bool(token.whitespace_) for token in doc),
        tuple(token.tag_ for token in doc),
        tuple(token.pos_ for token in doc),
        tuple(str(token.morph) for token in doc),
        tuple(token.lemma_ for token in doc),
        tuple(token.head.i for token in doc) if has_tree else None,
        deps if has_tree else None,
    )
