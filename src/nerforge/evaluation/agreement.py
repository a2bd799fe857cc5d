"""How far annotators agree: span F1 per pair and label, chance-corrected coefficients, disputes.

Answers are read per annotator (the name the store records each answer under) and per text.
Manual answers (every entity of the text marked) are compared text by text; binary answers
(Prodigy's ``"_view_id": "ner"``: one suggested span accepted or rejected) unit by unit, a
unit being a text and a span. When an annotator answered a text (or a unit) more than once,
their last answer counts. Only texts (units) that two annotators or more answered say
anything about agreement: the others are left out and counted. Ignored answers and rejected
manual ones (the text's suggestions were wrong, its entities unsaid) compare nothing.

Every figure comes with the number of texts it rests on and a bootstrap 95% interval,
resampling texts (seeded): the texts, not the spans, are what was drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy
import spacy
from spacy.language import Language

from ..errors import ParameterError
from ..records import Span, Task
from ..storage import Store, default_db_path
from ..task_json import is_binary_answer
from .agreement_measures import (
    COHEN_COLUMNS,
    F1_COLUMNS,
    FLEISS_COLUMNS,
    N_RESAMPLES,
    Floats,
    Statistic,
    cohen_kappa,
    coincidences,
    f1_exact,
    f1_partial,
    fleiss_kappa,
    interval_of,
    krippendorff_alpha,
    point_value,
    resample_sums,
    span_matches,
)
from .agreement_report import (
    Agreement,
    BinaryAgreement,
    DisputedText,
    Estimate,
    LabelF1,
    PairF1,
    PairKappa,
    SpanAgreement,
)

ALL_LABELS = "ALL"  # the row of a pair's F1 over every label
OUTSIDE_CODE = 0  # alpha's code of a token no span covers ("O"); label i is code i + 1
Unit = tuple[int, int, str]  # a binary answer's span: start, end, label
RowOf = Callable[[dict[str, str]], list[int] | None]  # a unit's counts (None: the unit doesn't count)


@dataclass
class AnswerTable:
    """Answers by text and annotator, each annotator's last answer kept.

    Attributes:
        manual: text -> annotator -> the accepted spans of their manual answer.
        binary: text -> unit -> annotator -> ``"accept"`` or ``"reject"``.
        annotators: Everyone whose answer was read.
        labels: The labels of every span read (in scope).
        n_answers: Answers read.
        n_left_out: Ignored answers and rejected manual ones.
    """

    manual: dict[str, dict[str, tuple[Span, ...]]] = field(default_factory=dict)
    binary: dict[str, dict[Unit, dict[str, str]]] = field(default_factory=dict)
    annotators: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    n_answers: int = 0
    n_left_out: int = 0

    def add(self, annotator: str, task: Task, scope: frozenset[str] | None) -> None:
        """Record one answer: its spans outside ``scope`` (if given) are dropped."""
        self.n_answers += 1
        self.annotators.add(annotator)
        spans = tuple(s for s in task.spans if scope is None or s.label in scope)
        if task.answer == "ignore" or (task.answer == "reject" and not is_binary_answer(task)):
            self.n_left_out += 1
        elif is_binary_answer(task):
            units = self.binary.setdefault(task.text, {})
            for span in spans:
                if span.answer != "ignore":
                    units.setdefault((span.start, span.end, span.label), {})[annotator] = span.answer
                    self.labels.add(span.label)
        else:
            accepted = tuple(sorted(s for s in spans if s.is_accepted))
            self.manual.setdefault(task.text, {})[annotator] = accepted
            self.labels.update(s.label for s in accepted)


def agreement(
    dataset: str,
    *,
    db: str | Path | None = None,
    labels: Collection[str] | None = None,
    lang: str = "en",
    seed: int = 0,
    n_resamples: int = N_RESAMPLES,
) -> Agreement:
    """How far the annotators of a dataset in the store agree (module docstring: what is compared).

    Args:
        dataset: The dataset; each answer's annotator is the name the store recorded.
        db: The store file (default: ``$NERFORGE_DB``, else ``nerforge.db``).
        labels: Compare only spans of these labels (default: every label answered).
        lang: Language of the tokenizer that splits texts into tokens for Krippendorff's alpha.
        seed: Seed of the bootstrap's resamples.
        n_resamples: Resamples of the texts for each interval.

    Raises:
        StorageError: For a store or dataset that can't be read.
        ParameterError: E403 for a bad ``n_resamples`` or an unknown ``lang``.
    """
    _check_resamples(n_resamples)
    with Store(default_db_path(db), read_only=True) as store:
        answers = ((stored.annotator, stored.task) for stored in store.iter_stored_answers(dataset))
        return measure_agreement(answers, labels=labels, lang=lang, seed=seed, n_resamples=n_resamples)


def measure_agreement(
    answers: Iterable[tuple[str, Task]],
    *,
    labels: Collection[str] | None = None,
    lang: str = "en",
    seed: int = 0,
    n_resamples: int = N_RESAMPLES,
) -> Agreement:
    """:func:`agreement` of ``(annotator, answered task)`` pairs, in the order they were given."""
    _check_resamples(n_resamples)
    scope = frozenset(labels) if labels else None
    table = AnswerTable()
    for annotator, task in answers:
        table.add(annotator, task, scope)
    in_scope = tuple(sorted(scope if scope is not None else table.labels))
    settings = _Settings(seed, n_resamples)
    return Agreement(
        tuple(sorted(table.annotators)),
        in_scope,
        _span_agreement(table, in_scope, _tokenizer(lang), settings),
        _binary_agreement(table, settings),
        tuple(sorted(_disputed(table), key=lambda text: -text.n_disputed)),
        table.n_answers,
        table.n_left_out,
        seed,
    )


@dataclass(frozen=True)
class _Settings:
    seed: int
    n_resamples: int

    def estimate(self, rows: Floats, statistic: Statistic, resampled: Floats | None = None) -> Estimate:
        """The statistic of ``rows`` and its interval, from ``resampled`` sums if already drawn."""
        if resampled is None:
            resampled = self.resample(rows)
        interval = interval_of(statistic(resampled)) if len(rows) else None
        return Estimate(point_value(rows, statistic), interval, len(rows))

    def resample(self, rows: Floats) -> Floats:
        """The rows' counts summed over each resample of the texts."""
        return resample_sums(rows, seed=self.seed, n_resamples=self.n_resamples)


