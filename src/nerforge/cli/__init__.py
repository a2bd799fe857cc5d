"""The `nerforge` command line: one thin module per command."""

from __future__ import annotations

import typer

from .bootstrap import bootstrap_cli
from .db import db_app
from .demo import demo_cli
from .evaluate import evaluate_cli, explore_cli
from .lint import lint_cli
from .predict import predict_cli
from .train import train_cli

app = typer.Typer(
    name="nerforge",
    help="Teach spaCy pipelines new entity types from raw text and a few patterns.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main() -> None:
    """Teach spaCy pipelines new entity types from raw text and a few patterns."""


app.command("bootstrap")(bootstrap_cli)
app.command("train")(train_cli)
app.command("evaluate")(evaluate_cli)
app.command("explore")(explore_cli)
app.command("predict")(predict_cli)
app.command("demo")(demo_cli)
app.command("lint")(lint_cli)
app.add_typer(db_app, name="db")

__all__ = ["app"]
