"""The base pipeline's entities on the default corpus, computed once per base and cached.

An update rehearses the base's own predictions on the corpus. Running the base over a few
thousand texts takes seconds to minutes, so the result is written to a user cache folder
under a key that changes with the base (its name, version, config and weights) and with the
corpus, and read back by every later update of the same base.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ParameterError, RehearsalCacheError
from ..io import read_tasks, write_tasks
from ..pipelines import components_for
from ..records import Span, Task
from .texts import corpus_fingerprint, iter_default_texts

CACHE_ENV = "NERFORGE_CACHE_DIR"  # overrides the cache folder, e.g. on a read-only home
BATCH_SIZE = 256  # texts per nlp.pipe batch: short texts, so large batches pay off on a CPU
CACHE_FORMAT = 1  # bump when the cached task layout changes, so old caches are not read


def default_cache_dir() -> Path:
    """``$NERFORGE_CACHE_DIR``, else ``$XDG_CACHE_HOME/nerforge``, else ``~/.cache/nerforge``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg else Path.home() / ".cache"
    return root / "nerforge"


def base_annotations(
    nlp: Language,
    *,
    cache_dir: str | Path | None = None,
    batch_size: int = BATCH_SIZE,
) -> Iterator[Task]:
    """The base pipeline's entities on the whole default corpus, one complete task a text.

    Each task holds the base's entities as spans (``source`` names the base), is complete
    (what the base did not mark is outside for its labels), and carries ``meta``
    ``{"domain": ..., "id": "<domain>-<n>"}``. The predictions are computed on the first
    call for a base and cached; later calls read the cache.

    Args:
        nlp: The base pipeline (any pipeline that sets ``doc.ents``).
        cache_dir: The cache folder; by default :func:`default_cache_dir`.
        batch_size: Texts per ``nlp.pipe`` batch when the cache is computed.

    Raises:
        ParameterError: E403 for a batch size below 1.
        RehearsalCacheError: E251 if the cache folder can't be created.
    """
    return read_tasks(cached_annotations_path(nlp, cache_dir=cache_dir, batch_size=batch_size))


def cached_annotations_path(
    nlp: Language,
    *,
    cache_dir: str | Path | None = None,
    batch_size: int = BATCH_SIZE,
) -> Path:
    """The task JSONL file of the base's predictions, computed and written first if missing.

    The file is written atomically, so a run that is stopped half way leaves no partial cache.
    Arguments and errors as in :func:`base_annotations`.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ParameterError(
            "E403", parameter="batch_size", owner="base_annotations", expected="an int >= 1", value=batch_size
        )
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / "rehearsal" / f"{_base_name(nlp)}-{base_key(nlp)}.jsonl"
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise RehearsalCacheError("E251", path=str(path.parent), detail=error.strerror) from None
        write_tasks(predict_default_corpus(nlp, batch_size=batch_size), path, format="jsonl")
    return path


def base_key(nlp: Language) -> str:
    """A short hash of everything the cached predictions depend on.

    It covers the corpus bytes, the pipeline's meta name, version and language, its config,
    the tokenizer and every component's weights (without the vocab, whose strings grow as
    texts are processed): two pipelines that could predict differently get different keys.
    """
    digest = hashlib.sha256()
    meta = nlp.meta
    parts = (f"format {CACHE_FORMAT}", corpus_fingerprint(), nlp.lang, meta.get("name"), meta.get("version"))
    for part in parts:
        digest.update(str(part).encode("utf-8") + b"\0")
    digest.update(nlp.config.to_str().encode("utf-8"))
    for name, component in [("tokenizer", nlp.tokenizer), *nlp.pipeline]:
        digest.update(name.encode("utf-8") + b"\0")
        if hasattr(component, "to_bytes"):
            digest.update(component.to_bytes(exclude=["vocab"]))
    return digest.hexdigest()[:16]


def predict_default_corpus(nlp: Language, *, batch_size: int = BATCH_SIZE) -> Iterator[Task]:
    """Run the base over the corpus (``nlp.pipe``, only what sets the entities) and yield tasks."""
    source = _base_name(nlp)
    pairs = list(iter_default_texts())  # materialised: texts go to nlp.pipe, domains stay here
    with nlp.select_pipes(enable=_entity_components(nlp)):
        docs: Iterable[Doc] = nlp.pipe((text for _, text in pairs), batch_size=batch_size)
        numbers: dict[str, int] = {}
        for (domain, _), doc in zip(pairs, docs, strict=True):
            numbers[domain] = numbers.get(domain, 0) + 1
            yield _task_of(doc, domain, numbers[domain], source)


def _task_of(doc: Doc, domain: str, number: int, source: str) -> Task:
    spans = tuple(Span(ent.start_char, ent.end_char, ent.label_, source=source) for ent in doc.ents)
    return Task(doc.text, spans, complete=True, meta={"domain": domain, "id": f"{domain}-{number}"})


def _entity_components(nlp: Language) -> list[str]:
    """The NER with what it listens to, and any entity ruler; every component if there is no NER."""
    if "ner" not in nlp.pipe_names:
        return list(nlp.pipe_names)
    needed = set(components_for(nlp, "ner"))
    needed.update(name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "entity_ruler")
    return [name for name in nlp.pipe_names if name in needed]


def _base_name(nlp: Language) -> str:
    """The base's name as bootstrap writes it, e.g. ``en_core_web_sm``, safe in a file name."""
    name = f"{nlp.lang}_{nlp.meta.get('name', 'pipeline')}"
    return "".join(char if char.isalnum() or char in "-_." else "_" for char in name)
