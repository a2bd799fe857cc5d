"""`nerforge tokenizer ...`: tokenizer rules saved inside a pipeline."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import command_group, msg, reports_errors

tokenizer_app = command_group(
    "Customise how a pipeline splits text: special cases, prefixes, suffixes, infixes."
)


@tokenizer_app.command("add")
@reports_errors
def add_cli(
    rules: Annotated[str, typer.Argument(help="Rules file (RULES.jsonl), one rule a line.")],
    base: Annotated[
        str,
        typer.Option(
            "--base", "-b", help="Installed pipeline, pipeline folder, or blank:LANG (e.g. blank:en)."
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", help="Folder to save the pipeline in.")],
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the output folder if it holds something.")
    ] = False,
) -> None:
    """Add the rules to the pipeline's tokenizer and save it: spacy.load(OUTPUT) keeps them.

    Rules: {"special_case": "gimme", "pieces": ["gim", "me"]}, {"prefix": "#"},
    {"suffix": "...", "literal": true}, {"infix": "(?<=[a-z])(?=[0-9])"} (regular
    expressions unless "literal" is true). Texts never change; only where tokens end does.
    """
    from ..tokenization import add_tokenizer_rules

    update = add_tokenizer_rules(rules, base=base, output=output, overwrite=overwrite)
    changes = update.changes
    for rule in changes.added:
        msg.text(f"+ {rule.describe()}")
    for rule in changes.present:
        msg.text(f"= {rule.describe()} (the tokenizer had it already)")
    added = len(changes.added)
    msg.good(f"Added {added} rule{'s' if added != 1 else ''} to {base}'s tokenizer; saved to {output}")
