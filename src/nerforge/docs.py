"""Tasks to spaCy Docs and back, keeping "missing" apart from "outside"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc
from spacy.training.example import Example

from .errors import DataError
from .records import Span, Task

# spaCy's span group for spans known to be wrong (EntityRecognizer's incorrect_spans_key).
INCORRECT_SPANS_KEY = "incorrect_spans"
# Where a Doc keeps the task fields spaCy has no place for (answer, meta, extra).
USER_DATA_KEY = "nerforge"

MakeDoc = Callable[[str], Doc]


def task_to_doc(
    task: Task, make_doc: MakeDoc, *, labels: frozenset[str] | None = None, spans_key: str | None = None
) -> Doc:
    """Tokenize a task and set its entities, or with ``spans_key``, its span group.

    Tokens no accepted span covers are *outside* in a complete task and *missing* in
    an incomplete one; an ignored span's tokens are missing in either. Rejected spans go
    to ``doc.spans["incorrect_spans"]``.

    Args:
        task: The task.
        make_doc: The tokenizer.
        labels: Labels to keep; the tokens of spans with other labels become missing
            (an entity of another label is there, so they are not "outside").
        spans_key: Put the accepted spans (of ``labels``) in ``doc.spans[spans_key]``, where a
            span categorizer learns them (they may overlap), and set no entities.

    Raises:
        DataError: E015 if a span does not fall on token boundaries.
    """
    doc = make_doc(task.text)
    ents = [_char_span(doc, task, index, span) for index, span in enumerate(task.spans)]
    pairs = list(zip(ents, task.spans, strict=True))
    kept = [(ent, span) for ent, span in pairs if labels is None or span.label in labels]
    accepted = [ent for ent, span in kept if span.is_accepted]
    if spans_key is not None:
        doc.spans[spans_key] = accepted
        return _with_fields(doc, task)
    dropped = [
        ent for ent, span in pairs if labels is not None and span.label not in labels and span.is_accepted
    ]
    dropped += _unknown(ents, task.spans, accepted)
    doc.set_ents(accepted, missing=dropped, default="outside" if task.complete else "missing")
    rejected = [ent for ent, span in kept if span.is_rejected]
    if rejected:
        doc.spans[INCORRECT_SPANS_KEY] = rejected
    return _with_fields(doc, task)


def _with_fields(doc: Doc, task: Task) -> Doc:
    """The doc with the task's categories, and the task fields spaCy has no place for."""
    doc.cats = dict(task.cats)
    fields: dict[str, Any] = {"answer": task.answer, "meta": dict(task.meta), "extra": dict(task.extra)}
    doc.user_data[USER_DATA_KEY] = fields
    return doc


def _unknown(ents: list[Any], spans: tuple[Span, ...], accepted: list[Any]) -> list[Any]:
    """Ignored spans' tokens: unknown (missing), unless an accepted span already covers them."""
    return [
        ent
        for ent, span in zip(ents, spans, strict=True)
        if span.answer == "ignore" and not any(ent.start < a.end and a.start < ent.end for a in accepted)
    ]


def _char_span(doc: Doc, task: Task, index: int, span: Span) -> Any:
    ent = doc.char_span(span.start, span.end, label=span.label)
    if ent is None:
        raise DataError(
            "E015", task.origin, index=index, span=f"{span.start}-{span.end}", format="spaCy tokens"
        )
    return ent


def doc_to_task(doc: Doc, *, spans_key: str | None = None) -> Task:
    """The task a Doc holds: its entities, rejected spans and (when set) task fields.

    The task is complete when every token's entity annotation is set (B, I or O). With
    ``spans_key``, the spans are those of ``doc.spans[spans_key]`` instead (a span
    categorizer's, which may overlap), and the task is complete: spancat learns every span
    it does not hold as a negative.
    """
    fields = doc.user_data.get(USER_DATA_KEY, {})
    extra = dict(fields.get("extra", {}))
    if spans_key is None:
        spans = [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]
        complete = len(doc) > 0 and all(token.ent_iob != 0 for token in doc)
    else:
        spans = [Span(s.start_char, s.end_char, s.label_) for s in doc.spans.get(spans_key, ())]
        complete, extra["spans_key"] = True, spans_key
    if INCORRECT_SPANS_KEY in doc.spans:
        spans += [Span(s.start_char, s.end_char, s.label_, "reject") for s in doc.spans[INCORRECT_SPANS_KEY]]
    return Task(
        doc.text,
        tuple(sorted(spans)),
        answer=fields.get("answer", "accept"),
        complete=complete,
        meta=fields.get("meta", {}),
        extra=extra,
        cats=dict(doc.cats),
    )


def task_to_example(
    task: Task, make_doc: MakeDoc, *, labels: frozenset[str] | None = None, spans_key: str | None = None
) -> Example:
    """A training example: the tokenized text as predicted, the task as reference (see ``task_to_doc``)."""
    reference = task_to_doc(task, make_doc, labels=labels, spans_key=spans_key)
    return Example(make_doc(task.text), reference)
