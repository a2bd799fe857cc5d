"""Loading spaCy pipelines by package name or path, with coded errors."""

from __future__ import annotations

import contextlib
from pathlib import Path

import spacy
from spacy.language import Language

from .errors import PipelineError


def load_pipeline(name_or_path: str | Path, *, need_ner: bool = False) -> Language:
    """Load an installed pipeline package or a pipeline folder. Nothing is downloaded.

    Raises:
        PipelineError: E401 if it is neither; E430 if it is a training output folder (the
            pipelines are inside it); E402 if ``need_ner`` and it has no NER.
    """
    name = str(name_or_path)
    _check_not_training_folder(name)
    try:
        nlp = spacy.load(name)
    except (OSError, ValueError, KeyError):
        raise PipelineError("E401", name=name) from None
    if need_ner and "ner" not in nlp.pipe_names:
        raise PipelineError("E402", name=name)
    return nlp


def source_name(nlp: Language) -> str:
    """The ``source`` a pipeline's predicted spans carry: ``"en_core_web_sm"`` (lang, then name)."""
    return f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"


# Factories whose components set ``doc.ents``: an updated pipeline may hold two NERs (a new
# label learned beside the base's, :mod:`nerforge.training.beside`), and a ruler may add entities.
ENTITY_FACTORIES = frozenset({"ner", "beam_ner", "entity_ruler"})


def entity_components(nlp: Language) -> list[str]:
    """The components that set the pipeline's entities, in pipeline order."""
    return [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory in ENTITY_FACTORIES]


def entity_labels(nlp: Language) -> list[str]:
    """Every label the pipeline's entity recognizers know, sorted."""
    labels: set[str] = set()
    for name in entity_components(nlp):
        labels.update(getattr(nlp.get_pipe(name), "labels", ()))
    return sorted(labels)


# Factories of span categorizers: their spans (overlapping ones too) go to ``doc.spans[key]``.
SPANCAT_FACTORIES = frozenset({"spancat", "spancat_singlelabel"})


def spancat_component(nlp: Language) -> str | None:
    """The pipeline's span categorizer, if it has one."""
    return next((n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in SPANCAT_FACTORIES), None)


def span_component(nlp: Language) -> str | None:
    """The component that finds the pipeline's spans: ``"ner"``, else its span categorizer, else None."""
    return "ner" if "ner" in nlp.pipe_names else spancat_component(nlp)


def span_group_key(nlp: Language, component: str) -> str:
    """The ``doc.spans`` key a span categorizer writes to (its ``spans_key``)."""
    return str(getattr(nlp.get_pipe(component), "key", "sc"))


def component_labels(nlp: Language, component: str) -> list[str]:
    """The labels a component knows, sorted."""
    return sorted(getattr(nlp.get_pipe(component), "labels", ()))


def components_for(nlp: Language, component: str) -> list[str]:
    """The named component and the shared tok2vec/transformer components it listens to.

    ``"ner"`` stands for every component that sets entities (:func:`entity_components`), so
    a second NER an update placed beside the base's runs wherever the NER runs.
    """
    targets = entity_components(nlp) if component == "ner" and "ner" in nlp.pipe_names else [component]
    needed = list(targets)
    for name, pipe in nlp.pipeline:
        listeners = set(getattr(pipe, "listening_components", ()))
        if listeners & set(targets) and name not in needed:
            needed.insert(0, name)
    return needed


def _check_not_training_folder(name: str) -> None:
    """E430 for a folder that ``nerforge train`` or ``spacy train`` wrote: the pipelines are inside."""
    folder = Path(name)
    if folder.is_dir() and not (folder / "config.cfg").exists():
        inside = [sub for sub in ("model-best", "model-last") if (folder / sub / "config.cfg").exists()]
        if inside:
            raise PipelineError("E430", name=name, suggestion=str(folder / inside[0]))


# Texts a pipeline reads before memory zones start (see memory_zone_after): enough for the
# common words of a corpus to stay in the vocab and the tokenizer's cache, few enough to be small.
WARM_TEXTS = 10_000


def memory_zone_after(nlp: Language, n_done: int) -> contextlib.AbstractContextManager[object]:
    """``nlp.memory_zone()`` once ``n_done`` texts reach ``WARM_TEXTS``; no zone before.

    spaCy's vocab keeps every new word it meets (numbers, IDs, URLs, typos), so over a big
    corpus its memory grows with the corpus; what a batch adds inside a zone is freed when
    the zone ends. The first texts are read outside any zone so that common words stay in
    the vocab and in the tokenizer's cache, which caches nothing inside a zone. Docs made in
    a zone must not be used after it: take plain strings and offsets from them inside.
    """
    if n_done < WARM_TEXTS:
        return contextlib.nullcontext()
    return nlp.memory_zone()
