"""`nerforge teach`: yes/no answers on the spans the model is least sure of; it learns as you answer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..formats import ORDERS
from ..training.defaults import TEACH_OUTSIDE_RATE
from ._common import InputFormatOption, choice, format_option, msg, reports_errors
from ._serve import HostOption, OverlapOption, PortOption, StoreFileOption, print_addresses


@reports_errors
def teach_cli(
    dataset: Annotated[str, typer.Argument(help="The dataset answers are saved to (created if needed).")],
    model: Annotated[
        str, typer.Argument(help="Pipeline to teach (package or path), or blank:en for a new NER.")
    ],
    source: Annotated[
        str, typer.Argument(help="Texts, in any readable format (streamed, never held whole).")
    ],
    label: Annotated[str, typer.Option("--label", "-l", help="The one label to teach, e.g. GADGET.")],
    patterns: Annotated[
        Path | None,
        typer.Option(
            "--patterns", "-p", help="Pattern JSONL: its matches are asked first, while the model learns."
        ),
    ] = None,
    order: Annotated[
        str, typer.Option("--order", help="uncertain (nearest 0.5 first), score (likeliest first) or random.")
    ] = "uncertain",
    update_every: Annotated[
        int, typer.Option("--update-every", help="Answers between model updates (in the background).")
    ] = 10,
    db: StoreFileOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random order and of the updates.")] = 0,
    input_format: InputFormatOption = None,
    outside_rate: Annotated[
        float,
        typer.Option(
            "--outside-rate",
            help="Share of unknown tokens the updates read as outside each epoch (nerforge train's rule; "
            "lower than its default, so the model keeps proposing new spans).",
        ),
    ] = TEACH_OUTSIDE_RATE,
    overlap: OverlapOption = 1,
) -> None:
    """Serve the teach page: one suggested span a card; accept (a), reject (x) or skip (i).

    Suggestions come from --patterns while the model knows little, then from the model, with
    the spans it is least sure of first. The model is updated every --update-every answers in
    the background. Each annotator adds ?session=NAME; with --overlap N each card goes to N of
    them (nerforge db agreement then compares their answers). Train the answers as usual:
    nerforge train db:DATASET.
    """
    from ..web import check_web_extra, needs_token, new_token

    check_web_extra()
    import uvicorn

    from ..web.teach import create_teach_app

    token = new_token() if needs_token(host) else None
    msg.info(f"Loading {model} and the first suggestions...")
    server = create_teach_app(
        dataset,
        model,
        source,
        label=label,
        patterns=patterns,
        db=db,
        order=choice(order, "--order", ORDERS),  # type: ignore[arg-type]
        update_every=update_every,
        seed=seed,
        token=token,
        source_format=format_option(input_format, "--input-format"),
        outside_rate=outside_rate,
        overlap=overlap,
    )
    print_addresses(f"Teaching {label} into '{dataset}'", host, port, token)
    if token:
        msg.warn("Listening beyond this machine: every request needs the token in that address.")
    msg.info("Ctrl-C stops; every answer is saved. Then: nerforge train db:" + dataset)
    try:
        uvicorn.run(server.app, host=host, port=port, log_level="warning")
    finally:
        server.close()  # its threads stop before Python exits: exiting under them can crash
