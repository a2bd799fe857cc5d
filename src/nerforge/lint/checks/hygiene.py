"""Data hygiene: duplicates, train/dev leakage, incomplete tasks, text lengths."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy

from ...records import Span
from ..corpus import NO_LINE, Corpus, Record, text_hash
from ..findings import LINES_SHOWN, Finding, describe_lines, make_finding

MAX_CHARS = 5000  # longer texts train slowly and need much memory; split them
MIN_LEAK_WORDS = 4  # shorter texts ("thank you !") recur by chance and leak nothing worth a finding
_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_NON_WORD = re.compile(r"[\W_]+")
_RETWEET = re.compile(r"^rt\b")  # "RT @user: ..." repeats a tweet


def check_text_lengths(corpus: Corpus) -> Iterator[Finding]:
    """Yield L607 for each text over ``MAX_CHARS`` characters, L608 for empty ones."""
    for record in corpus.records:
        if not record.text.strip():
            yield make_finding("L608", corpus.path, record.line, unit=corpus.unit)
        elif len(record.text) > MAX_CHARS:
            yield make_finding(
                "L607", corpus.path, record.line, unit=corpus.unit, n_chars=len(record.text), limit=MAX_CHARS
            )


@dataclass
class _Copies:
    """The copies of one text: how many, the first few lines, and each distinct annotation."""

    n: int = 0
    lines: list[int | None] = field(default_factory=list)
    versions: dict[tuple[tuple[Span, ...], bool], Record] = field(default_factory=dict)

    def add(self, record: Record) -> None:
        self.n += 1
        if len(self.lines) < LINES_SHOWN:
            self.lines.append(record.line)
        self.versions.setdefault((record.spans, record.complete), record)  # the first copy of each


def check_duplicates(corpus: Corpus) -> Iterator[Finding]:
    """Yield L601 for each text annotated in conflicting ways, one L602 for plain repeats.

    Two copies conflict when both are complete and their spans differ, or when a span of
    one overlaps a different span of the other (an incomplete copy may lack spans).
    """
    n_repeats, sample = 0, list[str]()
    for copies in _repeated_texts(corpus.records, corpus.records.repeated_hashes()):
        versions = list(copies.versions.values())
        if any(_conflict(a, b) for i, a in enumerate(versions) for b in versions[i + 1 :]):
            yield make_finding(
                "L601",
                corpus.path,
                copies.lines[0],
                unit=corpus.unit,
                lines=describe_lines(copies.lines, copies.n, corpus.unit),
                differences="; ".join(f"{corpus.unit} {r.line} has {_describe(r)}" for r in versions),
            )
        else:
            n_repeats += 1
            if len(sample) < LINES_SHOWN:
                sample.append(" = ".join(f"{corpus.unit} {line}" for line in copies.lines[:3]))
    if n_repeats:
        yield make_finding("L602", corpus.path, n=n_repeats, sample="; ".join(sample))


def _repeated_texts(records: Iterable[Record], repeated: frozenset[int]) -> list[_Copies]:
    """The copies of each text that occurs more than once, in the order texts first occur.

    Only records whose text hash is in ``repeated`` can be copies, so only they are
    grouped, by their text (two texts sharing a hash stay apart): memory grows with the
    repeated texts, not with the file.
    """
    copies: dict[str, _Copies] = {}
    for record in records:
        if text_hash(record.text) in repeated:
            copies.setdefault(record.text, _Copies()).add(record)
    return [group for group in copies.values() if group.n > 1]


def _conflict(a: Record, b: Record) -> bool:
    if a.complete and b.complete:
        return set(a.spans) != set(b.spans)
    return any(s.overlaps(t) and s != t for s in a.spans for t in b.spans)


def _describe(record: Record) -> str:
    if not record.spans:
        return "no entities" if record.complete else "no spans (incomplete)"
    return ", ".join(_span_text(record, span) for span in record.spans)


def _span_text(record: Record, span: Span) -> str:
    return f"{span.text_in(record.text)!r} {span.label}"


def check_unadjudicated(corpus: Corpus) -> Iterator[Finding]:
    """Yield one L609 when some texts hold answers from two annotators or more.

    Annotators are known from the answers (Prodigy's ``_annotator_id`` or ``_session_id``;
    a ``db:DATASET`` read names the store's annotator). Training takes every complete answer as
    an example of its own, so such texts are taught once per annotator until adjudicated; partial
    answers are merged per text, the last answer to a span standing.
    """
    log = corpus.answered_by
    if len(log.names) < 2:
        return
    hashes = numpy.frombuffer(log.hashes, dtype=numpy.uint64)
    who = numpy.frombuffer(log.annotators, dtype=numpy.uint32)
    pairs = numpy.unique(numpy.stack([hashes, who.astype(numpy.uint64)], axis=1), axis=0)
    texts, n_annotators = numpy.unique(pairs[:, 0], return_counts=True)
    shared = texts[n_annotators > 1]
    if not len(shared):
        return
    names = {number: name for name, number in log.names.items()}
    first_texts = {int(h) for h in shared[:LINES_SHOWN]}
    sample = _shared_sample(log.hashes, log.annotators, log.lines, first_texts, names, corpus.unit)
    in_shared = numpy.isin(hashes, shared)
    annotators = sorted({names[int(number)] for number in numpy.unique(who[in_shared])})
    dataset = corpus.path[3:] if corpus.path.startswith("db:") else "DATASET"
    yield make_finding(
        "L609",
        corpus.path,
        n_texts=len(shared),
        annotators=", ".join(annotators),
        sample="; ".join(sample),
        dataset=dataset,
    )


def _shared_sample(
    hashes: Iterable[int],
    annotators: Iterable[int],
    lines: Iterable[int],
    wanted: set[int],
    names: dict[int, str],
    unit: str,
) -> list[str]:
    """``"line 3 (ana) = line 7 (bob)"`` for each wanted text hash, in file order."""
    found: dict[int, list[str]] = {}
    for text, number, line in zip(hashes, annotators, lines, strict=True):
        if text in wanted:
            where = "" if line == NO_LINE else f"{unit} {line} "
            found.setdefault(text, []).append(f"{where}({names[number]})")
    return [" = ".join(answers[:3]) for answers in found.values()]


def check_completeness(corpus: Corpus) -> Iterator[Finding]:
    """Yield L606 when every task is incomplete, L605 when some are."""
    n_tasks = len(corpus.records)
    n_incomplete = n_tasks - sum(record.complete for record in corpus.records)
    if n_tasks and n_incomplete == n_tasks:
        yield make_finding("L606", corpus.path, n_tasks=n_tasks)
    elif n_incomplete:
        yield make_finding("L605", corpus.path, n_incomplete=n_incomplete, n_tasks=n_tasks)


def near_duplicate_key(text: str) -> str:
    """A text reduced to its words: lower case, without URLs, @handles, punctuation and "RT"."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    return _RETWEET.sub("", " ".join(_NON_WORD.sub(" ", text).split())).strip()


class _HashIndex:
    """Lines of a file's texts, looked up by a 64-bit hash: the last line a hash is on.

    Costs 16 bytes a record (the hash and the line, in sorted numpy arrays), where a
    dict of the texts would cost the texts; that is flat in practice: 1M training texts
    take 16 MB. A dev text matching a training text only by a hash collision has a
    chance of about ``n_train * n_dev / 2**64`` (1 in 10 million for 1M of each).
    """

    def __init__(self, hashes: Iterable[int], lines: Iterable[int]) -> None:
        """Index ``hashes``, each with the line of the same position (``NO_LINE`` for none)."""
        keys = numpy.fromiter(hashes, dtype=numpy.uint64)
        where = numpy.fromiter(lines, dtype=numpy.int64)
        order = numpy.argsort(keys, kind="stable")  # equal hashes stay in file order
        self._keys, self._lines = keys[order], where[order]

    def _last(self, key: int) -> int:
        """The index of the last entry with this hash, or -1."""
        index = int(numpy.searchsorted(self._keys, numpy.uint64(key), side="right")) - 1
        return index if index >= 0 and int(self._keys[index]) == key else -1

    def __contains__(self, key: int) -> bool:
        return self._last(key) >= 0

    def line_of(self, key: int) -> int | None:
        """The last line whose text has this hash (``None`` for tasks without lines); it must be in."""
        line = int(self._lines[self._last(key)])
        return None if line == NO_LINE else line


def check_leakage(train: Corpus, dev: Corpus) -> Iterator[Finding]:
    """Yield L603 for dev texts also in train, L604 for dev texts nearly repeating one.

    Texts of fewer than ``MIN_LEAK_WORDS`` words are left out: they recur by chance.
    Training texts are remembered by hashes of the text and of its
    :func:`near_duplicate_key` (see :class:`_HashIndex` for the memory it takes).
    """
    lines, near_keys = array("q"), array("Q")
    for record in train.records:  # one read of the spool for both indexes
        lines.append(NO_LINE if record.line is None else record.line)
        near_keys.append(text_hash(near_duplicate_key(record.text)))
    exact, near = _HashIndex(train.records.hashes, lines), _HashIndex(near_keys, lines)
    leaks: dict[str, list[tuple[int | None, int | None]]] = {"L603": [], "L604": []}
    for record in dev.records:
        key = near_duplicate_key(record.text)
        if len(key.split()) < MIN_LEAK_WORDS:
            continue
        if (text := text_hash(record.text)) in exact:
            leaks["L603"].append((record.line, exact.line_of(text)))
        elif (near_key := text_hash(key)) in near:
            leaks["L604"].append((record.line, near.line_of(near_key)))
    for code, pairs in leaks.items():
        if pairs:
            shown = [f"dev {dev.unit} {d} = train {train.unit} {t}" for d, t in pairs[:LINES_SHOWN]]
            yield make_finding(
                code, dev.path, pairs[0][0], unit=dev.unit, n=len(pairs), sample="; ".join(shown)
            )


def summarize_answers(corpus: Corpus) -> Iterator[Finding]:
    """Yield one L002 note saying how many answers of each kind were read, and how.

    Said only when the file holds more than complete accepted tasks: binary answers,
    rejections or ignores are where a wrong reading (``--answer-kind``) changes training.
    """
    plain = {"accept, complete", "accept, incomplete"}
    if set(corpus.answers) <= plain and corpus.n_rejected_spans == 0:
        return
    meanings = {
        "accept, complete": "every entity marked",
        "accept, incomplete": "only the marked spans known, the rest missing",
        "reject, incomplete": "the suggested spans are wrong (negatives), the rest missing",
        "reject, complete": "the suggested spans are wrong, the rest outside",
        "ignore": "skipped: not trained, not scored",
    }
    parts = [
        f"{n:,} {key} ({meanings.get(key, key)})"
        for key, n in sorted(corpus.answers.items(), key=lambda item: -item[1])
    ]
    yield make_finding("L002", corpus.path, n_tasks=f"{corpus.n_tasks:,}", parts="; ".join(parts))
