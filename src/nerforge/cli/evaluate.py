"""`nerforge evaluate` and `explore`: see how good a model is (`predict` is in cli/predict.py)."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Annotated

import typer

from ._cats import show_cats
from ._common import (
    AnswerKindOption,
    InputFormatOption,
    answer_kind_option,
    check_output_path,
    format_option,
    labels_option,
    msg,
    reports_errors,
)
from ._scale import MAX_TEXT_CHARS, MaxCharsOption, StrictOption, report_rejects
from .db import StoreOption, use_store

if TYPE_CHECKING:
    from ..evaluation.forgetting import ForgettingReport
    from ..evaluation.results import Evaluation
    from ..evaluation.scoring import PRF

ERROR_KINDS = {
    "boundary": "right label, wrong extent",
    "label": "right extent, wrong label",
    "label_and_boundary": "wrong label and extent",
    "spurious": "predicted where there is no entity",
    "missed": "entity not found at all",
}


@reports_errors
def evaluate_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    test: Annotated[str, typer.Argument(help="Gold tasks in any format; '-' for stdin.")],
    labels: Annotated[
        str | None,
        typer.Option(
            "--labels",
            help="Comma-separated labels to score (default: the model's labels the gold annotates).",
        ),
    ] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the full report as JSON.")] = None,
    base: Annotated[
        str | None,
        typer.Option("--base", help="The pipeline MODEL was updated from: adds the forgetting report."),
    ] = None,
    html_out: Annotated[
        str | None, typer.Option("--html", help="Write gold vs predicted as displaCy HTML, with the scores.")
    ] = None,
    errors_only: Annotated[
        bool, typer.Option("--errors-only", help="With --html: show only the texts with an error.")
    ] = False,
    min_support: Annotated[
        int,
        typer.Option(
            "--min-support",
            min=1,
            help="With --base: entities an old label needs before its change is judged.",
        ),
    ] = 20,
    input_format: InputFormatOption = None,
    answer_kind: AnswerKindOption = "auto",
    rejects: Annotated[
        str | None,
        typer.Option(
            "--rejects",
            help="Where unreadable test records go, with line and reason (default: beside --json, if given).",
        ),
    ] = None,
    strict: StrictOption = False,
    max_chars: MaxCharsOption = MAX_TEXT_CHARS,
    db: StoreOption = None,
) -> None:
    """P/R/F overall and per label, and where the errors are (missing-aware).

    Only the labels the gold annotates are scored; the model's other labels are listed as
    skipped. Scores are percentages, with a bootstrap 95% interval for F. The test set is
    streamed: a record that can't be read is rejected with its line and the rest is scored
    (--strict makes that exit 1).
    """
    use_store(db)
    from ..io import holds_syntax

    if holds_syntax(test):  # tags and trees: TAG/POS accuracy, UAS, LAS (and the base's)
        from ._syntax import evaluate_syntax_cli

        evaluate_syntax_cli(model, test, base, json_out)
        return
    from ..evaluation.evaluate import evaluate
    from ..evaluation.forgetting import Thresholds
    from ..evaluation.html import EvaluationPage
    from ..io.streaming import default_rejects_path

    for path in (json_out, html_out, rejects):
        check_output_path(path)
    if rejects is None and json_out is not None:
        rejects = default_rejects_path(json_out)
    page = EvaluationPage(errors_only=errors_only) if html_out is not None else None
    result = evaluate(
        model,
        test,
        labels=labels_option(labels),
        base=base,
        format=format_option(input_format, "--input-format"),
        answer_kind=answer_kind_option(answer_kind),
        thresholds=Thresholds(min_support=min_support),
        rejects=rejects,
        max_chars=max_chars,
        on_scored=page.add if page is not None else None,
    )
    show_evaluation(result)
    if result.forgetting is not None:
        show_forgetting(result.forgetting, base or "")
    if json_out is not None:
        from ..io.files import write_json_report

        write_json_report(result.to_dict(), json_out)
        msg.good(f"Report: {json_out}")
    if page is not None and html_out is not None:
        page.write(result, html_out)
        msg.good(f"Gold vs predicted: {html_out}")
    if result.stream is not None:
        report_rejects(result.stream, test, strict=strict)


def show_evaluation(result: Evaluation) -> None:
    """Print the score table (percentages), the error breakdown with an example each, and caveats."""
    if result.cats is not None:
        show_cats(result.cats, "Text categories")
        if not result.labels:  # a text classifier alone, or gold with categories only
            return
    scores = result.scores
    rows = [(label, *_prf_cells(prf)) for label, prf in sorted(scores.per_label.items())]
    rows.append(("ALL", *_prf_cells(scores.overall)))
    msg.table(
        rows,
        header=("label", "P", "R", "F", "TP", "FP", "FN"),
        divider=True,
        aligns=("l", "r", "r", "r", "r", "r", "r"),
    )
    low, high = result.f_interval
    msg.text(
        f"F {100 * scores.overall.f:.1f}, 95% interval {100 * low:.1f} to {100 * high:.1f} "
        "(bootstrap over tasks)"
    )
    if result.is_small:
        msg.warn(
            f"Only {result.n_gold_spans} gold entities: a few errors move F by points. "
            "Label more test texts before comparing models on small differences."
        )
    _show_errors(result)
    _show_scope(result)


def _show_errors(result: Evaluation) -> None:
    scores = result.scores
    for kind, meaning in ERROR_KINDS.items():
        n = scores.error_counts.get(kind, 0)
        if n:
            example = scores.error_examples[kind][0]
            gold = example.gold and example.text[example.gold.start : example.gold.end]
            predicted = example.predicted and example.text[example.predicted.start : example.predicted.end]
            msg.text(f"{kind} ({meaning}): {n}, e.g. gold {gold!r} vs predicted {predicted!r}")


def _show_scope(result: Evaluation) -> None:
    if result.n_cut_spans:
        msg.warn(
            f"{_plural(result.n_cut_spans, 'gold span')} start or end inside a token, so no model with "
            "this tokenizer can predict them exactly (scored as they are): "
            + "; ".join(result.cut_examples)
            + ". Fix the offsets (`nerforge lint TEST` names the nearest token boundaries) or add a "
            "tokenizer rule (`nerforge lint TEST --fix-tokenizer RULES.jsonl`)."
        )
    if result.skipped_labels:
        msg.info(
            f"Not scored: {', '.join(result.skipped_labels)} (the model predicts them, the test data "
            "never annotates them). Pass --labels to score them anyway."
        )
    if result.unscored_labels:
        described = ", ".join(f"{label} ({n})" for label, n in result.unscored_labels.items())
        msg.info(f"Not scored: {described} (in the gold, not among the labels scored)")
    if result.n_ignored_tasks:
        msg.info(f"{_plural(result.n_ignored_tasks, 'task')} answered 'ignore' were not scored")
    if result.n_partial_tasks:
        n_tasks = _plural(result.n_partial_tasks, "task")
        n_unknown = _plural(result.scores.n_ignored_predictions, "prediction")
        msg.info(
            f"Binary (or partial) answers in {n_tasks}: precision estimated on answered spans only; "
            f"{n_unknown} on tokens nobody answered counted neither way. Score on texts labelled in "
            "full to measure precision."
        )
    elif result.scores.n_ignored_predictions:
        msg.info(
            f"{_plural(result.scores.n_ignored_predictions, 'prediction')} fell on unannotated (missing) "
            "text and were not counted"
        )


def show_forgetting(report: ForgettingReport, base: str) -> None:
    """Old labels: base F vs updated F, the change, the support, and a verdict that agrees with the table."""
    msg.divider(f"Forgetting: old labels of {base}")
    verdicts = {"dropped": "DROP", "too_few": "too few to judge", "kept": "kept"}
    table = [
        (
            r.label,
            f"{100 * r.base_f:.1f}",
            f"{100 * r.updated_f:.1f}",
            f"{100 * r.change:+.1f}",
            r.reference,
            r.support,
            verdicts[r.verdict],
        )
        for r in report.rows
    ]
    msg.table(
        table,
        header=("label", "base F", "updated F", "change", "against", "support", "verdict"),
        divider=True,
        aligns=("l", "r", "r", "r", "l", "r", "l"),
    )
    _forgetting_verdict(report)


def _forgetting_verdict(report: ForgettingReport) -> None:
    min_support = report.thresholds.min_support
    if report.dropped:
        msg.warn(
            f"Forgot part of {', '.join(r.label for r in report.dropped)}: train with rehearsal (the default "
            "with --base), add --rehearse with raw texts, or label those entities in your data."
        )
    unjudged = report.unjudged_losses
    if unjudged:
        described = ", ".join(f"{r.label} {100 * r.change:+.1f} on {r.support}" for r in unjudged)
        msg.warn(
            f"Lost ground on too few entities to judge ({described}; {min_support} needed): "
            "check on a test set that holds more of them (--min-support sets the threshold)."
        )
    judged = [r for r in report.rows if r.verdict != "too_few"]
    if not report.dropped and not unjudged:
        msg.good(
            f"No old label dropped: {len(judged)} judged, {len(report.too_few)} with fewer than "
            f"{min_support} entities too few to judge."
        )


def _prf_cells(prf: PRF) -> tuple[str, str, str, int, int, int]:
    return (
        f"{100 * prf.precision:.1f}",
        f"{100 * prf.recall:.1f}",
        f"{100 * prf.f:.1f}",
        prf.tp,
        prf.fp,
        prf.fn,
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@reports_errors
def explore_cli(
    model: Annotated[str, typer.Argument(help="Pipeline (package name or path).")],
    texts: Annotated[str, typer.Argument(help="Texts: .txt one a line, or any task file; '-' for stdin.")],
    html_out: Annotated[
        str | None, typer.Option("--html", help="Write displaCy HTML instead of the table.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many texts to show.")] = 20,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated labels to show (default: all).")
    ] = None,
    input_format: InputFormatOption = None,
) -> None:
    """The table "text → entities" for a few texts, or displaCy HTML."""
    from ..evaluation.evaluate import explore, explore_html
    from ..io import read_tasks

    check_output_path(html_out)
    tasks = read_tasks(texts, format=format_option(input_format, "--input-format"))
    chosen = [task.text for _, task in zip(range(limit), tasks, strict=False)]
    if html_out is not None:
        explore_html(model, chosen, html_out, labels=labels_option(labels))
        msg.good(f"Wrote {html_out}")
        return
    rows = [
        (text, ", ".join(f"{t} [{label}]" for t, label in ents) or "-")
        for text, ents in explore(model, chosen, labels=labels_option(labels))
    ]
    show_explored(rows)


def show_explored(rows: list[tuple[str, str]]) -> None:
    """The "text → entities" table, wrapped to the terminal so no cell overflows its column."""
    from textwrap import wrap

    width = max(60, min(shutil.get_terminal_size().columns, 140)) - 4
    text_width = width * 3 // 5
    entity_width = width - text_width
    lines: list[tuple[str, str]] = []
    for text, entities in rows:
        left, right = wrap(text, text_width) or [""], wrap(entities, entity_width) or [""]
        lines += [
            (left[i] if i < len(left) else "", right[i] if i < len(right) else "")
            for i in range(max(len(left), len(right)))
        ]
    msg.table(lines, header=("text", "entities"), divider=True, widths=(text_width, entity_width), spacing=2)
