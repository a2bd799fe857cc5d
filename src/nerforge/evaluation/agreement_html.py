"""An HTML page of an agreement report: the figures, then the disputed texts with each annotator's spans."""

from __future__ import annotations

from html import escape
from pathlib import Path

from ..io.files import atomic_text_writer
from ..records import Span
from .agreement_report import Agreement, DisputedText
from .html import PAGE_STYLE, label_colors

NO_VALUE = "-"  # a figure the answers leave undefined
MARK_STYLE = (
    "mark{padding:1px 3px;border-radius:3px}"
    "mark.reject{text-decoration:line-through;opacity:.6}"
    "mark small{font-size:.7em;font-weight:bold;margin-left:3px}"
)


def write_agreement_html(result: Agreement, path: str | Path, *, title: str = "Agreement") -> None:
    """Write the figures and every disputed text (most disputed first), one row per annotator.

    Texts and labels are escaped; a rejected binary span is struck through.
    """
    colors = label_colors(result.labels)
    parts = [
        "<!doctype html><meta charset='utf-8'><title>nerforge agreement</title>",
        f"<style>{PAGE_STYLE}{MARK_STYLE}</style>",
        f"<h1>{escape(title)}</h1>",
        _figures(result),
        f"<h2>Disputed texts ({len(result.disputed)})</h2>",
        *(_disputed(text, colors) for text in result.disputed),
    ]
    with atomic_text_writer(path) as handle:
        handle.write("".join(parts))


def _figures(result: Agreement) -> str:
    rows = [
        f"<tr><td>{escape(pair.first)} / {escape(pair.second)}</td><td>{escape(f1.label)}</td>"
        f"<td>{f1.exact.n_texts}</td><td>{f1.exact.describe(undefined=NO_VALUE)}</td><td>{f1.partial.describe(undefined=NO_VALUE)}</td></tr>"
        for pair in result.spans.pairs
        for f1 in (pair.overall, *pair.per_label)
    ]
    rows += [
        f"<tr><td>{escape(pair.first)} / {escape(pair.second)}</td><td>binary kappa</td>"
        f"<td>{pair.kappa.n_texts}</td><td>{pair.kappa.describe(undefined=NO_VALUE)}</td><td></td></tr>"
        for pair in result.binary.pairs
    ]
    alpha, fleiss = result.spans.alpha, result.binary.fleiss
    return (
        "<table class='scores'><tr><th>pair</th><th>label</th><th>texts</th><th>exact F1</th>"
        "<th>partial F1</th></tr>" + "".join(rows) + "</table>"
        f"<p>Krippendorff's alpha over tokens: {alpha.describe(undefined=NO_VALUE)} on {alpha.n_texts} "
        "text(s); "
        f"Fleiss' kappa on binary units: {fleiss.describe(undefined=NO_VALUE)} on {fleiss.n_texts} text(s). "
        "Intervals: bootstrap 95%, resampling texts.</p>"
    )


def _disputed(disputed: DisputedText, colors: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><th>{escape(annotator)}</th><td>{_marked(disputed.text, spans, colors)}</td></tr>"
        for annotator, spans in disputed.versions.items()
    )
    return f"<h3>{disputed.n_disputed} disputed</h3><table>{rows}</table>"


def _marked(text: str, spans: tuple[Span, ...], colors: dict[str, str]) -> str:
    """The text, escaped, with each span in a coloured mark labelled with its label."""
    pieces, at = [], 0
    for span in sorted(spans):
        if span.start < at:  # a binary unit overlapping another: shown once, in its own place
            continue
        color = colors.get(span.label, "#ddd")
        kind = " class='reject'" if span.is_rejected else ""
        pieces.append(escape(text[at : span.start]))
        pieces.append(
            f"<mark style='background:{color}'{kind}>{escape(span.text_in(text))}"
            f"<small>{escape(span.label)}</small></mark>"
        )
        at = span.end
    pieces.append(escape(text[at:]))
    return "".join(pieces)
