"""The result of ``nerforge db agreement``: typed figures, each with the texts it rests on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from ..records import Span


@dataclass(frozen=True, slots=True)
class Estimate:
    """A figure, its bootstrap 95% interval over texts, and how many texts it rests on.

    ``value`` (and the interval) is None where the figure is undefined (e.g. F1 of a
    label neither annotator used, kappa of annotators who gave one answer to everything).
    """

    value: float | None
    interval: tuple[float, float] | None
    n_texts: int

    def describe(self, *, undefined: str) -> str:
        """A coefficient as a person reads it: ``0.786 (0.75 to 0.82)``, or ``undefined`` when it is none."""
        if self.value is None:
            return undefined
        value = round(self.value, 3) + 0.0  # + 0.0: a rounding -0.0 prints as 0.000
        if self.interval is None:
            return f"{value:.3f}"
        low, high = (round(end, 2) + 0.0 for end in self.interval)
        return f"{value:.3f} ({low:.2f} to {high:.2f})"

    def to_dict(self) -> dict[str, Any]:
        """Value, interval ends and texts, as a JSON-ready dict."""
        low, high = self.interval if self.interval is not None else (None, None)
        return {"value": self.value, "low": low, "high": high, "n_texts": self.n_texts}


@dataclass(frozen=True, slots=True)
class LabelF1:
    """Span F1 of one pair of annotators on one label (``"ALL"`` for every label): exact and partial."""

    label: str
    exact: Estimate
    partial: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The label and both F1s, as a JSON-ready dict."""
        return {"label": self.label, "exact": self.exact.to_dict(), "partial": self.partial.to_dict()}


@dataclass(frozen=True, slots=True)
class PairF1:
    """Span F1 between two annotators on the texts both annotated by hand.

    Attributes:
        first: One annotator.
        second: The other.
        overall: Every label together.
        per_label: One entry per label in scope, sorted.
    """

    first: str
    second: str
    overall: LabelF1
    per_label: tuple[LabelF1, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The pair, the overall and per-label F1s, as a JSON-ready dict."""
        return {
            "first": self.first,
            "second": self.second,
            "overall": self.overall.to_dict(),
            "per_label": [label.to_dict() for label in self.per_label],
        }


@dataclass(frozen=True, slots=True)
class PairKappa:
    """Cohen's kappa between two annotators on the binary units (text, span) both answered."""

    first: str
    second: str
    kappa: Estimate
    n_units: int

    def to_dict(self) -> dict[str, Any]:
        """The pair, kappa and units, as a JSON-ready dict."""
        return {
            "first": self.first,
            "second": self.second,
            "kappa": self.kappa.to_dict(),
            "n_units": self.n_units,
        }


@dataclass(frozen=True, slots=True)
class SpanAgreement:
    """Agreement on manual answers (every entity of a text marked).

    Attributes:
        pairs: Span F1 of each pair of annotators who share a text.
        alpha: Krippendorff's alpha (nominal) over the token labels (an entity label or O)
            of the texts two or more annotators marked.
        n_texts: Texts marked by two annotators or more (what the figures rest on).
        n_single: Texts marked by one annotator only: left out, counted here.
    """

    pairs: tuple[PairF1, ...]
    alpha: Estimate
    n_texts: int
    n_single: int

    def to_dict(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict."""
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "alpha": self.alpha.to_dict(),
            "n_texts": self.n_texts,
            "n_single": self.n_single,
        }


@dataclass(frozen=True, slots=True)
class BinaryAgreement:
    """Agreement on binary answers (one suggested span accepted or rejected).

    Attributes:
        pairs: Cohen's kappa of each pair of annotators who share a unit (text, span).
        fleiss: Fleiss' kappa over the units every binary annotator answered.
        n_units: Units answered by two annotators or more.
        n_single: Units answered by one annotator only: left out, counted here.
    """

    pairs: tuple[PairKappa, ...]
    fleiss: Estimate
    n_units: int
    n_single: int

    def to_dict(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict."""
        return {
            "pairs": [pair.to_dict() for pair in self.pairs],
            "fleiss": self.fleiss.to_dict(),
            "n_units": self.n_units,
            "n_single": self.n_single,
        }


@dataclass(frozen=True, slots=True)
class DisputedText:
    """A text the annotators disagree on, and what each of them said.

    Attributes:
        text: The text.
        n_disputed: Spans (or binary units) not every annotator of the text gave alike.
        versions: Each annotator's spans: accepted ones, and for binary answers the
            rejected ones too (``answer="reject"``).
    """

    text: str
    n_disputed: int
    versions: Mapping[str, tuple[Span, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The text and each annotator's spans (with their text), as a JSON-ready dict."""
        return {
            "text": self.text,
            "n_disputed": self.n_disputed,
            "versions": {
                annotator: [
                    {
                        "start": s.start,
                        "end": s.end,
                        "label": s.label,
                        "answer": s.answer,
                        "text": s.text_in(self.text),
                    }
                    for s in spans
                ]
                for annotator, spans in self.versions.items()
            },
        }


def _span_dict(span: Span, text: str) -> dict[str, Any]:
    return {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "answer": span.answer,
        "text": span.text_in(text),
    }


@dataclass(frozen=True, slots=True)
class Agreement:
    """How far annotators agree, on manual and on binary answers, and where they disagree most.

    Attributes:
        annotators: Everyone who answered, sorted.
        labels: The labels in scope, sorted.
        spans: Figures on manual answers.
        binary: Figures on binary answers.
        disputed: The texts with disagreement, most disputed first.
        n_answers: Answers read.
        n_left_out: Answers that say nothing to compare: ignored ones, and rejected manual ones.
        seed: Seed of the bootstrap.
    """

    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    spans: SpanAgreement
    binary: BinaryAgreement
    disputed: tuple[DisputedText, ...]
    n_answers: int
    n_left_out: int
    seed: int = 0

    def mean_f(self, annotator: str) -> float | None:
        """The annotator's mean exact span F1 with each other annotator (None if they share no text)."""
        values = [
            pair.overall.exact.value
            for pair in self.spans.pairs
            if annotator in (pair.first, pair.second) and pair.overall.exact.value is not None
        ]
        return mean(values) if values else None

    def to_dict(self) -> dict[str, Any]:
        """Every figure, and the disputed texts, as a JSON-ready dict."""
        return {
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "n_answers": self.n_answers,
            "n_left_out": self.n_left_out,
            "seed": self.seed,
            "mean_f": {annotator: self.mean_f(annotator) for annotator in self.annotators},
            "spans": self.spans.to_dict(),
            "binary": self.binary.to_dict(),
            "disputed": [text.to_dict() for text in self.disputed],
        }
