"""Building the review app from a dataset, a source of texts and the labels in scope."""

from __future__ import annotations

import importlib.util
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import spacy

from ..errors import DataError, ExtraError, ParameterError
from ..io import Format, read_tasks
from ..patterns import load_patterns
from ..pipelines import load_pipeline
from ..storage import Store, default_db_path
from .feed import Feed
from .suggest import Question, Suggester

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WEB_PACKAGES = ("starlette", "uvicorn")


def check_web_extra() -> None:
    """Raise E404 unless the web extra's packages are installed."""
    missing = [name for name in WEB_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise ExtraError("E404", feature="The review page", extra="web", missing=", ".join(missing))


def needs_token(host: str) -> bool:
    """Any host but the loopback one is reachable by others: every request must carry a token."""
    return host not in LOOPBACK_HOSTS


def new_token() -> str:
    """A fresh random token that every request to the review app must carry."""
    return secrets.token_urlsafe(24)


def create_review_app(
    dataset: str,
    source: str | Path,
    *,
    labels: Sequence[str],
    patterns: str | Path | None = None,
    model: str | Path | None = None,
    db: str | Path | None = None,
    lang: str = "en",
    overlap: int = 1,
    token: str | None = None,
    source_format: Format | None = None,
) -> Any:
    """The review app (an ASGI app) for ``nerforge annotate``; answers go to ``dataset`` in the store.

    Args:
        dataset: The dataset answers are saved to (created if needed).
        source: The texts to review, in any readable format; their spans are suggestions.
        labels: The labels in scope.
        patterns: A pattern file to suggest spans with.
        model: A pipeline whose entities are suggested (and whose tokenizer is used).
        db: The store file (default: ``$NERFORGE_DB``, else ``nerforge.db``).
        lang: Language of the tokenizer without a model.
        overlap: How many different sessions each text goes to: 1 (the default), N >= 2 (for
            agreement), or 0 for every session seeing every text.
        token: Require this token on every request.
        source_format: Override the format the source's name implies.
    """
    check_web_extra()
    from .app import ReviewSettings, create_app  # noqa: PLC0415 - starlette, checked just above

    chosen = tuple(label.strip() for label in labels if label.strip())
    if not chosen:
        raise ParameterError("E321")
    n_total = sum(1 for _ in read_tasks(source, format=source_format))
    if n_total == 0:
        raise DataError("E017", path=str(source), purpose="review")
    loaded = load_patterns(patterns) if patterns is not None else []
    nlp = load_pipeline(model, need_ner=True) if model is not None else spacy.blank(lang)
    suggester = Suggester(nlp, chosen, patterns=loaded, use_model=model is not None)
    store = Store(default_db_path(db))
    store.create_dataset(dataset)

    def questions() -> Iterator[Question]:
        return suggester.pipe(read_tasks(source, format=source_format))

    feed = Feed(store, dataset, questions, overlap=overlap)
    settings = ReviewSettings(dataset, chosen, n_total, overlap=overlap, token=token)
    return create_app(settings, store, feed, suggester)
