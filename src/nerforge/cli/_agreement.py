"""How `nerforge db agreement` shows its report in the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import msg

if TYPE_CHECKING:
    from ..evaluation.agreement_report import Agreement, DisputedText, Estimate

N_DISPUTED_SHOWN = 5  # the worst texts in the terminal; --html and --json hold them all
TEXT_CHARS_SHOWN = 80  # a text is cut to this in the terminal
UNDEFINED = "undefined"  # a coefficient the answers leave undefined (one answer to everything)


def show_agreement(result: Agreement, dataset: str) -> None:
    """Print the span F1 table, the coefficients, each annotator's mean F1 and the worst texts."""
    msg.info(
        f"{dataset}: {result.n_answers} answers by {len(result.annotators)} annotator(s) "
        f"({', '.join(result.annotators)}); {result.n_left_out} ignored or rejected manual answer(s) left out"
    )
    if not result.spans.pairs and not result.binary.pairs:
        msg.warn(
            "No text was answered by two annotators, so there is nothing to compare. Route texts to "
            "several sessions with `nerforge annotate ... --overlap` (?session=NAME each)."
        )
        return
    if result.spans.pairs:
        _show_spans(result)
    if result.binary.pairs:
        _show_binary(result)
    _show_disputed(result.disputed)


def _show_spans(result: Agreement) -> None:
    spans = result.spans
    rows = [
        (f"{pair.first} / {pair.second}", f1.label, f1.exact.n_texts, *_cells(f1.exact), *_cells(f1.partial))
        for pair in spans.pairs
        for f1 in (pair.overall, *pair.per_label)
    ]
    header = ("pair", "label", "texts", "exact F", "95%", "partial F", "95%")
    msg.divider("Manual answers: span F1 between annotators")
    msg.table(rows, header=header, divider=True, aligns=("l", "l", "r", "r", "r", "r", "r"))
    alpha = spans.alpha.describe(undefined=UNDEFINED)
    msg.text(
        f"Krippendorff's alpha (token labels, nominal): {alpha} on {spans.alpha.n_texts} "
        f"text(s); {spans.n_single} text(s) marked by one annotator only were left out."
    )
    means = ", ".join(f"{a} {_percent(result.mean_f(a))}" for a in result.annotators)
    msg.text(f"Each annotator's mean exact F with the others: {means}")


def _show_binary(result: Agreement) -> None:
    binary = result.binary
    rows = [
        (
            f"{pair.first} / {pair.second}",
            pair.n_units,
            pair.kappa.n_texts,
            pair.kappa.describe(undefined=UNDEFINED),
        )
        for pair in binary.pairs
    ]
    msg.divider("Binary answers: Cohen's kappa between annotators")
    msg.table(
        rows, header=("pair", "units", "texts", "kappa (95%)"), divider=True, aligns=("l", "r", "r", "r")
    )
    fleiss = binary.fleiss.describe(undefined=UNDEFINED)
    msg.text(
        f"Fleiss' kappa over the units every binary annotator answered: {fleiss} on "
        f"{binary.fleiss.n_texts} text(s); {binary.n_single} unit(s) answered by one annotator were left out."
    )


def _show_disputed(disputed: tuple[DisputedText, ...]) -> None:
    if not disputed:
        msg.good("The annotators agree on every text they share")
        return
    msg.divider(f"Most disputed texts ({len(disputed)} in all)")
    for text in disputed[:N_DISPUTED_SHOWN]:
        shown = text.text if len(text.text) <= TEXT_CHARS_SHOWN else text.text[:TEXT_CHARS_SHOWN] + "..."
        msg.text(f"{text.n_disputed} disputed: {shown!r}")
        for annotator, spans in text.versions.items():
            said = ", ".join(
                f"{s.text_in(text.text)!r} {s.label}{' (rejected)' if s.is_rejected else ''}" for s in spans
            )
            msg.text(f"    {annotator}: {said or 'no entities'}")


def _cells(estimate: Estimate) -> tuple[str, str]:
    if estimate.value is None:
        return ("-", "")
    interval = (
        ""
        if estimate.interval is None
        else f"{100 * estimate.interval[0]:.0f}-{100 * estimate.interval[1]:.0f}"
    )
    return (f"{100 * estimate.value:.1f}", interval)


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"
