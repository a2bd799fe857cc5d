"""`nerforge demo`: the whole workflow on the shipped demo corpus."""

from __future__ import annotations

from typing import Annotated

import typer

from ..demo import COMMENTS, PATTERNS, run_demo
from ._common import msg, reports_errors
from .bootstrap import report_counts


@reports_errors
def demo_cli(
    output: Annotated[
        str, typer.Option("--output", "-o", help="Folder for everything the demo writes.")
    ] = "demo-output",
) -> None:
    """Bootstrap silver GADGET data from the demo comments and patterns."""
    msg.divider("1. Bootstrap silver data from patterns")
    msg.text(f"Texts: {COMMENTS.name} (shipped), patterns: {PATTERNS.name}")
    result = run_demo(output)
    report_counts(result.counts, str(result.silver))
    msg.text(
        "Silver tasks are incomplete: tokens no pattern matched are 'missing', not 'outside'. "
        f"Look at a few with: head -n 5 {result.silver}"
    )
