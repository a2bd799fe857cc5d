"""Data hygiene: duplicates, train/dev leakage, incomplete tasks, text lengths."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...records import Span
from ..corpus import Corpus, Record
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


def check_duplicates(corpus: Corpus) -> Iterator[Finding]:
    """Yield L601 for each text annotated in conflicting ways, one L602 for plain repeats.

    Two copies conflict when both are complete and their spans differ, or when a span of
    one overlaps a different span of the other (an incomplete copy may lack spans).
    """
    groups = _repeated_texts(corpus.records)
    n_repeats, sample = 0, list[str]()
    for copies in groups:
        distinct: dict[tuple[tuple[Span, ...], bool], Record] = {}
        for record in copies:
            distinct.setdefault((record.spans, record.complete), record)  # the first copy of each
        versions = list(distinct.values())
        if any(_conflict(a, b) for i, a in enumerate(versions) for b in versions[i + 1 :]):
            yield make_finding(
                "L601",
                corpus.path,
                copies[0].line,
                unit=corpus.unit,
                lines=describe_lines([r.line for r in copies], len(copies), corpus.unit),
                differences="; ".join(f"{corpus.unit} {r.line} has {_describe(r)}" for r in versions),
            )
        else:
            n_repeats += 1
            if len(sample) < LINES_SHOWN:
                sample.append(" = ".join(f"{corpus.unit} {record.line}" for record in copies[:3]))
    if n_repeats:
        yield make_finding("L602", corpus.path, n=n_repeats, sample="; ".join(sample))


def _repeated_texts(records: list[Record]) -> list[list[Record]]:
    """The copies of each text that occurs more than once, in the order texts first occur."""
    copies: dict[str, list[Record]] = {}
    for record in records:
        copies.setdefault(record.text, []).append(record)
    return [group for group in copies.values() if len(group) > 1]


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


def check_completeness(corpus: Corpus) -> Iterator[Finding]:
    """Yield L606 when every task is incomplete, L605 when some are."""
    n_incomplete = sum(not record.complete for record in corpus.records)
    n_tasks = len(corpus.records)
    if n_tasks and n_incomplete == n_tasks:
        yield make_finding("L606", corpus.path, n_tasks=n_tasks)
    elif n_incomplete:
        yield make_finding("L605", corpus.path, n_incomplete=n_incomplete, n_tasks=n_tasks)


def near_duplicate_key(text: str) -> str:
    """A text reduced to its words: lower case, without URLs, @handles, punctuation and "RT"."""
    text = _HANDLE.sub(" ", _URL.sub(" ", text.lower()))
    return _RETWEET.sub("", " ".join(_NON_WORD.sub(" ", text).split())).strip()


def check_leakage(train: Corpus, dev: Corpus) -> Iterator[Finding]:
    """Yield L603 for dev texts also in train, L604 for dev texts nearly repeating one.

    Texts of fewer than ``MIN_LEAK_WORDS`` words are left out: they recur by chance.
    """
    exact = {record.text: record.line for record in train.records}
    near = {near_duplicate_key(record.text): record.line for record in train.records}
    leaks: dict[str, list[tuple[int | None, int | None]]] = {"L603": [], "L604": []}
    for record in dev.records:
        key = near_duplicate_key(record.text)
        if len(key.split()) < MIN_LEAK_WORDS:
            continue
        if record.text in exact:
            leaks["L603"].append((record.line, exact[record.text]))
        elif key in near:
            leaks["L604"].append((record.line, near[key]))
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
