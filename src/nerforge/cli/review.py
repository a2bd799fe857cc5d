"""`nerforge review`: settle the texts annotators disagree on; the chosen versions go to a gold dataset."""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import msg, reports_errors
from ._serve import HostOption, PortOption, StoreFileOption, print_addresses


@reports_errors
def review_cli(
    dataset: Annotated[
        str, typer.Argument(help="The dataset whose texts answered by two annotators or more are settled.")
    ],
    into: Annotated[
        str, typer.Option("--into", help="The gold dataset the settled tasks go to (created if needed).")
    ],
    auto_accept_agreed: Annotated[
        bool,
        typer.Option(
            "--auto-accept-agreed", help="Store texts whose versions all agree in the gold one at once."
        ),
    ] = False,
    labels: Annotated[
        str,
        typer.Option(
            "--labels",
            "-l",
            help="Labels an edited span may have besides those the versions hold, comma-separated.",
        ),
    ] = "",
    db: StoreFileOption = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    lang: Annotated[str, typer.Option("--lang", help="Language of the tokenizer spans align with.")] = "en",
) -> None:
    """Serve the adjudication page: each disputed text with every annotator's version; pick one by its number.

    The picked version, edited on the page if need be (as on the review page), is stored in the
    --into dataset as a complete task, with its provenance in its fields: the annotators, their
    versions, the adjudicator, the version picked and whether it was edited (_annotators,
    _versions, _adjudicator, _picked, _edited). Undo, reload and restart work as on the review
    page; each text goes to one adjudicator (?session=NAME) at a time.
    """
    from ..web import check_web_extra, needs_token, new_token
    from ..web.adjudicate import create_adjudication_app

    check_web_extra()
    import uvicorn

    token = new_token() if needs_token(host) else None
    found = create_adjudication_app(
        dataset,
        into,
        db=db,
        labels=labels.split(","),
        lang=lang,
        auto_accept_agreed=auto_accept_agreed,
        token=token,
    )
    shared = f"{found.n_texts} text(s) answered by two annotators or more"
    msg.info(f"{shared}; {found.n_auto} agreed stored at once.")
    print_addresses(f"Settling '{dataset}' into '{into}'", host, port, token)
    if token:
        msg.warn("Listening beyond this machine: every request needs the token in that address.")
    msg.info(
        f"Each adjudicator adds {'&' if token else '?'}session=NAME. Ctrl-C stops; every answer is saved."
    )
    uvicorn.run(found.app, host=host, port=port, log_level="warning")
