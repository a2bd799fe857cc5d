"""`nerforge demo`: the whole workflow on the shipped demo corpus, explained as it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ._cats import show_cats
from ._common import msg, reports_errors
from ._scale import plural
from .bootstrap import report_counts
from .evaluate import show_evaluation, show_explored, show_forgetting
from .lint import print_report

# `make demo` installs the dev extra only; annotate needs the web one (else E404)
WEB_EXTRA_INSTALL = ".venv/bin/pip install 'nerforge[web]'"

if TYPE_CHECKING:
    from ..demo import DemoResult


@reports_errors
def demo_cli(
    output: Annotated[
        str, typer.Option("--output", "-o", help="Folder for everything the demo writes.")
    ] = "demo-output",
    quick: Annotated[
        bool,
        typer.Option(
            "--quick",
            help="A cut-down run (120 comments, 2 epochs, under a minute): checks that every step works.",
        ),
    ] = False,
) -> None:
    """Bootstrap, lint, train, evaluate and explore a GADGET model on the shipped demo corpus."""
    from ..demo import FULL, QUICK, run_demo

    last_step = ""
    for step, result, progress in run_demo(output, size=QUICK if quick else FULL):
        if step in ("train", "update"):
            if step != last_step:
                _announce(step, result)
                last_step = step
            if progress is not None and progress.scores is not None and progress.is_best:
                kept = "the last: kept" if progress.final else "best so far"
                msg.text(f"  step {progress.step:>4}: dev F {100 * progress.scores.overall.f:.1f} ({kept})")
            continue
        last_step = step
        _SHOW[step](result)


def _announce(step: str, result: DemoResult) -> None:
    from ..demo import COMMENTS, PRETRAINED, REVIEWED
    from ..training.defaults import BESIDE_MAX_EPOCHS

    epochs = result.size.max_epochs or BESIDE_MAX_EPOCHS
    if step == "train":
        msg.divider("3. Train a GADGET model on the reviewed tasks")
        msg.text(
            f"From the store's {REVIEWED.name} answers (the review step for the {COMMENTS.name} "
            "tasks, shipped so the demo runs unattended). 20% is held out for model selection."
        )
    else:
        msg.divider(f"7. Update the pretrained {PRETRAINED} with GADGET, without forgetting")
        msg.text(
            "GADGET is new to it, so a NER of its own learns it, placed before the pipeline's NER, "
            "which stays as it was, like the tagger, the parser and the rest: PERSON, ORG, GPE... "
            "change only where a GADGET takes their words. Texts of general English are its "
            f"negatives. It trains {epochs} epochs and keeps the last."
        )


def _show_bootstrap(result: DemoResult) -> None:
    from ..demo import COMMENTS, PATTERNS

    msg.divider("1. Bootstrap silver data from patterns")
    msg.text(f"Texts: {COMMENTS.name}, patterns: {PATTERNS.name} (covering about half the gadget families)")
    assert result.counts is not None
    msg.good(f"Wrote {plural(result.counts.n_texts, 'silver task')} to {result.silver}")
    report_counts(result.counts)


def _show_lint(result: DemoResult) -> None:
    msg.divider("2. Lint: is the data fit to train on?")
    assert result.silver_lint is not None and result.reviewed_lint is not None
    msg.text("The silver tasks:")
    print_report(result.silver_lint)
    from ..demo import REVIEWED

    msg.text(f"The reviewed tasks ({REVIEWED.name}):")
    print_report(result.reviewed_lint)


def _show_review(result: DemoResult) -> None:
    from ..demo import REVIEW_DATASET, REVIEWED, REVIEWER

    msg.divider("Review: correct the silver tasks in the browser")
    msg.text("Review the silver data yourself (answers are saved in the store as you give them):")
    typer.echo(f"  {WEB_EXTRA_INSTALL}   # the review page's extra, once (make demo leaves it out)")
    typer.echo(
        f"  nerforge annotate my-review {result.silver} --labels GADGET --db {result.store}"
        "   # then open http://127.0.0.1:8080"
    )
    msg.text(
        f"The demo goes on with {REVIEWED.name}, the outcome of such a review, recorded in the store as "
        f"{result.n_stored} answers by '{REVIEWER}' (dataset {REVIEW_DATASET}); it trains from there, as "
        f"`nerforge train db:{REVIEW_DATASET} --db {result.store}` would."
    )


def _show_evaluation(result: DemoResult) -> None:
    from ..demo import EVALUATION

    msg.divider(f"4. Evaluate on {EVALUATION.name} (hand-labelled, never trained on)")
    assert result.evaluation is not None and result.patterns_only is not None
    show_evaluation(result.evaluation)
    patterns = result.patterns_only.overall
    generalization = result.generalization
    msg.text(
        f"Patterns alone: F {100 * patterns.f:.1f} "
        f"(P {100 * patterns.precision:.1f}, R {100 * patterns.recall:.1f})"
    )
    msg.text(
        f"Gadgets the patterns miss: {generalization.n_missed_by_patterns}; the model finds "
        f"{generalization.n_found_by_model} of them ({generalization.share:.0%})"
    )
    msg.divider("5. Explore")
    rows = [(text, ", ".join(f"{t} [{label}]" for t, label in ents) or "-") for text, ents in result.explored]
    show_explored(rows)


def _show_beyond(result: DemoResult) -> None:
    from ..demo import EVALUATION, REVIEWED
    from ..demo.beyond import CATEGORY, CATEGORY_EPOCHS, SPAN_LABEL

    epochs = result.size.category_epochs or CATEGORY_EPOCHS
    msg.divider("6. Beyond NER: a text classifier and a tokenizer rule")
    categories, fix = result.categories, result.tokenizer_fix
    assert categories is not None and fix is not None
    msg.text(
        f"Does a comment talk about a gadget? {CATEGORY} is 1.0 where the reviewed task has a {SPAN_LABEL} "
        f"span, else 0.0 ({categories.n_positive} of {categories.n_texts} {REVIEWED.name} comments); a "
        f"bag-of-words text classifier trains {epochs} epochs on them."
    )
    show_cats(categories.scores, f"{EVALUATION.name}, labelled the same way")
    _show_tokenizer_fix(result)


def _show_tokenizer_fix(result: DemoResult) -> None:
    from ..demo.beyond import BLANK_BASE, GLUED
    from ..tokenization import as_rules

    fix = result.tokenizer_fix
    assert fix is not None
    msg.text(f"Tokenizer: lint {GLUED.name}, comments where '+' glues a gadget to the next word:")
    if fix.finding is not None:
        typer.echo(f"{fix.finding.code} {fix.finding.location}: {fix.finding.message}")
    if fix.pipeline is None:
        msg.info("Lint proposed no tokenizer rule.")
        return
    rules = " ".join(rule.describe() for rule in as_rules(fix.rules))
    msg.text(f"Added {rules} to {BLANK_BASE} (saved with it: {fix.pipeline}).")
    if fix.example is not None:
        token, pieces = fix.example
        msg.text(f"{token!r} was one token; now {' '.join(repr(piece) for piece in pieces)}.")
    msg.good(
        f"Spans that cut a token: {fix.n_cut_before} of {fix.n_spans} before the rule, "
        f"{fix.n_cut_after} after."
    )


def _show_forgetting(result: DemoResult) -> None:
    from ..demo import EVALUATION, PRETRAINED

    assert result.update is not None and result.update.forgetting is not None
    msg.text(f"GADGET on {EVALUATION.name}: F {100 * result.update.scores.overall.f:.1f}")
    show_forgetting(result.update.forgetting, PRETRAINED)


def _show_done(result: DemoResult) -> None:
    msg.divider("Summary")
    assert result.evaluation is not None and result.patterns_only is not None
    f, patterns_f = result.evaluation.scores.overall.f, result.patterns_only.overall.f
    msg.good(
        f"A GADGET model: F {100 * f:.1f} on the evaluation set, against {100 * patterns_f:.1f} for the "
        "patterns alone; "
        f"it finds {result.generalization.share:.0%} of the gadgets the patterns miss."
    )
    msg.text(
        f"Model: {result.model} (spacy.load works on it). Report: {result.model.parent / 'training.json'}"
    )
    if result.categories is not None:
        msg.text(f"Text classifier: {result.categories.model}")
    if result.update is not None:
        msg.text(f"Updated pretrained pipeline: {result.updated_model}")
    else:
        msg.info(f"Skipped the second act: {result.update_skipped}")
    msg.text(
        "Next: bootstrap your own texts with your patterns (nerforge bootstrap), review them, "
        "lint, train, and evaluate on texts you labelled by hand."
    )


_SHOW = {
    "bootstrap": _show_bootstrap,
    "lint": _show_lint,
    "review": _show_review,
    "evaluate": _show_evaluation,
    "beyond": _show_beyond,
    "forgetting": _show_forgetting,
    "done": _show_done,
}
