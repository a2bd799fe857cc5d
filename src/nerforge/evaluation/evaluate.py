"""`nerforge evaluate`, `explore` and `predict` as library calls."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import spacy
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc

from ..docs import task_to_doc
from ..io import Format, read_tasks, write_tasks
from ..io.files import atomic_text_writer
from ..pipelines import load_pipeline
from ..records import Span, Task
from .forgetting import LabelRetention, forgetting_report
from .predict import DEFAULT_BATCH_SIZE, predict_spans
from .scoring import Scores, score_tasks


@dataclass
class Evaluation:
    """Scores of a model on a test set, and what was left out of scope.

    Attributes:
        scores: The missing-aware scores over the labels in scope.
        labels: Labels scored: the model's NER labels that the test set uses, or those asked for.
        unscored_labels: Gold labels the model does not predict (left out, with counts).
        tasks: The test tasks and predictions, kept for HTML output.
    """

    scores: Scores
    labels: list[str]
    unscored_labels: dict[str, int] = field(default_factory=dict)
    pairs: list[tuple[Task, list[Span]]] = field(default_factory=list, repr=False)
    forgetting: list[LabelRetention] | None = None

    def to_dict(self) -> dict[str, Any]:
        result = {"labels": self.labels, "unscored_labels": self.unscored_labels, **self.scores.to_dict()}
        if self.forgetting is not None:
            result["forgetting"] = [row.to_dict() for row in self.forgetting]
        return result


def evaluate(
    model: str | Path | Language,
    test: str | Path,
    *,
    labels: Iterable[str] | None = None,
    base: str | Path | None = None,
    format: Format | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Evaluation:
    """Predict on the test tasks and score the predictions (missing-aware).

    Args:
        model: A pipeline (name, path or object) with an NER.
        test: Gold tasks in any format.
        labels: Labels to score; by default the model's labels.
        base: The pipeline the model was updated from: adds the forgetting report.
        format: Override the format the file name implies.
        batch_size: Texts per batch.
    """
    nlp = _pipeline(model)
    # materialised on purpose: a test set is scored as a whole and small enough to hold
    tasks = list(read_tasks(test, format=format))
    scope = sorted(labels) if labels is not None else sorted(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
    gold_counts: dict[str, int] = {}
    for task in tasks:
        for span in task.accepted_spans:
            gold_counts[span.label] = gold_counts.get(span.label, 0) + 1
    predicted = list(predict_spans(nlp, (t.text for t in tasks), batch_size=batch_size))
    scores = score_tasks(tasks, predicted, labels=scope)
    unscored = {label: n for label, n in sorted(gold_counts.items()) if label not in scope}
    evaluation = Evaluation(scores, scope, unscored, list(zip(tasks, predicted, strict=True)))
    if base is not None:
        base_nlp = load_pipeline(base, need_ner=True)
        new = set(nlp.get_pipe("ner").labels) - set(base_nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
        evaluation.forgetting = forgetting_report(nlp, base_nlp, tasks, new_labels=sorted(new))
    return evaluation


def write_evaluation_html(evaluation: Evaluation, path: str | Path, *, lang: str = "en") -> None:
    """displaCy HTML of gold next to predicted entities, one row per task with any entity."""
    make_doc = spacy.blank(lang).make_doc
    rows = []
    for task, predicted in evaluation.pairs:
        if not task.spans and not predicted:
            continue
        gold_doc = task_to_doc(task.with_spans(task.accepted_spans), make_doc)
        predicted_doc = task_to_doc(Task(task.text, tuple(sorted(predicted))), make_doc)
        rows.append(f"<tr><td>{_render(gold_doc)}</td><td>{_render(predicted_doc)}</td></tr>")
    html = (
        "<!doctype html><meta charset='utf-8'><title>nerforge evaluation</title>"
        "<style>td{vertical-align:top;border-bottom:1px solid #ddd;padding:4px}</style>"
        f"<h1>Gold vs predicted ({escape(', '.join(evaluation.labels))})</h1>"
        "<table><tr><th>gold</th><th>predicted</th></tr>" + "".join(rows) + "</table>"
    )
    with atomic_text_writer(path) as handle:
        handle.write(html)


def _render(doc: Doc) -> str:
    with warnings.catch_warnings():  # W006, "no entities to visualize", is expected for many rows
        warnings.filterwarnings("ignore", message=r"\[W006\]")
        return str(displacy.render(doc, style="ent", jupyter=False))


def _pipeline(model: str | Path | Language) -> Language:
    return model if isinstance(model, Language) else load_pipeline(model, need_ner=True)


def explore(
    model: str | Path | Language, texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Yield each text with its predicted entities as ``(text, label)`` pairs: the course's table."""
    nlp = _pipeline(model)
    text_list = list(texts)  # small by nature: a table for a person to read
    for text, spans in zip(text_list, predict_spans(nlp, text_list, batch_size=batch_size), strict=True):
        yield text, [(text[s.start : s.end], s.label) for s in spans]


def explore_html(model: str | Path | Language, texts: Iterable[str], path: str | Path) -> None:
    """displaCy entity HTML of the model's predictions on the texts."""
    nlp = _pipeline(model)
    html = displacy.render(list(nlp.pipe(texts)), style="ent", page=True, jupyter=False)
    with atomic_text_writer(path) as handle:
        handle.write(str(html))


def predict(
    model: str | Path,
    source: str | Path,
    output: str | Path,
    *,
    n_process: int = 1,
    batch_size: int = DEFAULT_BATCH_SIZE,
    input_format: Format | None = None,
    output_format: Format | None = None,
) -> int:
    """Stream tasks through the model and write them with its entities (complete); ``meta`` is kept."""
    nlp = load_pipeline(model, need_ner=True)
    source_tasks, texts = _tee_texts(read_tasks(source, format=input_format))
    predicted = predict_spans(nlp, texts, batch_size=batch_size, n_process=n_process)
    tasks = (
        Task(t.text, tuple(spans), "accept", True, t.meta, t.extra, t.origin)
        for t, spans in zip(source_tasks, predicted, strict=True)
    )
    return write_tasks(tasks, output, format=output_format)


def _tee_texts(tasks: Iterator[Task]) -> tuple[Iterator[Task], Iterator[str]]:
    first, second = itertools.tee(tasks)
    return first, (task.text for task in second)
