"""Settling disagreements: each text's versions (one per annotator), and the gold task chosen from them.

A text's versions are the last answers each annotator gave it (ignored answers say nothing
and are left out); only texts with two versions or more need settling. The gold task keeps
its provenance in its fields: ``_annotators`` (who answered), ``_versions`` (each one's
accepted spans), ``_adjudicator`` (who chose, or ``"auto"`` when every version agreed),
``_picked`` (the annotator whose version the adjudicator started from, or None) and ``_edited``
(whether the accepted spans differ from that version's, or were marked with none picked).
A text whose answers name a span group (``spans_key``, spancat: spans may overlap) is settled
in it: the gold task names the same key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import ParameterError
from ..records import Span, Task, TaskAnswer
from ..storage import Store, StoredAnswer, input_hash
from ..task_json import span_to_dict

AUTO_ADJUDICATOR = "auto"  # the adjudicator of a text every version agreed on
PROVENANCE_FIELDS = ("_annotators", "_versions", "_adjudicator", "_picked", "_edited")


@dataclass(frozen=True, slots=True)
class Version:
    """One annotator's answer to a text: its kind and its accepted spans."""

    annotator: str
    answer: TaskAnswer
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TextVersions:
    """A text, the versions its annotators gave (by annotator name) and their span group (None: entities)."""

    text: str
    versions: tuple[Version, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)
    spans_key: str | None = None

    @property
    def annotators(self) -> tuple[str, ...]:
        """Who gave a version, in the versions' order."""
        return tuple(v.annotator for v in self.versions)

    def version(self, annotator: str) -> Version | None:
        """The annotator's version, or None if they gave none."""
        return next((v for v in self.versions if v.annotator == annotator), None)

    @property
    def agreed(self) -> bool:
        """Every version accepted the text with the same spans."""
        return all(v.answer == "accept" for v in self.versions) and len({v.spans for v in self.versions}) == 1

    def question(self) -> Task:
        """The text as a question: no spans, nothing reviewed yet."""
        return Task(self.text, (), "accept", False, self.meta)


def group_versions(answers: Iterable[StoredAnswer], *, spans_key: str | None = None) -> list[TextVersions]:
    """The texts that two annotators or more answered, in the order first answered, each with its versions.

    An annotator's last answer to a text counts; ignored answers are left out. A text's span
    group is ``spans_key`` if given, else the one its answers name (None: entities).
    """
    by_text: dict[str, dict[str, Version]] = {}
    meta: dict[str, Mapping[str, Any]] = {}
    keys: dict[str, str] = {}
    for stored in answers:
        task = stored.task
        if task.answer == "ignore":
            continue
        spans = tuple(sorted(s for s in task.spans if s.is_accepted))
        by_text.setdefault(task.text, {})[stored.annotator] = Version(stored.annotator, task.answer, spans)
        meta.setdefault(task.text, task.meta)
        if task.spans_key is not None:
            keys.setdefault(task.text, task.spans_key)
    return [
        TextVersions(text, tuple(by[name] for name in sorted(by)), meta[text], spans_key or keys.get(text))
        for text, by in by_text.items()
        if len(by) > 1
    ]


def gold_task(
    versions: TextVersions,
    spans: Sequence[Span],
    *,
    adjudicator: str,
    answer: TaskAnswer = "accept",
    picked: str | None = None,
) -> Task:
    """The settled task: ``spans`` complete if accepted, with the versions and who chose as provenance.

    It names the text's span group (``spans_key``) if the versions have one.

    Args:
        versions: The text and its versions.
        spans: The spans the adjudicator accepted (a version's, or edited).
        adjudicator: Who settled the text.
        answer: ``accept`` (the spans are the gold ones), ``reject`` (no version is right) or
            ``ignore``.
        picked: The annotator whose version the adjudicator started from (None: none); it must
            have given a version of the text.

    Raises:
        ParameterError: E403 if ``picked`` gave no version of the text.
    """
    start = versions.version(picked) if picked is not None else None
    if picked is not None and start is None:
        expected = f"one of the text's annotators ({', '.join(versions.annotators)}) or None"
        raise ParameterError("E403", parameter="picked", owner="gold_task", expected=expected, value=picked)
    accepted = answer == "accept"
    kept = tuple(sorted(spans)) if accepted else ()
    extra: dict[str, Any] = {
        "_annotators": list(versions.annotators),
        "_versions": {v.annotator: [span_to_dict(s) for s in v.spans] for v in versions.versions},
        "_adjudicator": adjudicator,
        "_picked": picked,
        "_edited": accepted and (start is None or kept != start.spans),
    }
    if versions.spans_key is not None:
        extra = {"spans_key": versions.spans_key, **extra}
    return Task(versions.text, kept, answer, accepted, versions.meta, extra)


def accept_agreed(store: Store, gold: str, texts: Iterable[TextVersions]) -> int:
    """Store each text whose versions all agree in ``gold``, as adjudicated by ``"auto"``; how many.

    Texts ``gold`` already holds are left as they are, so a restart stores nothing twice.
    """
    settled = store.answered_input_hashes(gold)
    agreed = [
        gold_task(text, first.spans, adjudicator=AUTO_ADJUDICATOR, picked=first.annotator)
        for text in texts
        if text.agreed and input_hash(text.question()) not in settled
        for first in text.versions[:1]
    ]
    return store.add_answers(gold, agreed, annotator=AUTO_ADJUDICATOR) if agreed else 0
