"""`nerforge lint`: check training data for the mistakes that silently ruin a model."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    EXIT_USER_ERROR,
    AnswerKindOption,
    LangOption,
    TokenizerRulesOption,
    answer_kind_option,
    check_output_path,
    labels_option,
    msg,
    reports_errors,
    status_output,
)
from .db import StoreOption, use_store

if TYPE_CHECKING:
    from ..lint import LintReport
    from ..lint.findings import Finding

SHOWN_PER_CODE = 10  # findings printed per code; the rest are counted (all of them go to --json)
EXAMPLES_SHOWN = 5  # examples printed per finding; --json has them all
_TITLES = {"error": "error", "warning": "warning", "info": "note"}


@reports_errors
def lint_cli(
    data: Annotated[str, typer.Argument(help="Training data in any format nerforge reads; '-' for stdin.")],
    dev: Annotated[
        str | None, typer.Option("--dev", help="Development data: checked too, and compared with DATA.")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Pipeline (package or path) the data would update: runs its NER, and spans are checked "
            "against its tokenizer (a pipeline without an NER, e.g. from `nerforge tokenizer add`, gives "
            "the tokenizer alone).",
        ),
    ] = None,
    new_labels: Annotated[
        str | None,
        typer.Option("--new-labels", help="Comma-separated labels new to the model, e.g. WEBSITE,GADGET."),
    ] = None,
    lang: LangOption = "en",
    json_out: Annotated[
        str | None, typer.Option("--json", help="Also write every finding as JSON here ('-' for stdout).")
    ] = None,
    fix_tokenizer: Annotated[
        str | None,
        typer.Option(
            "--fix-tokenizer",
            help="Write the tokenizer rules that would align spans cutting tokens (L110) to this RULES file.",
        ),
    ] = None,
    rejects: Annotated[
        str | None,
        typer.Option(
            "--rejects",
            help="Write every record that can't be read (its line and the reason) to this JSONL file.",
        ),
    ] = None,
    answer_kind: AnswerKindOption = "auto",
    tokenizer_rules: TokenizerRulesOption = None,
    db: StoreOption = None,
) -> None:
    """Check NER training data: token alignment, inconsistent labels, amounts, label scheme, hygiene.

    Prints the findings grouped by severity, with how to fix each, and exits with 1 if
    any is an error, so it can gate a pipeline. Files of any size are streamed (``.gz``
    too); a record that can't be read is reported with its line, and reading goes on.
    """
    use_store(db)
    from ..lint import lint, write_report

    check_output_path(json_out)
    check_output_path(fix_tokenizer)
    check_output_path(rejects)
    report = lint(
        data,
        dev=dev,
        base=base,
        new_labels=labels_option(new_labels),
        lang=lang,
        answer_kind=answer_kind_option(answer_kind),
        fix_tokenizer=fix_tokenizer,
        rejects=rejects,
        tokenizer_rules=tokenizer_rules,
    )
    if json_out is not None:
        write_report(report, json_out)
    with status_output("-" in (json_out, fix_tokenizer, rejects)):
        print_report(report)
        if fix_tokenizer is not None:
            _report_rules(report, fix_tokenizer, base or f"blank:{lang}")
        n_rejected = sum(corpus.n_rejected for corpus in report.corpora)
        if rejects is not None and n_rejected:
            msg.info(f"Wrote the {n_rejected} unreadable record(s), with their reasons, to {rejects}.")
    if report.has_errors:
        raise typer.Exit(EXIT_USER_ERROR)


def print_report(report: LintReport) -> None:
    """What was read, the findings by severity (errors first) with counts, and the verdict."""
    for corpus in report.corpora:
        labels = ", ".join(f"{label} {n}" for label, n in corpus.label_counts.items()) or "no spans"
        read = f"{corpus.n_tasks} tasks ({corpus.n_complete} complete)"
        if corpus.n_rejected:
            read += f", {corpus.n_rejected} unreadable record(s) left out"
        typer.echo(f"{corpus.path}: {read}; {labels}")
    for severity, n in report.counts.items():
        if n:
            msg.divider(f"{n} {_TITLES[severity]}{'s' if n != 1 else ''}")
            for code, findings in groupby(report.with_severity(severity), key=lambda f: f.code):
                _print_code(code, list(findings))
    if report.has_errors:
        msg.fail(report.verdict)
    else:
        msg.good(report.verdict)


def _print_code(code: str, findings: list[Finding]) -> None:
    for finding in findings[:SHOWN_PER_CODE]:
        typer.echo(f"{code} {finding.location}: {finding.message}")  # unwrapped: paths and lines stay whole
        for example in finding.examples[:EXAMPLES_SHOWN]:
            typer.echo(f"    {example}")
        if len(finding.examples) > EXAMPLES_SHOWN:
            typer.echo(f"    ... and {len(finding.examples) - EXAMPLES_SHOWN} more (--json lists them all)")
    if len(findings) > SHOWN_PER_CODE:
        typer.echo(f"... and {len(findings) - SHOWN_PER_CODE} more {code} findings (--json writes them all).")


def _report_rules(report: LintReport, path: str, base: str) -> None:
    n = len(report.tokenizer_rules)
    if not n:
        msg.info(f"No tokenizer rule to propose: nothing written to {path}.")
        return
    msg.good(
        f"Wrote {n} tokenizer rule{'s' if n != 1 else ''} to {path}: add them with "
        f"`nerforge tokenizer add {path} --base {base} -o DIR`."
    )
