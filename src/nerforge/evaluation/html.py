"""displaCy HTML pages: gold next to predicted for an evaluation, predictions for exploring."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy import displacy
from spacy.tokens import Doc

from ..docs import task_to_doc
from ..io.files import atomic_text_writer
from ..pipelines import entity_labels
from ..records import Span, Task
from .predict import DEFAULT_BATCH_SIZE, predict_spans

if TYPE_CHECKING:
    from spacy.language import Language

    from .results import Evaluation

# One colour a label, in order of the sorted labels: distinct on screen and in print.
PALETTE = (
    "#7aecec", "#feca74", "#aa9cfc", "#bfeeb7", "#ff9561", "#c887fb", "#9cc9cc", "#ffeb80",
    "#e4e7d2", "#f0a3c4", "#b6d7a8", "#ffd8b1", "#a8c6fa", "#d9d9d9",
)  # fmt: skip
PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem}"
    "td{vertical-align:top;border-bottom:1px solid #ddd;padding:4px}"
    "table.scores td,table.scores th{padding:2px 10px;text-align:right}"
    "table.scores td:first-child{text-align:left}"
)


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """A colour for each label, stable for the same set of labels."""
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(sorted(set(labels)))}


MAX_PAGE_TASKS = 2000  # texts with entities an evaluation page keeps: more than a person reads


class EvaluationPage:
    """displaCy HTML of gold next to predicted entities, with the score table on top.

    Pass ``page.add`` as ``on_scored`` to ``evaluate`` or ``score_patterns``: it keeps the
    first ``MAX_PAGE_TASKS`` tasks with any entity (with ``errors_only``, any error) and counts
    the rest, so the page stays readable and memory stays flat whatever the test set's size.
    Then ``write`` the page with the evaluation's scores.
    """

    def __init__(self, *, errors_only: bool = False) -> None:
        self.errors_only = errors_only
        self.rows_: list[tuple[Task, list[Span]]] = []
        self.n_left_out_ = 0

    def add(self, task: Task, predicted: list[Span]) -> None:
        """Keep one scored task and its predictions, if it has entities and there is room."""
        if not task.spans and not predicted:
            return
        if self.errors_only and not _differs(task, predicted, None):
            return
        if len(self.rows_) < MAX_PAGE_TASKS:
            self.rows_.append((task, predicted))
        else:
            self.n_left_out_ += 1

    def write(self, evaluation: Evaluation, path: str | Path) -> None:
        """Write the page (atomically): the scores, then gold next to predicted for each task kept."""
        labels = {s.label for task, predicted in self.rows_ for s in (*task.spans, *predicted)}
        options = {"colors": label_colors(labels)}
        rows = []
        for task, predicted in self.rows_:
            if self.errors_only and not _differs(task, predicted, evaluation.labels):
                continue
            gold = _render_spans(task.text, task.accepted_spans, options)
            found = _render_spans(task.text, sorted(predicted), options)
            rows.append(f"<tr><td>{gold}</td><td>{found}</td></tr>")
        title = "Errors" if self.errors_only else "Gold vs predicted"
        html = (
            "<!doctype html><meta charset='utf-8'><title>nerforge evaluation</title>"
            f"<style>{PAGE_STYLE}</style>"
            f"<h1>{title} ({escape(', '.join(evaluation.labels))})</h1>"
            + _score_table(evaluation)
            + f"<p>{len(rows)} task(s) shown.{self._left_out()}</p>"
            + "<table><tr><th>gold</th><th>predicted</th></tr>"
            + "".join(rows)
            + "</table>"
        )
        with atomic_text_writer(path) as handle:
            handle.write(html)

    def _left_out(self) -> str:
        if not self.n_left_out_:
            return ""
        kept = len(self.rows_)
        return f" The first {kept:,} tasks are kept for this page; {self.n_left_out_:,} more were scored."


def _differs(task: Task, predicted: list[Span], labels: list[str] | None) -> bool:
    """Whether gold and predicted differ on ``labels`` (None: on any label)."""
    gold = {(s.start, s.end, s.label) for s in task.accepted_spans if labels is None or s.label in labels}
    found = {(s.start, s.end, s.label) for s in predicted if labels is None or s.label in labels}
    return gold != found


def _score_table(evaluation: Evaluation) -> str:
    scores = evaluation.scores
    rows = [(label, prf) for label, prf in sorted(scores.per_label.items())] + [("ALL", scores.overall)]
    cells = "".join(
        f"<tr><td>{escape(label)}</td><td>{100 * prf.precision:.1f}</td><td>{100 * prf.recall:.1f}</td>"
        f"<td>{100 * prf.f:.1f}</td><td>{prf.tp}</td><td>{prf.fp}</td><td>{prf.fn}</td></tr>"
        for label, prf in rows
    )
    low, high = evaluation.f_interval
    return (
        "<table class='scores'><tr><th>label</th><th>P</th><th>R</th><th>F</th>"
        f"<th>TP</th><th>FP</th><th>FN</th></tr>{cells}</table>"
        f"<p>F 95% interval (bootstrap over tasks): {100 * low:.1f} to {100 * high:.1f}</p>"
    )


def _render_spans(text: str, spans: Iterable[Span], options: dict[str, Any]) -> str:
    """displaCy's entity markup from character offsets: with no tokenizer, a span that cuts a token shows."""
    ents = [{"start": s.start, "end": s.end, "label": s.label} for s in spans]
    with warnings.catch_warnings():  # W006, "no entities to visualize", is expected for many rows
        warnings.filterwarnings("ignore", message=r"\[W006\]")
        markup = displacy.render({"text": text, "ents": ents}, style="ent", manual=True, options=options)
    return str(markup)


def _render(doc: Doc, options: dict[str, Any]) -> str:
    with warnings.catch_warnings():  # W006, "no entities to visualize", is expected for many rows
        warnings.filterwarnings("ignore", message=r"\[W006\]")
        return str(displacy.render(doc, style="ent", jupyter=False, options=options))


def explore_html(
    nlp: Language,
    texts: Iterable[str],
    path: str | Path,
    *,
    labels: Iterable[str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> None:
    """displaCy entity HTML of the model's predictions on the texts (only ``labels``, if given)."""
    keep = frozenset(labels) if labels is not None else None
    text_list = list(texts)  # small by nature: a page for a person to read
    docs = []
    make_doc = nlp.make_doc
    for text, spans in zip(text_list, predict_spans(nlp, text_list, batch_size=batch_size), strict=True):
        kept = tuple(sorted(s for s in spans if keep is None or s.label in keep))
        docs.append(task_to_doc(Task(text, kept), make_doc))
    all_labels = entity_labels(nlp)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W006\]")
        html = displacy.render(
            docs, style="ent", page=True, jupyter=False, options={"colors": label_colors(all_labels)}
        )
    with atomic_text_writer(path) as handle:
        handle.write(str(html))
