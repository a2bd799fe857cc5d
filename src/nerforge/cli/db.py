"""`nerforge db`: list, inspect, import, export and drop the datasets in the store."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from ..records import TASK_ANSWERS
from ._common import (
    InputFormatOption,
    check_output_path,
    choice,
    command_group,
    format_option,
    labels_option,
    msg,
    reports_errors,
    status_output,
)

db_app = command_group(
    "The SQLite store of reviewed tasks: list, stats, agreement, import, export, drop.", name="db"
)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The store file (default: $NERFORGE_DB, else nerforge.db here)."),
]
DatasetArgument = Annotated[str, typer.Argument(help="The dataset's name.")]
# `--db` for the commands that read data files: where their db:DATASET paths point
StoreOption = Annotated[
    Path | None,
    typer.Option("--db", help="The store db:DATASET paths read (default: $NERFORGE_DB, else nerforge.db)."),
]
DB_ENV = "NERFORGE_DB"  # nerforge.storage.DB_ENV, named here so the CLI starts without sqlite
ANSWERS = TASK_ANSWERS  # the columns of db stats, and what --answer takes


@db_app.command("list")
@reports_errors
def list_cli(db: DbOption = None) -> None:
    """List the datasets in the store, with their answers."""
    from ..storage import Store, default_db_path

    path = default_db_path(db)
    with Store(path, read_only=True) as store:
        infos = store.datasets()
    if not infos:
        msg.info(f"The store {path} holds no datasets yet")
        return
    rows = [(info.name, info.n_answers, _when(info.created)) for info in infos]
    msg.table(rows, header=("dataset", "answers", "created"), divider=True)


@db_app.command("stats")
@reports_errors
def stats_cli(dataset: DatasetArgument, db: DbOption = None) -> None:
    """Answers in a dataset: per annotator (answer kinds, pace, texts shared) and per answer kind."""
    from ..storage import IDLE_LIMIT_S, Store, default_db_path

    with Store(default_db_path(db), read_only=True) as store:
        stats = store.stats(dataset)
    msg.info(f"{stats.name}: {stats.n_answers} answers on {stats.n_texts} texts")
    if stats.annotators:
        rows = [
            (
                one.annotator,
                one.n_answers,
                *(one.by_answer.get(kind, 0) for kind in ANSWERS),
                "-" if one.median_seconds is None else f"{one.median_seconds:.1f}",
                one.n_texts,
                one.n_shared,
            )
            for one in stats.annotators
        ]
        header = ("annotator", "answers", *ANSWERS, "median s", "texts", "shared")
        msg.table(rows, header=header, divider=True, aligns=("l", *"r" * (len(header) - 1)))
        msg.table(sorted(stats.by_answer.items()), header=("answer", "tasks"), divider=True)
        msg.text(
            "median s: the median gap between an annotator's answers, breaks counted as "
            f"{IDLE_LIMIT_S:.0f} s; shared: texts another annotator answered too."
        )


@db_app.command("agreement")
@reports_errors
def agreement_cli(
    dataset: DatasetArgument,
    db: DbOption = None,
    labels: Annotated[
        str | None, typer.Option("--labels", help="Comma-separated labels to compare (default: all).")
    ] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the full report as JSON.")] = None,
    html_out: Annotated[
        str | None, typer.Option("--html", help="Write the disputed texts, each annotator's spans, as HTML.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap intervals.")] = 0,
) -> None:
    """How far the annotators of a dataset agree, and the texts they disagree on most.

    Manual answers: span F1 between each pair of annotators (exact, and partial: the same
    label on overlapping tokens), per label, and Krippendorff's alpha over token labels.
    Binary answers: Cohen's kappa per pair, Fleiss' kappa over all. Each figure says how many
    texts it rests on, with a bootstrap 95% interval over texts.
    """
    from ..evaluation.agreement import agreement
    from ..evaluation.agreement_html import write_agreement_html
    from ._agreement import show_agreement

    for path in (json_out, html_out):
        check_output_path(path)
    result = agreement(dataset, db=db, labels=labels_option(labels), seed=seed)
    show_agreement(result, dataset)
    if json_out is not None:
        from ..io.files import write_json_report

        write_json_report(result.to_dict(), json_out)
        msg.good(f"Report: {json_out}")
    if html_out is not None:
        write_agreement_html(result, html_out, title=f"Agreement on {dataset}")
        msg.good(f"Disputed texts: {html_out}")


@db_app.command("import")
@reports_errors
def import_cli(
    dataset: DatasetArgument,
    source: Annotated[str, typer.Argument(help="Answered tasks in any readable format; '-' for stdin.")],
    db: DbOption = None,
    annotator: Annotated[
        str, typer.Option("--annotator", help="The name the answers are recorded under.")
    ] = "import",
    input_format: InputFormatOption = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="Pipeline (package or path), or blank:LANG, whose tokenizer every span must align "
            "with, as on the review page (e.g. a pipeline `nerforge tokenizer add` saved).",
        ),
    ] = "blank:en",
) -> None:
    """Store a file of answered tasks in a dataset (created if needed), as a recorded review.

    Every span must start and end on a token, as the review page requires; if any does not,
    each is named with its line and nearest fix, and nothing is imported.
    """
    from ..io import read_tasks
    from ..storage import default_db_path, import_tasks
    from ..tokenization import load_base

    path = default_db_path(db)
    tasks = read_tasks(source, format=format_option(input_format, "--input-format"))
    nlp = load_base(model)
    n_tasks = import_tasks(path, dataset, tasks, annotator=annotator, nlp=nlp, tokenizer_name=model)
    msg.good(f"Imported {n_tasks} tasks into '{dataset}' in {path}")


@db_app.command("export")
@reports_errors
def export_cli(
    dataset: DatasetArgument,
    output: Annotated[str, typer.Option("--output", "-o", help="Output tasks; '-' for stdout.")],
    db: DbOption = None,
    answer: Annotated[
        str | None, typer.Option("--answer", help="Only tasks with this answer: accept, reject or ignore.")
    ] = None,
) -> None:
    """Write a dataset's answers as task JSONL, ready for `nerforge train` and `lint`."""
    from ..io import write_tasks
    from ..storage import read_dataset

    chosen = None if answer is None else choice(answer, "--answer", ANSWERS)
    n_tasks = write_tasks(read_dataset(dataset, db=db, answer=chosen), output)  # type: ignore[arg-type]
    with status_output(output == "-"):
        msg.good(f"Wrote {n_tasks} tasks of '{dataset}' to {output}")


@db_app.command("drop")
@reports_errors
def drop_cli(
    dataset: DatasetArgument,
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Don't ask for confirmation.")] = False,
) -> None:
    """Delete a dataset and all its answers."""
    from ..storage import Store, default_db_path

    path = default_db_path(db)
    with Store(path) as store:
        n_answers = store.stats(dataset).n_answers
        if not yes and not typer.confirm(f"Delete '{dataset}' and its {n_answers} answers from {path}?"):
            msg.info("Nothing was deleted")
            raise typer.Exit(1)
        store.drop_dataset(dataset)
    msg.good(f"Deleted '{dataset}' ({n_answers} answers)")


def use_store(db: Path | None) -> None:
    """Point db:DATASET paths at this store for the rest of the command (spaCy's readers too)."""
    if db is not None:
        os.environ[DB_ENV] = str(db)


def _when(created: float) -> str:
    return datetime.fromtimestamp(created, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")
