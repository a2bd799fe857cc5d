"""Task JSONL records (README, "The task record") and seed tuples, to and from :class:`Task`.

Next to the records: the file readers (:mod:`nerforge.io`) and the store both convert with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any, TypeGuard, cast

from .errors import DataError, Location
from .formats import ANSWER_KINDS as ANSWER_KINDS  # noqa: PLC0414 - declared in formats, re-exported
from .formats import AnswerKind as AnswerKind  # noqa: PLC0414 - declared in formats, re-exported
from .records import SPAN_ANSWERS, TASK_ANSWERS, Span, Task

# Fields Prodigy stores on spans that are derived from offsets and tokens; a span's
# "text" is checked against the offsets, the token indices are recomputed as needed.
DERIVED_SPAN_FIELDS = frozenset({"text", "token_start", "token_end"})
TASK_FIELDS = frozenset({"text", "spans", "answer", "complete", "meta", "cats"})
MANUAL_VIEWS = frozenset({"ner_manual", "spans_manual", "blocks"})  # Prodigy's manual interfaces
BINARY_VIEWS = frozenset({"ner", "spans", "classification"})  # Prodigy's accept/reject interfaces


def task_from_dict(
    record: Any, where: Location, *, answer_kind: AnswerKind = "auto", spans_key: str | None = None
) -> Task:
    """Validate a task JSON object and convert it; raise a coded error on the first problem.

    ``complete``, when the record doesn't say, is false for a raw text (no ``spans``), for
    a rejected or ignored task, and for a binary answer; true for an accepted manual one.
    With ``answer_kind="auto"`` an answer is binary when Prodigy's ``_view_id`` names a
    binary interface (``ner``), or when it has no ``_view_id`` and a span carries a
    ``score`` (older ``ner.teach`` exports); manual otherwise. In a rejected task every
    span is a rejected span, as in Prodigy's binary answers. A span repeated exactly is
    read once.
    """
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise DataError("E004", where, detail=_describe(record))
    if len(record) == 1:  # a raw text, the bulk of any corpus: nothing else to check
        return Task(record["text"], complete=False, origin=where)
    answer = record.get("answer", "accept")
    if answer not in TASK_ANSWERS:
        expected = f"one of {', '.join(TASK_ANSWERS)}"
        raise DataError("E007", where, field="answer", expected=expected, detail=repr(answer))
    complete = record.get("complete")
    if complete is None:
        complete = answer == "accept" and "spans" in record and not _is_binary(record, answer_kind)
    if not isinstance(complete, bool):
        raise DataError("E007", where, field="complete", expected="true or false", detail=repr(complete))
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        raise DataError("E007", where, field="meta", expected="a JSON object", detail=repr(meta))
    if spans_key is not None and "spans_key" not in record:  # read as the caller's span group
        record = {**record, "spans_key": spans_key}
    overlapping = _spans_key(record, where) is not None  # a span categorizer's spans may overlap
    spans = _spans_from_list(record.get("spans"), record["text"], answer == "reject", where, overlapping)
    cats = cats_from_record(record, answer, where)
    extra = {key: value for key, value in record.items() if key not in TASK_FIELDS}
    return Task(record["text"], spans, answer, complete, meta, extra, where, cats)


def cats_from_record(record: dict[str, Any], answer: str, where: Location) -> dict[str, float]:
    """Text categories from ``cats``, or from Prodigy's textcat answers.

    - ``"cats": {"POSITIVE": 1.0, "NEGATIVE": 0.0}``: spaCy's form, values 0 to 1.
    - ``"label": "POSITIVE"`` with ``"answer"`` (``textcat.teach`` / binary): the label
      applies (accept) or does not (reject); an ignored answer says nothing.
    - ``"options": [{"id": ...}], "accept": [...]`` (choice): the accepted options apply,
      the other options do not.

    Raises:
        DataError: E023 for a value outside 0-1 or not a number, E024 for a malformed choice.
    """
    if "cats" in record:
        return _checked_cats(record["cats"], where)
    if answer == "ignore":
        return {}
    if isinstance(record.get("label"), str) and "spans" not in record and "options" not in record:
        return {record["label"]: 1.0 if answer == "accept" else 0.0}
    if "options" in record and "accept" in record:
        return _choice_cats(record["options"], record["accept"], answer, where)
    return {}


def _checked_cats(cats: Any, where: Location) -> dict[str, float]:
    if not isinstance(cats, dict):
        raise DataError("E023", where, detail=f"'cats' must be an object, got {_describe(cats)}")
    for label, value in cats.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise DataError("E023", where, detail=f"category {label!r} has {value!r}")
    return {str(label): float(value) for label, value in cats.items()}


def _choice_cats(options: Any, accepted: Any, answer: str, where: Location) -> dict[str, float]:
    if not isinstance(options, list) or not all(isinstance(o, dict) and "id" in o for o in options):
        raise DataError("E024", where, detail="'options' must be a list of objects with an 'id'")
    if not isinstance(accepted, list):
        raise DataError("E024", where, detail="'accept' must be a list of option ids")
    ids = [str(option["id"]) for option in options]
    unknown = [str(a) for a in accepted if str(a) not in ids]
    if unknown:
        raise DataError("E024", where, detail=f"accepted {', '.join(unknown)} not among the options")
    chosen = {str(a) for a in accepted} if answer == "accept" else set()
    return {option: 1.0 if option in chosen else 0.0 for option in ids}


def is_binary_answer(task: Task) -> bool:
    """Whether a stored answer judges one suggested span (Prodigy's binary interfaces), not a whole text."""
    return task.extra.get("_view_id") in BINARY_VIEWS


def _is_binary(record: dict[str, Any], answer_kind: AnswerKind) -> bool:
    """Whether an answer judges only its suggested span (module docstring: the kinds)."""
    if answer_kind != "auto":
        return answer_kind == "binary"
    view = record.get("_view_id")
    if isinstance(view, str):
        return view in BINARY_VIEWS
    spans = record.get("spans")
    return isinstance(spans, list) and any(isinstance(span, dict) and "score" in span for span in spans)


def _spans_key(record: dict[str, Any], where: Location) -> str | None:
    """The record's ``spans_key`` (a span categorizer's span group), checked; None if it names none."""
    key = record.get("spans_key")
    if key is not None and (not isinstance(key, str) or not key.strip()):
        expected = 'a non-empty string, e.g. "sc"'
        raise DataError("E007", where, field="spans_key", expected=expected, detail=repr(key))
    return key


def _spans_from_list(
    raw_spans: Any, text: str, rejected: bool, where: Location, overlapping: bool = False
) -> tuple[Span, ...]:
    if raw_spans is None or raw_spans == []:
        return ()
    if not isinstance(raw_spans, list):
        raise DataError(
            "E007", where, field="spans", expected="a list of span objects", detail=repr(raw_spans)
        )
    spans = tuple(sorted(_span_from_dict(raw, i, text, where) for i, raw in enumerate(raw_spans)))
    if rejected:
        spans = tuple(Span(s.start, s.end, s.label, "reject", s.source) for s in spans)
    spans = tuple(span for i, span in enumerate(spans) if i == 0 or span != spans[i - 1])  # exact repeats
    if not overlapping:
        check_no_overlaps(spans, where)
    return spans


def _span_from_dict(raw: Any, index: int, text: str, where: Location) -> Span:
    if not isinstance(raw, dict):
        raise DataError("E006", where, index=index, detail=f"got {_describe(raw)}")
    start, end, label = raw.get("start"), raw.get("end"), raw.get("label")
    if not _is_int(start) or not _is_int(end):
        raise DataError("E006", where, index=index, detail="'start' and 'end' must be integers")
    if not isinstance(label, str) or not label.strip():
        raise DataError("E006", where, index=index, detail="'label' must be a non-empty string")
    if not 0 <= start < end <= len(text):
        raise DataError("E005", where, index=index, span=f"{start}-{end}", n_chars=len(text))
    answer = raw.get("answer", "accept")
    if answer not in SPAN_ANSWERS:
        raise DataError("E006", where, index=index, detail=f"'answer' must be one of {SPAN_ANSWERS}")
    if "text" in raw and raw["text"] != text[start:end]:
        detail = f"its text {raw['text']!r} is not the text at {start}-{end}, {text[start:end]!r}"
        raise DataError("E006", where, index=index, detail=detail)
    source = raw.get("source")
    return Span(start, end, label, answer, source if isinstance(source, str) else None)


def check_no_overlaps(spans: tuple[Span, ...], where: Location | None) -> None:
    """Raise E008 if two accepted spans (sorted by start) overlap."""
    accepted = [span for span in spans if span.is_accepted]
    for first, second in pairwise(accepted):
        if first.overlaps(second):
            raise DataError(
                "E008",
                where,
                first=f"{first.start}-{first.end} {first.label}",
                second=f"{second.start}-{second.end} {second.label}",
            )


def task_to_dict(task: Task) -> dict[str, Any]:
    """The task as a task-record JSON object; unknown fields it was read with come back."""
    record: dict[str, Any] = {"text": task.text, "spans": [span_to_dict(s) for s in task.spans]}
    record["answer"] = task.answer
    record["complete"] = task.complete
    record["meta"] = dict(task.meta)
    if task.cats:
        record["cats"] = dict(task.cats)
    record.update(task.extra)
    return record


def span_to_dict(span: Span) -> dict[str, Any]:
    """The span as a task-record JSON object; ``source`` only when known, ``answer`` unless accepted."""
    record: dict[str, Any] = {"start": span.start, "end": span.end, "label": span.label}
    if span.source is not None:
        record["source"] = span.source
    if not span.is_accepted:
        record["answer"] = span.answer
    return record


def task_from_seed(record: Any, where: Location) -> Task:
    """Convert ``[text, {"entities": [[start, end, label], ...]}]`` (spaCy v2 style)."""
    if not (
        isinstance(record, list)
        and len(record) == 2
        and isinstance(record[0], str)
        and isinstance(record[1], dict)
    ):
        raise DataError("E009", where, detail=_describe(record))
    text, annotations = cast(tuple[str, dict[str, Any]], record)
    entities = annotations.get("entities", [])
    if not isinstance(entities, list):
        raise DataError("E009", where, detail="'entities' that is not a list")
    spans = []
    for index, entity in enumerate(entities):
        if not (isinstance(entity, list) and len(entity) == 3):
            raise DataError(
                "E006", where, index=index, detail=f"expected [start, end, label], got {_describe(entity)}"
            )
        start, end, label = entity
        spans.append(_span_from_dict({"start": start, "end": end, "label": label}, index, text, where))
    spans.sort()
    check_no_overlaps(tuple(spans), where)
    other = {key: value for key, value in annotations.items() if key != "entities"}
    extra = {"annotations": other} if other else {}
    return Task(text, tuple(spans), complete=True, extra=extra, origin=where)


def task_to_seed(task: Task) -> list[Any]:
    """The seed tuple of a complete, accepted task (seed data can hold nothing else)."""
    annotations: dict[str, Any] = dict(task.extra.get("annotations", {}))
    annotations["entities"] = [[s.start, s.end, s.label] for s in task.spans]
    return [task.text, annotations]


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(value: object) -> str:
    if isinstance(value, Mapping):
        return (
            'an object without a "text" string'
            if "text" not in value
            else 'an object whose "text" is not a string'
        )
    shown = repr(value)
    return f"{type(value).__name__} {shown[:60]}{'...' if len(shown) > 60 else ''}"