def _check_resamples(n_resamples: int) -> None:
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, int) or n_resamples < 1:
        raise ParameterError(
            "E403", parameter="n_resamples", owner="agreement", expected="an int >= 1", value=n_resamples
        )


def _tokenizer(lang: str) -> Language:
    try:
        return spacy.blank(lang)
    except ImportError:
        expected = "a language code spaCy knows, e.g. 'en'"
        raise ParameterError(
            "E403", parameter="lang", owner="agreement", expected=expected, value=lang
        ) from None


# manual answers


def _span_agreement(
    table: AnswerTable, labels: Sequence[str], nlp: Language, settings: _Settings
) -> SpanAgreement:
    shared = {text: by for text, by in table.manual.items() if len(by) > 1}
    annotators = sorted({annotator for by in shared.values() for annotator in by})
    pairs = tuple(
        _pair_f1(first, second, shared, labels, settings)
        for first, second in combinations(annotators, 2)
        if any(first in by and second in by for by in shared.values())
    )
    alpha = settings.estimate(_alpha_rows(shared, labels, nlp), krippendorff_alpha)
    return SpanAgreement(pairs, alpha, len(shared), len(table.manual) - len(shared))


def _pair_f1(
    first: str,
    second: str,
    shared: dict[str, dict[str, tuple[Span, ...]]],
    labels: Sequence[str],
    settings: _Settings,
) -> PairF1:
    """Rows of (exact, partial, spans of first, spans of second) per text, per label then ALL."""
    both = [by for by in shared.values() if first in by and second in by]
    shape = (len(both), len(labels), F1_COLUMNS)  # explicit: no label at all leaves 0 columns
    rows = numpy.array(
        [[_f1_counts(by[first], by[second], label) for label in labels] for by in both], dtype=float
    ).reshape(shape)
    drawn = settings.resample(rows.reshape(len(both), -1)).reshape(settings.n_resamples, *shape[1:])
    per_label = tuple(
        _label_f1(label, rows[:, i, :], drawn[:, i, :], settings) for i, label in enumerate(labels)
    )
    overall = _label_f1(ALL_LABELS, rows.sum(axis=1), drawn.sum(axis=1), settings)
    return PairF1(first, second, overall, per_label)


def _f1_counts(first: tuple[Span, ...], second: tuple[Span, ...], label: str) -> tuple[int, int, int, int]:
    mine = [span for span in first if span.label == label]
    theirs = [span for span in second if span.label == label]
    return (*span_matches(mine, theirs), len(mine), len(theirs))


def _label_f1(label: str, rows: Floats, drawn: Floats, settings: _Settings) -> LabelF1:
    exact, partial = (settings.estimate(rows, statistic, drawn) for statistic in (f1_exact, f1_partial))
    return LabelF1(label, exact, partial)


