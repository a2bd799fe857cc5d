"""Where an update was measured: per domain, the old labels against the base and the new label's rate.

An update's dev texts come from the user's own domain; a pipeline serves more. This report
measures the updated pipeline on the user's dev texts and on each domain of the default
rehearsal corpus's held-out part (text the update never trained on), and warns where the new
label fires on foreign text or an old label drops.

Formulas:
    agreement (per label, x100) = F of the updated pipeline's entities against the base's own
        on the same texts (the base scores 100), exact match; predictions overlapping the
        user's own annotations are left out on the dev texts (the new label wins there).
    rate (per new label) = entities of that label predicted per 1,000 words, words being
        whitespace-separated tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from spacy.language import Language

from ..records import Span, Task
from .forgetting import MIN_AGREEMENT, agreement_verdict, apart_from
from .predict import predict_spans
from .scoring import PRF, score_tasks

# New-label entities per 1,000 words on a foreign domain above which the report warns: the
# target issue 22 sets for GADGET on news. A general text mentions few gadgets, drugs or models.
MAX_FOREIGN_RATE = 1.0
# Words a foreign domain needs before its rate is judged. A rate per 1,000 words measured on
# fewer rests on one entity more or less (one GADGET in 329 words reads as 3.0), and at 1,000
# words a rate over MAX_FOREIGN_RATE means two entities at least. The default corpus's held-out
# domains hold 250 to 1,100 words each, so the pooled row judges most of them together.
MIN_FOREIGN_WORDS = 1000
POOLED = "default corpus (all domains)"  # the row that pools every foreign domain
TOO_FEW_WORDS = "too few words to judge"
FIRES_TOO_OFTEN = "fires too often"

WarningKind = Literal["new_label_rate", "too_few_words", "old_label_drop"]


@dataclass(frozen=True)
class DomainSample:
    """Texts of one domain, with the base's entities of the old labels as the reference.

    Attributes:
        name: The domain (``"dev"`` for the user's dev texts).
        reference: Complete tasks holding the base's entities of the old labels.
        foreign: True for a domain the user did not train on (the default corpus's).
        gold: The user's own tasks on the same texts (dev), in the same order: predictions
            overlapping their accepted spans are not counted against the old labels.
    """

    name: str
    reference: tuple[Task, ...]
    foreign: bool
    gold: tuple[Task, ...] = ()


@dataclass(frozen=True)
class LabelAgreement:
    """One old label on one domain: agreement with the base (F, a fraction) and the base's entity count."""

    label: str
    f: float
    support: int


@dataclass(frozen=True)
class DomainScore:
    """One domain: its size, the old labels' agreement with the base, the new labels' counts."""

    domain: str
    foreign: bool
    n_texts: int
    n_words: int
    agreement: float  # all old labels together, F (a fraction) against the base
    support: int  # the base's entities of the old labels
    labels: tuple[LabelAgreement, ...]
    new_counts: dict[str, int] = field(default_factory=dict)

    def rate(self, label: str) -> float:
        """Entities of a new label predicted per 1,000 words."""
        return 1000 * self.new_counts.get(label, 0) / max(self.n_words, 1)

    def to_dict(self) -> dict[str, Any]:
        """As training.json's ``domains`` lists it."""
        data = {
            "domain": self.domain,
            "foreign": self.foreign,
            "n_texts": self.n_texts,
            "n_words": self.n_words,
            "agreement": round(self.agreement, 4),
            "support": self.support,
            "per_label": {a.label: {"f": round(a.f, 4), "support": a.support} for a in self.labels},
            "new_label_counts": dict(self.new_counts),
            "new_label_rates": {label: round(self.rate(label), 3) for label in self.new_counts},
        }
        if self.foreign:  # the user's own domain is where the new label belongs: nothing to judge
            data["new_label_verdicts"] = {label: rate_verdict(self, label) for label in self.new_counts}
        return data


@dataclass(frozen=True)
class DomainWarning:
    """A problem the report found, and what to do about it."""

    kind: WarningKind
    domain: str
    label: str
    value: float  # the rate per 1,000 words, or the agreement (a fraction)
    message: str


@dataclass(frozen=True)
class DomainReport:
    """Per domain, and pooled over the foreign ones, what the update kept and where its new label fires."""

    domains: tuple[DomainScore, ...]
    new_labels: tuple[str, ...]
    warnings: tuple[DomainWarning, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """What training.json's ``domains`` holds."""
        return {
            "new_labels": list(self.new_labels),
            "domains": [domain.to_dict() for domain in self.domains],
            "warnings": [warning.message for warning in self.warnings],
        }


def measure_domains(
    nlp: Language,
    samples: Sequence[DomainSample],
    *,
    old_labels: Sequence[str],
    new_labels: Sequence[str],
) -> DomainReport:
    """Score the updated pipeline on every domain, pool the foreign ones, and judge.

    Args:
        nlp: The updated pipeline.
        samples: The domains to measure on (the user's dev texts, the held-out default corpus).
        old_labels: The labels the base knew and the update did not train.
        new_labels: The labels the update taught.
    """
    scored: list[DomainScore] = []
    pooled: list[_Predicted] = []
    for sample in samples:
        if not sample.reference:
            continue
        predicted = list(predict_spans(nlp, (task.text for task in sample.reference)))
        away = predicted
        if sample.gold:
            away = [apart_from(p, g.accepted_spans) for p, g in zip(predicted, sample.gold, strict=True)]
        rows = [_Predicted(*row) for row in zip(sample.reference, predicted, away, strict=True)]
        scored.append(_score(sample.name, sample.foreign, rows, old_labels, new_labels))
        if sample.foreign:
            pooled.extend(rows)
    if len([s for s in scored if s.foreign]) > 1:
        scored.append(_score(POOLED, True, pooled, old_labels, new_labels))
    report = DomainReport(tuple(scored), tuple(new_labels))
    return DomainReport(report.domains, report.new_labels, tuple(judge_domains(report)))


@dataclass(frozen=True)
class _Predicted:
    """One text: the base's entities, the updated pipeline's, and those away from the user's spans."""

    reference: Task
    predicted: list[Span]
    away: list[Span]  # scored against the old labels: the user's own spans win where they are


def _score(
    name: str,
    foreign: bool,
    rows: Sequence[_Predicted],
    old_labels: Sequence[str],
    new_labels: Sequence[str],
) -> DomainScore:
    reference = [row.reference for row in rows]
    predicted = [row.predicted for row in rows]
    scores = score_tasks(reference, [row.away for row in rows], labels=list(old_labels))
    labels = tuple(
        LabelAgreement(label, prf.f, prf.tp + prf.fn)
        for label, prf in sorted(scores.per_label.items())
        if prf.tp + prf.fn
    )
    overall: PRF = scores.overall
    counts = {label: sum(s.label == label for spans in predicted for s in spans) for label in new_labels}
    return DomainScore(
        domain=name,
        foreign=foreign,
        n_texts=len(reference),
        n_words=sum(len(task.text.split()) for task in reference),
        agreement=overall.f if overall.tp + overall.fn else 1.0,
        support=overall.tp + overall.fn,
        labels=labels,
        new_counts=counts,
    )


def judge_domains(report: DomainReport) -> Iterable[DomainWarning]:
    """Warn where a new label fires on a foreign domain, and where an old label drops.

    A new label warns on a foreign domain (pooled too) of at least :data:`MIN_FOREIGN_WORDS`
    words at more than :data:`MAX_FOREIGN_RATE` per 1,000 words (see :func:`rate_verdict`);
    where it fires that often on a smaller domain, the warning says there are too few words
    to judge, rather than nothing. An old label warns
    below :data:`~.forgetting.MIN_AGREEMENT` agreement with at least
    :data:`~.forgetting.MIN_SUPPORT` base entities, on the dev texts or pooled over the default
    corpus: the pool judges labels a small dev set holds too few of.
    """
    for domain in report.domains:
        if domain.foreign:
            yield from _rate_warnings(domain, report.new_labels)
        if domain.domain == POOLED or not domain.foreign or _only_foreign(report) == domain.domain:
            yield from _drop_warnings(domain)


def _only_foreign(report: DomainReport) -> str | None:
    """The foreign domain when there is one alone (no pooled row judges the old labels then)."""
    foreign = [d.domain for d in report.domains if d.foreign]
    return foreign[0] if len(foreign) == 1 else None


def rate_verdict(domain: DomainScore, label: str) -> str:
    """What a new label's rate on a domain says: ``"fires too often"``, ``"ok"``, or too few words.

    A foreign domain of at least :data:`MIN_FOREIGN_WORDS` words is judged: the label fires
    too often above :data:`MAX_FOREIGN_RATE` per 1,000 words. A smaller one is too small to
    judge. The user's own domain (not foreign) is where the label belongs: ``"ok"``
    (``to_dict`` lists verdicts for foreign domains only).
    """
    if not domain.foreign:
        return "ok"
    if domain.n_words < MIN_FOREIGN_WORDS:
        return TOO_FEW_WORDS
    return FIRES_TOO_OFTEN if domain.rate(label) > MAX_FOREIGN_RATE else "ok"


def _rate_warnings(domain: DomainScore, new_labels: Sequence[str]) -> Iterable[DomainWarning]:
    for label in new_labels:
        rate, verdict = domain.rate(label), rate_verdict(domain, label)
        if verdict == FIRES_TOO_OFTEN:
            yield DomainWarning(
                "new_label_rate",
                domain.domain,
                label,
                rate,
                f"{label} fires {rate:.1f} times per 1,000 words on {domain.domain} text it was not "
                f"taught on (over {MAX_FOREIGN_RATE:.1f}): add texts of your domain without {label} "
                "to the training data, or raise --rehearsal-ratio.",
            )
        elif verdict == TOO_FEW_WORDS and rate > MAX_FOREIGN_RATE:
            yield DomainWarning(
                "too_few_words",
                domain.domain,
                label,
                rate,
                f"{label} fires {rate:.1f} times per 1,000 words on {domain.domain} text, but on "
                f"{domain.n_words:,} words ({domain.new_counts.get(label, 0)} entities): too few words "
                f"to judge (a domain needs {MIN_FOREIGN_WORDS:,}). Read the pooled row, which judges the "
                f"domains together, or check {label} on more text of that kind.",
            )


def _drop_warnings(domain: DomainScore) -> Iterable[DomainWarning]:
    where = "your dev texts" if not domain.foreign else f"held-out {domain.domain} text"
    for label in domain.labels:
        if agreement_verdict(label.f, label.support) == "dropped":
            yield DomainWarning(
                "old_label_drop",
                domain.domain,
                label.label,
                label.f,
                f"{label.label} agrees {100 * label.f:.1f}% with the base on {where} ({label.support} "
                f"base entities; below {MIN_AGREEMENT:.0%}): raise --rehearsal-ratio, add --rehearse "
                "with raw texts like yours, or label those entities in your data.",
            )
