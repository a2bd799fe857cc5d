"""Spans against tokens: token boundaries, edge whitespace, overlaps."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ...records import Span
from ..corpus import Corpus, Record, annotated_records, span_finding, with_docs
from ..findings import Finding, make_finding


def check_token_boundaries(
    corpus: Corpus, nlp: Language, *, tokenizer_name: str, batch_size: int
) -> Iterator[Finding]:
    """Yield L101 for each span that does not start and end on a token boundary.

    The fix names the nearest aligned spans, as ``doc.char_span`` gives them with
    ``alignment_mode="contract"`` (tokens wholly inside) and ``"expand"`` (tokens touched).
    Only texts with spans are tokenized, in batches.
    """
    for record, doc in with_docs(annotated_records(corpus), nlp, batch_size=batch_size):
        for span in record.spans:
            if doc.char_span(span.start, span.end) is not None:
                continue
            if _whitespace_only_off(record.text, span, doc):
                continue  # L102 says how to strip it
            yield span_finding(
                "L101",
                corpus,
                record,
                span,
                tokenizer=tokenizer_name,
                contract=_nearest(doc, span, "contract"),
                expand=_nearest(doc, span, "expand"),
            )


def _whitespace_only_off(text: str, span: Span, doc: Doc) -> bool:
    start, end = _stripped(text, span)
    return start < end and doc.char_span(start, end) is not None


def _nearest(doc: Doc, span: Span, mode: str) -> str:
    aligned = doc.char_span(span.start, span.end, alignment_mode=mode)
    if aligned is None or not aligned.text.strip():
        return "nothing (no token lies wholly inside: delete the span)"
    return f"{aligned.start_char}-{aligned.end_char} {aligned.text!r}"


def check_edge_whitespace(corpus: Corpus) -> Iterator[Finding]:
    """Yield L102 for each span with leading or trailing whitespace, with the stripped offsets."""
    for record in corpus.records:
        for span in record.spans:
            start, end = _stripped(record.text, span)
            if (start, end) == (span.start, span.end):
                continue
            if start < end:
                fix = f"Use the stripped offsets {start}-{end} ({record.text[start:end]!r})."
            else:
                fix = "It holds nothing else: delete it."
            yield span_finding("L102", corpus, record, span, fix=fix)


def _stripped(text: str, span: Span) -> tuple[int, int]:
    piece = span.text_in(text)
    start = span.start + len(piece) - len(piece.lstrip())
    end = span.end - (len(piece) - len(piece.rstrip()))
    return start, max(start, end)


def check_overlaps(corpus: Corpus) -> Iterator[Finding]:
    """Yield L103 for each pair of overlapping accepted spans in a task; L104 for spancat data.

    The readers already reject overlaps (E008) in a task without a ``spans_key``; tasks built
    in Python are not checked by them, so lint checks again. A task with a ``spans_key`` keeps
    a span categorizer's spans, which may overlap: one L104 note counts them.
    """
    kept: list[Record] = []
    for record in corpus.records:
        pairs = _overlapping_pairs(record.spans)
        if record.spans_key is not None:
            if next(pairs, None) is not None:
                kept.append(record)
            continue
        for first, second in pairs:
            yield make_finding(
                "L103",
                corpus.path,
                record.line,
                unit=corpus.unit,
                first=_describe(record, first),
                second=_describe(record, second),
            )
    if kept:
        keys = ", ".join(sorted({str(record.spans_key) for record in kept}))
        example = f"{corpus.unit} {kept[0].line}"
        yield make_finding(
            "L104", corpus.path, None, unit=corpus.unit, n_tasks=len(kept), keys=keys, example=example
        )


def _overlapping_pairs(spans: tuple[Span, ...]) -> Iterator[tuple[Span, Span]]:
    """Each span paired with the earlier span reaching furthest right, where they overlap."""
    reaching: Span | None = None
    for span in sorted(spans):
        if reaching is not None and span.start < reaching.end:
            yield reaching, span
        if reaching is None or span.end > reaching.end:
            reaching = span


def _describe(record: Record, span: Span) -> str:
    return f"{span.start}-{span.end} {span.label} {span.text_in(record.text)!r}"
