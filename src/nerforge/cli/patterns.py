"""`nerforge patterns ...`: what the patterns alone are worth."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    AnswerKindOption,
    InputFormatOption,
    answer_kind_option,
    check_output_path,
    command_group,
    format_option,
    msg,
    reports_errors,
)
from .db import StoreOption, use_store
from .evaluate import show_evaluation

if TYPE_CHECKING:
    from ..patterns.report import PatternsReport

patterns_app = command_group("Judge pattern files against reviewed or gold data.")


@patterns_app.command("score")
@reports_errors
def score_cli(
    patterns: Annotated[str, typer.Argument(help="Pattern JSONL file.")],
    test: Annotated[str, typer.Argument(help="Gold tasks in any format; '-' for stdin.")],
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the tokenizer the patterns match on.")
    ] = "en",
    html_out: Annotated[
        str | None, typer.Option("--html", help="Write gold vs matched as displaCy HTML, with the scores.")
    ] = None,
    errors_only: Annotated[
        bool, typer.Option("--errors-only", help="With --html: show only the texts with an error.")
    ] = False,
    answer_kind: AnswerKindOption = "auto",
    input_format: InputFormatOption = None,
    db: StoreOption = None,
) -> None:
    """P/R/F of the patterns alone on gold data: the baseline a trained model must beat."""
    use_store(db)
    from ..evaluation.html import EvaluationPage
    from ..evaluation.pattern_scores import score_patterns

    check_output_path(html_out)
    page = EvaluationPage(errors_only=errors_only) if html_out is not None else None
    result = score_patterns(
        patterns,
        test,
        lang=lang,
        answer_kind=answer_kind_option(answer_kind),
        format=format_option(input_format, "--input-format"),
        on_scored=page.add if page is not None else None,
    )
    show_evaluation(result)
    if page is not None and html_out is not None:
        page.write(result, html_out)
        msg.good(f"Gold vs matched: {html_out}")


@patterns_app.command("report")
@reports_errors
def report_cli(
    patterns: Annotated[str, typer.Argument(help="Pattern JSONL file.")],
    reviewed: Annotated[
        str, typer.Option("--on", help="Reviewed tasks (any format, or db:DATASET) to judge the patterns by.")
    ],
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the tokenizer the patterns match on.")
    ] = "en",
    json_out: Annotated[str | None, typer.Option("--json", help="Also write the report as JSON.")] = None,
    answer_kind: AnswerKindOption = "auto",
    input_format: InputFormatOption = None,
    db: StoreOption = None,
) -> None:
    """Each pattern's precision on reviewed data, each label's coverage, and the families no pattern reaches.

    A match is kept, extended, shrunk, relabelled or rejected by the review; precision is
    kept / judged, with a 95% Wilson interval. Patterns wrong more often than right are
    named to drop, those often resized to fix.
    """
    import spacy

    from ..io import read_tasks
    from ..patterns import load_patterns
    from ..patterns.report import report_patterns

    use_store(db)
    check_output_path(json_out)
    report = report_patterns(
        load_patterns(patterns),
        read_tasks(
            reviewed,
            answer_kind=answer_kind_option(answer_kind),
            format=format_option(input_format, "--input-format"),
        ),
        nlp=spacy.blank(lang),
    )
    show_patterns_report(report)
    if json_out is not None:
        from ..io.files import write_json_report

        write_json_report(report.to_dict(), json_out)
        msg.good(f"Report: {json_out}")


def show_patterns_report(report: PatternsReport) -> None:
    """The per-pattern table, then coverage and uncovered families per label."""
    rows = []
    for row in sorted(report.patterns, key=lambda r: (r.advice == "", -r.n_matches)):
        low, high = row.precision_interval
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(row.outcomes.items(), key=lambda kv: -kv[1]))
        precision = f"{100 * row.precision:.0f} ({100 * low:.0f}-{100 * high:.0f})" if row.n_judged else "-"
        rows.append((row.pattern_id, row.label, row.n_matches, precision, outcomes or "-", row.advice))
    msg.table(
        rows,
        header=("pattern", "label", "matches", "precision % (95%)", "outcomes", "advice"),
        divider=True,
        aligns=("l", "l", "r", "r", "l", "l"),
    )
    for row in report.patterns:
        for outcome, shown in row.examples.items():
            if row.advice in ("drop", "fix extent"):
                typer.echo(f"  {row.pattern_id}: {outcome}, e.g. {', '.join(repr(e) for e in shown)}")
    for coverage in report.coverage:
        low, high = coverage.interval
        msg.divider(f"Coverage of {coverage.label}")
        typer.echo(
            f"{coverage.n_found} of {coverage.n_entities} reviewed {coverage.label} entities matched exactly "
            f"({100 * coverage.share:.0f}%, 95% {100 * low:.0f}-{100 * high:.0f}); {coverage.n_partial} only "
            "in part; the rest by no pattern at all."
        )
        if coverage.uncovered_families:
            typer.echo("Families no pattern reaches (write patterns for these):")
            for family, n, examples in coverage.uncovered_families:
                typer.echo(f"  {family!r} {n}x, e.g. {', '.join(repr(e) for e in examples)}")
