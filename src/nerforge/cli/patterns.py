"""`nerforge patterns ...`: what the patterns alone are worth."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import answer_kind_option, check_output_path, msg, reports_errors
from .evaluate import show_evaluation

patterns_app = typer.Typer(
    help="Judge pattern files against reviewed or gold data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


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
    answer_kind: Annotated[
        str, typer.Option("--answer-kind", help="How accepted answers without 'complete' are read.")
    ] = "auto",
) -> None:
    """P/R/F of the patterns alone on gold data: the baseline a trained model must beat."""
    from ..evaluation.evaluate import write_evaluation_html
    from ..evaluation.pattern_scores import score_patterns

    check_output_path(html_out)
    result = score_patterns(patterns, test, lang=lang, answer_kind=answer_kind_option(answer_kind))
    show_evaluation(result)
    if html_out is not None:
        write_evaluation_html(result, html_out, errors_only=errors_only)
        msg.good(f"Gold vs matched: {html_out}")
