"""`nerforge annotate`: review silver tasks in the browser; every answer is saved as it is given."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import InputFormatOption, SpansKeyOption, format_option, msg, reports_errors
from ._serve import HostOption, OverlapOption, PortOption, StoreFileOption, print_addresses


@reports_errors
def annotate_cli(
    dataset: Annotated[str, typer.Argument(help="The dataset answers are saved to (created if needed).")],
    source: Annotated[
        str, typer.Argument(help="Texts to review, in any readable format; spans are suggestions.")
    ],
    labels: Annotated[str, typer.Option("--labels", "-l", help="The labels in scope, comma-separated.")],
    patterns: Annotated[
        Path | None, typer.Option("--patterns", "-p", help="Pattern JSONL whose matches are suggested.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="Pipeline (package or path) whose entities are suggested."),
    ] = None,
    db: StoreFileOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    overlap: OverlapOption = 1,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the tokenizer when there is no --model.")
    ] = "en",
    input_format: InputFormatOption = None,
    spans_key: SpansKeyOption = None,
) -> None:
    """Serve the review page: accept, reject or correct each suggestion, one text at a time.

    Suggestions come from the SOURCE's spans, --patterns and --model (in that order of
    precedence, as bootstrap merges them). With --spans-key (or a source whose tasks name a
    spans_key) the spans are a span group for spancat: they may overlap or nest, and every
    answer names the key. Open the printed address; add ?session=NAME for each annotator.
    Stop with Ctrl-C: nothing is lost, and a restart goes on where you were.
    """
    from ..web import check_web_extra, create_review_app, needs_token, new_token

    check_web_extra()
    import uvicorn

    token = new_token() if needs_token(host) else None
    app = create_review_app(
        dataset,
        source,
        labels=labels.split(","),
        patterns=patterns,
        model=model,
        db=db,
        lang=lang,
        overlap=overlap,
        token=token,
        source_format=format_option(input_format, "--input-format"),
        spans_key=spans_key,
    )
    print_addresses(f"Reviewing '{dataset}'", host, port, token)
    if token:
        msg.warn("Listening beyond this machine: every request needs the token in that address.")
    msg.info(f"Each annotator adds {'&' if token else '?'}session=NAME. Ctrl-C stops; every answer is saved.")
    uvicorn.run(app, host=host, port=port, log_level="warning")
