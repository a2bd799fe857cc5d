"""What `nerforge train` prints: the run's set-up, a table row per evaluation, and the summary.

Every verdict printed here comes with the report (``TrainingReport``, ``ForgettingReport``,
``DomainReport``); this module only words it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._cats import show_cats
from ._common import msg

if TYPE_CHECKING:
    from ..evaluation.domains import DomainReport
    from ..evaluation.forgetting import ForgettingReport, LabelRetention
    from ..lint import LintReport
    from ..training import Progress, TrainingReport
    from ..training.plan import TrainingPlan

TABLE_WIDTHS = (5, 7, 9, 7, 7, 7, 8)  # epoch, step, loss, P, R, F, seconds


def show_header(plan: TrainingPlan) -> None:
    header: tuple[str, ...] = ("epoch", "step", "loss", "P", "R", "F", "seconds")
    widths: tuple[int, ...] = TABLE_WIDTHS
    if plan.parameters.update is not None:
        header, widths = (*header, "retained"), (*widths, 9)
    if plan.textcat is not None:  # spaCy's cats_score: macro F (exclusive) or macro AUC (multi-label)
        header, widths = (*header, "cats"), (*widths, 9)
    msg.row(header, widths=widths)
    msg.row(["-" * w for w in widths], widths=widths)


def show_setup(plan: TrainingPlan, lint: LintReport | None) -> None:
    params, data = plan.parameters, plan.data
    msg.info(f"Labels: {', '.join(params.labels) or 'none (no NER)'}; {data.train.n_tasks} training tasks")
    if "spancat" in plan.components:
        msg.info("Spans kept under a spans_key (they may overlap): spaCy's span categorizer learns them")
    if plan.textcat is not None:
        classes = ", ".join(plan.components[plan.textcat].labels)
        msg.info(f"Text categories: {classes} ({plan.textcat})")
    if lint is not None and lint.findings:
        counts = lint.counts
        codes = sorted({finding.code for finding in lint.findings if finding.severity == "warning"})
        listed = ", ".join(codes) or "none"
        msg.warn(
            f"Lint: {counts['error']} error(s), {counts['warning']} warning(s) ({listed}); "
            "`nerforge lint` explains each"
        )
    if params.holdout:
        n_all = data.train.n_tasks + data.dev.n_tasks
        msg.info(
            f"No --dev given: holding out {data.dev.n_tasks} of {n_all} tasks "
            f"({data.dev.n_tasks / n_all:.0%}, seeded) for model selection"
        )
    _show_model_setup(plan)


def _show_model_setup(plan: TrainingPlan) -> None:
    params = plan.parameters
    if params.update is not None:
        update = params.update
        if update.trained_ner != "ner":  # new labels alone: the base's NER is not trained at all
            msg.info(
                f"Updating {update.base}: new labels {', '.join(update.new_labels)} learned by "
                f"'{update.trained_ner}', placed before the base's NER, which stays as it was; "
                f"frozen: {', '.join(update.frozen_components)}"
            )
            return
        rehearsal = "on" if update.rehearsal else "OFF: the old labels will be forgotten"
        msg.info(
            f"Updating {update.base}: new labels {', '.join(update.new_labels) or 'none'}, "
            f"rehearsal {rehearsal}; frozen: {', '.join(update.frozen_components)}"
        )
    elif params.transformer is not None:
        transformer = params.transformer
        msg.info(
            f"Backbone: transformer from {transformer['folder']} ({transformer['layers']} layers); "
            f"up to {transformer['max_epochs']} epochs of {transformer['steps_per_epoch']} steps, "
            f"peak learning rate {transformer['learn_rate']:g}"
        )
    elif params.warm_start_why:
        msg.info(f"Warm start: {params.warm_start or 'none'} ({params.warm_start_why})")


def show_row(progress: Progress) -> None:
    from ..training.textcat import cats_score

    assert progress.scores is not None
    overall = progress.scores.overall
    loss = sum(progress.losses.values())
    row: tuple[object, ...] = (
        progress.epoch,
        progress.step,
        f"{loss:.2f}",
        f"{100 * overall.precision:.1f}",
        f"{100 * overall.recall:.1f}",
        f"{100 * overall.f:.1f}" + (" *" if progress.is_best else ""),
        f"{progress.seconds:.0f}",
    )
    retention = progress.scores.retention
    if retention is not None:
        row = (*row, f"{100 * retention.overall.f:.1f}")
    if progress.cats is not None:
        row = (*row, f"{100 * cats_score(progress.cats):.1f}" + (" *" if progress.is_best else ""))
    msg.row(row, widths=TABLE_WIDTHS + (9,) * (len(row) - len(TABLE_WIDTHS)))


def summarize(report: TrainingReport, output: Path) -> None:
    if report.interrupted:
        msg.warn(f"Interrupted: {describe_saved(output)}")
    best = report.best
    kept = "Last" if report.parameters.select == "last" else "Best"
    if best is not None and best.cats is not None:
        show_cats(best.cats, f"{kept} dev text categories at step {best.step}")
    if "ner" not in report.components and "spancat" not in report.components:
        pass
    elif best is None or best.f == 0.0:
        msg.warn(
            f"{kept} dev F 0.0: the model predicts none of {', '.join(report.parameters.labels)} on dev. "
            "Train longer (--max-epochs), check the labels, or add examples; model-best is not usable yet."
        )
    else:
        msg.good(
            f"{kept} dev F {100 * best.f:.1f} (P {100 * best.precision:.1f}, "
            f"R {100 * best.recall:.1f}) at step {best.step}; "
            f"{report.words_per_second:,.0f} words/s, {report.wall_seconds:.0f} s"
        )
    _show_partial_dev(report)
    if best is not None and best.retained is not None:
        _show_retention(best.retained)
    if report.domains is not None:
        _show_domains(report.domains)
    if (output / "model-best").is_dir():  # a run stopped before its first evaluation has none
        msg.text(f"Model: {output / 'model-best'} (spacy.load works on it)")
    msg.text(f"Report: {output / 'training.json'}")


def _show_partial_dev(report: TrainingReport) -> None:
    """Say what a dev score of partial answers measures, and how to measure the rest."""
    if not report.dev_is_partial or "ner" not in report.components:
        return
    msg.info(
        "Binary (or partial) answers in dev: precision estimated on answered spans only. A prediction "
        "on tokens nobody answered counts neither way, so P and F read higher than on texts labelled in full."
    )
    if report.precision_unmeasured:
        labels = ",".join(report.parameters.labels)
        msg.warn(
            "Trained and scored on partial answers alone: this model's precision is unmeasured. Label a few "
            f"dozen texts in full and score it: `nerforge annotate gold-check TEXTS --labels {labels}`, then "
            "`nerforge evaluate MODEL db:gold-check`."
        )


def _show_retention(retained: ForgettingReport) -> None:
    """Old labels on the dev texts: agreement of the kept model with the frozen base, and the verdict."""
    rows = [
        (row.label, f"{100 * row.updated_f:.1f}", row.support, "DROP" if row.flagged else "")
        for row in retained.rows
    ]
    msg.table(rows, header=("old label", "% kept (F vs base)", "base entities", ""), divider=True)
    if retained.dropped:
        msg.warn(
            f"Below {retained.thresholds.min_agreement:.0%} on dev: "
            f"{', '.join(row.label for row in retained.dropped)}. Add --rehearse with raw texts "
            "like yours, raise --rehearsal-ratio, or label those entities in your data."
        )


def _show_domains(report: DomainReport) -> None:
    """Per domain: old labels' agreement with the base, and the new labels' rate per 1,000 words."""
    rows = [
        (
            domain.domain,
            domain.n_words,
            f"{100 * domain.agreement:.1f}",
            domain.support,
            *(f"{domain.rate(label):.2f}" for label in report.new_labels),
        )
        for domain in report.domains
    ]
    rates = tuple(f"{label}/1k words" for label in report.new_labels)
    header = ("measured on", "words", "old labels % kept", "base entities", *rates)
    msg.table(rows, header=header, divider=True)
    for warning in report.warnings:
        msg.warn(warning.message)


def _flag(row: LabelRetention) -> str:
    return "DROP" if row.flagged else ""


def describe_saved(output: Path) -> str:
    """Which models a stopped run left in ``output``: checked on disk, since a run may stop before any."""
    saved = [name for name in ("model-best", "model-last") if (output / name / "config.cfg").is_file()]
    if not saved:
        return "nothing saved yet"
    return f"{' and '.join(saved)} saved in {output}"
