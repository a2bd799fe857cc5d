"""The `nerforge` command line: one thin module per command.

Command modules import typer and nerforge's light modules only; spaCy and the rest are
imported inside the commands that use them, so `nerforge --help` answers at once.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from ._common import command_group
from .annotate import annotate_cli
from .bootstrap import bootstrap_cli
from .db import db_app
from .demo import demo_cli
from .evaluate import evaluate_cli, explore_cli
from .lint import lint_cli
from .patterns import patterns_app
from .predict import predict_cli
from .review import review_cli
from .teach import teach_cli
from .tokenizer import tokenizer_app
from .train import train_cli
from .train_curve import train_curve_cli

app = command_group(
    "Teach spaCy pipelines new entity types from raw text and a few patterns.", name="nerforge"
)


def _show_version(value: bool) -> None:
    if value:
        from ..version import __version__

        typer.echo(f"nerforge {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Teach spaCy pipelines new entity types from raw text and a few patterns."""


def run() -> None:
    """The console script: the app, with Ctrl-C at any moment (even while importing) ending quietly."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted: nothing partial was written.\n")
        sys.exit(130)


app.command("bootstrap")(bootstrap_cli)
# extra arguments are spaCy-style config overrides: --training.max_epochs 3
app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(train_cli)
app.command("evaluate")(evaluate_cli)
app.command("explore")(explore_cli)
app.command("predict")(predict_cli)
app.command("demo")(demo_cli)
app.command("lint")(lint_cli)
app.command("annotate")(annotate_cli)
app.command("teach")(teach_cli)
app.command("review")(review_cli)
app.command("train-curve")(train_curve_cli)
app.add_typer(db_app, name="db")
app.add_typer(patterns_app, name="patterns")
app.add_typer(tokenizer_app, name="tokenizer")

__all__ = ["app", "run"]