def _alpha_rows(
    shared: dict[str, dict[str, tuple[Span, ...]]], labels: Sequence[str], nlp: Language
) -> Floats:
    """One flattened coincidence matrix per text, over the codes O and each label."""
    code_of = {label: OUTSIDE_CODE + 1 + i for i, label in enumerate(labels)}
    n_codes = len(labels) + 1
    rows = []
    tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable; its own has pipe()
    for doc, by in zip(tokenizer.pipe(shared), shared.values(), strict=True):
        starts = [token.idx for token in doc]
        codes = [_token_codes(starts, spans, code_of) for spans in by.values()]
        rows.append(coincidences(codes, n_codes))
    return numpy.array(rows, dtype=float).reshape(-1, n_codes * n_codes)


def _token_codes(starts: list[int], spans: tuple[Span, ...], code_of: dict[str, int]) -> list[int]:
    """Each token's code: that of the label of the span it starts in, or ``OUTSIDE_CODE``."""
    codes = [OUTSIDE_CODE] * len(starts)
    for i, start in enumerate(starts):
        for span in spans:
            if span.start <= start < span.end and span.label in code_of:
                codes[i] = code_of[span.label]
    return codes


# binary answers


def _binary_agreement(table: AnswerTable, settings: _Settings) -> BinaryAgreement:
    units = [(text, by) for text, per_unit in table.binary.items() for by in per_unit.values()]
    shared = [(text, by) for text, by in units if len(by) > 1]
    annotators = sorted({annotator for _, by in units for annotator in by})
    pairs = []
    for first, second in combinations(annotators, 2):
        rows = _rows_by_text(shared, partial(_cohen_row, first=first, second=second), COHEN_COLUMNS)
        if len(rows):
            pairs.append(PairKappa(first, second, settings.estimate(rows, cohen_kappa), int(rows.sum())))
    n_raters = len(annotators)
    fleiss_rows = _rows_by_text(shared, lambda by: _fleiss_row(by, n_raters), FLEISS_COLUMNS)
    fleiss = settings.estimate(fleiss_rows, lambda sums: fleiss_kappa(sums, n_raters))
    return BinaryAgreement(tuple(pairs), fleiss, len(shared), len(units) - len(shared))


def _cohen_row(by: dict[str, str], *, first: str, second: str) -> list[int] | None:
    if first not in by or second not in by:
        return None
    a, b = by[first] == "accept", by[second] == "accept"
    return [int(a and b), int(a and not b), int(b and not a), int(not a and not b)]


def _fleiss_row(by: dict[str, str], n_raters: int) -> list[int] | None:
    if len(by) < n_raters:  # Fleiss' kappa needs every rater on every unit
        return None
    n_accepts = sum(answer == "accept" for answer in by.values())
    return [1, n_accepts**2 + (n_raters - n_accepts) ** 2, n_accepts]


def _rows_by_text(
    shared: list[tuple[str, dict[str, str]]],
    row_of: RowOf,
    n_columns: int,
) -> Floats:
    """A unit's counts summed per text: the texts are what the bootstrap resamples."""
    by_text: dict[str, Floats] = {}
    for text, by in shared:
        row = row_of(by)
        if row is not None:
            by_text[text] = by_text.get(text, numpy.zeros(n_columns)) + numpy.asarray(row, dtype=float)
    return numpy.array(list(by_text.values()), dtype=float).reshape(-1, n_columns)


# disputed texts


def _disputed(table: AnswerTable) -> list[DisputedText]:
    found = []
    for text in dict.fromkeys([*table.manual, *table.binary]):
        manual = table.manual.get(text, {})
        units = table.binary.get(text, {})
        n_disputed = _manual_disputes(manual) + sum(
            len(by) > 1 and len(set(by.values())) > 1 for by in units.values()
        )
        if n_disputed:
            found.append(DisputedText(text, n_disputed, _versions(manual, units)))
    return found


def _manual_disputes(by: dict[str, tuple[Span, ...]]) -> int:
    """Spans some but not all annotators of the text marked (0 for a text marked once)."""
    if len(by) < 2:
        return 0
    marked = [frozenset(spans) for spans in by.values()]
    everyone = marked[0].intersection(*marked[1:])
    return len(marked[0].union(*marked[1:]) - everyone)


def _versions(
    manual: dict[str, tuple[Span, ...]], units: dict[Unit, dict[str, str]]
) -> dict[str, tuple[Span, ...]]:
    versions = {annotator: list(spans) for annotator, spans in manual.items()}
    for (start, end, label), by in units.items():
        for annotator, answer in by.items():
            versions.setdefault(annotator, []).append(
                Span(start, end, label, "reject" if answer == "reject" else "accept")
            )
    return {annotator: tuple(sorted(spans)) for annotator, spans in sorted(versions.items())}
