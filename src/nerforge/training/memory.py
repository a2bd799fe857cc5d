"""What a run already holds in memory, handed to the readers and callbacks spaCy resolves.

spaCy builds a run from its config: readers get file paths, sourced components and callbacks
get pipeline names. Inside ``holding(...)``, nerforge's readers take the tasks the run has
already parsed, the callbacks take the pipelines it has already loaded, and spaCy's sourcing
copies the loaded base in memory instead of reading it again from disk. Outside it (plain
``spacy train`` on an exported config) they read files and load pipelines by name, as usual.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import spacy.util
from spacy.language import Language

from ..records import Task

# A corpus as the config names it: path, format, split ("all", "train", "dev"), holdout, seed.
CorpusKey = tuple[str, str | None, str, float, int]
T = TypeVar("T")


@dataclass
class _Held:
    tasks: Mapping[CorpusKey, Sequence[Task]]
    pipelines: Mapping[str, Language]
    corpora: dict[tuple[Any, ...], Any] = field(default_factory=dict)


_HELD: list[_Held] = []


def corpus_key(
    path: str, format: str | None = None, split: str = "all", holdout: float = 0.0, seed: int = 0
) -> CorpusKey:
    """The key a reader's arguments name its tasks by; ``holdout`` and ``seed`` only matter for a split."""
    if split == "all":
        holdout, seed = 0.0, 0
    return (str(path), format, split, float(holdout), int(seed))


@contextlib.contextmanager
def holding(
    *, tasks: Mapping[CorpusKey, Sequence[Task]], pipelines: Mapping[str, Language]
) -> Iterator[None]:
    """Serve these tasks and pipelines to readers, callbacks and sourcing while inside."""
    _HELD.append(_Held(tasks, pipelines))
    original = spacy.util.load_model
    spacy.util.load_model = _load_model_from_memory(original)
    try:
        yield
    finally:
        spacy.util.load_model = original
        _HELD.pop()


def held_tasks(key: CorpusKey) -> Sequence[Task] | None:
    """The tasks held for a corpus, or None (the reader then reads its file)."""
    return _HELD[-1].tasks.get(key) if _HELD else None


def held_pipeline(name: str) -> Language | None:
    """The pipeline held under a name, or None (the caller then loads it)."""
    return _HELD[-1].pipelines.get(name) if _HELD else None


def one_corpus(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """The same corpus object for the same reader arguments while holding.

    spaCy resolves the training corpus twice (to initialize, then to train), and one object
    converts once.
    """
    if not _HELD:
        return make()
    corpora = _HELD[-1].corpora
    if key not in corpora:
        corpora[key] = make()
    corpus: T = corpora[key]
    return corpus


def _load_model_from_memory(original: Callable[..., Language]) -> Callable[..., Language]:
    """spaCy's ``util.load_model``, except that a held pipeline is copied from memory."""

    def load_model(name: Any, **kwargs: Any) -> Language:
        held = held_pipeline(name) if isinstance(name, str) else None
        if held is None:
            return original(name, **kwargs)
        return copy_pipeline(held, vocab=kwargs.get("vocab", True), exclude=kwargs.get("exclude", []))

    return load_model


def copy_pipeline(nlp: Language, *, vocab: Any = True, exclude: Sequence[str] = ()) -> Language:
    """A separate pipeline with the same config and weights, built in memory as loading from disk would.

    That is, as ``util.load_model_from_path`` does: the config, then the serialized state.
    """
    copy = spacy.util.load_model_from_config(nlp.config, vocab=vocab, exclude=list(exclude), meta=nlp.meta)
    return copy.from_bytes(nlp.to_bytes(exclude=list(exclude)), exclude=list(exclude))
