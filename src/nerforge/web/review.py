"""Building the review app from a dataset, a source of texts and the labels in scope."""

from __future__ import annotations

import importlib.util
import secrets
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import spacy

from ..errors import DataError, ExtraError, ParameterError
from ..io import Format, read_tasks
from ..patterns import load_patterns
from ..pipelines import load_pipeline
from ..records import Task
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
    spans_key: str | None = None,
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
        spans_key: Annotate a span group (spaCy's spancat) under this key: spans may overlap,
            and every answer names the key. Without it, the source's tasks decide: a span
            group if they all name the same ``spans_key``, entities if none does.

    Raises:
        ParameterError: E321 for no labels, E323 for a source that mixes span groups (or
            entities and a span group), E403 for an empty ``spans_key``.
    """
    check_web_extra()
    from .app import ReviewSettings, create_app  # noqa: PLC0415 - starlette, checked just above

    chosen = tuple(label.strip() for label in labels if label.strip())
    if not chosen:
        raise ParameterError("E321")
    if spans_key is not None and not spans_key.strip():
        raise ParameterError(
            "E403",
            parameter="spans_key",
            owner="the review page",
            expected='a non-empty key, e.g. "sc"',
            value=spans_key,
        )
    n_total, spans_key = review_spans_key(
        read_tasks(source, format=source_format, spans_key=spans_key), spans_key
    )
    if n_total == 0:
        raise DataError("E017", path=str(source), purpose="review")
    loaded = load_patterns(patterns) if patterns is not None else []
    nlp = load_pipeline(model, need_ner=True) if model is not None else spacy.blank(lang)
    overlapping = spans_key is not None
    suggester = Suggester(nlp, chosen, patterns=loaded, use_model=model is not None, overlapping=overlapping)
    store = Store(default_db_path(db))
    store.create_dataset(dataset)

    def questions() -> Iterator[Question]:
        return suggester.pipe(read_tasks(source, format=source_format, spans_key=spans_key))

    feed = Feed(store, dataset, questions, overlap=overlap)
    settings = ReviewSettings(dataset, chosen, n_total, overlap=overlap, token=token, spans_key=spans_key)
    return create_app(settings, store, feed, suggester)


def review_spans_key(tasks: Iterable[Task], spans_key: str | None = None) -> tuple[int, str | None]:
    """How many tasks there are, and the span group the review page annotates (None: entities).

    ``spans_key`` (``--spans-key``) decides when given: no task may name another key (tasks
    read with it that name none are its). Without it, the tasks decide: one key named by
    every task that has spans (a text without spans clashes with nothing), or none at all.

    Raises:
        ParameterError: E323 at the first task that names another key, or none where others do.
    """
    n_tasks, n_with, chosen, first_without = 0, 0, spans_key, None
    for task in tasks:
        n_tasks += 1
        key = task.spans_key
        if key is None:
            if task.spans and first_without is None:  # a text without spans clashes with nothing
                first_without = task
            continue
        n_with += 1
        if chosen is None:
            chosen = key
        if key != chosen:
            given = f"--spans-key is {spans_key!r}" if spans_key is not None else f"an earlier one {chosen!r}"
            raise ParameterError(
                "E323", task.origin, detail=f"this task names the spans key {key!r}, {given}"
            )
    if chosen is not None and spans_key is None and first_without is not None:
        detail = f"this task has spans but names no spans key, and {n_with} other(s) name {chosen!r}"
        raise ParameterError("E323", first_without.origin, detail=detail)
    return n_tasks, chosen
