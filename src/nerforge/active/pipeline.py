"""The pipeline teach learns in: a loaded one whose NER gains the label, or a new one.

``blank:LANG`` starts a new NER with the same layers ``nerforge train`` builds (warm-started
from an installed ``en_core_web_sm`` for English, as a new model of ``nerforge train`` is),
so a teach model and a trained model are alike.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import spacy
from spacy.language import Language
from spacy.training import Example
from thinc.api import Config, fix_random_seed

from ..docs import INCORRECT_SPANS_KEY
from ..errors import PipelineError
from ..pipelines import load_pipeline
from ..training import registered  # noqa: F401 - nerforge's spaCy functions, for BASE_CONFIG
from ..training.config import BASE_CONFIG
from ..training.plan import choose_warm_start
from ..training.readers import create_copy_lookups, create_warm_start

BLANK_PREFIX = "blank:"  # MODEL as blank:en: a new NER, nothing learned yet


class TeachPipeline(NamedTuple):
    """The pipeline taught, and whether its NER knew the label before (then its spans count at once)."""

    nlp: Language
    knew_label: bool


def teach_pipeline(
    model: str, label: str, *, warm_start: str | None = "auto", seed: int = 0
) -> TeachPipeline:
    """The pipeline to teach ``label`` to: ``model`` loaded (its NER gains the label), or new.

    Args:
        model: An installed pipeline, a pipeline folder, or ``blank:LANG`` for a new NER.
        label: The label taught.
        warm_start: For a new NER: the pipeline whose NER tok2vec starts ours (``"auto"``:
            an installed en_core_web_sm for English; ``None``: random weights).
        seed: Seed of a new NER's weights.

    Raises:
        PipelineError: E350 if a loaded pipeline has no NER; E401 if ``model`` can't be loaded.
    """
    if model.startswith(BLANK_PREFIX):
        lang = model[len(BLANK_PREFIX) :] or "en"
        return TeachPipeline(new_pipeline(lang, label, warm_start=warm_start, seed=seed), False)
    nlp = load_pipeline(model)
    if "ner" not in nlp.pipe_names:
        raise PipelineError("E350", name=model)
    ner: Any = nlp.get_pipe("ner")
    knew_label = label in ner.labels
    if not knew_label:
        ner.add_label(label)  # an initialized NER grows its output layer for it
    return TeachPipeline(nlp, knew_label)


def new_pipeline(lang: str, label: str, *, warm_start: str | None = "auto", seed: int = 0) -> Language:
    """A new pipeline with an initialized NER for ``label`` (rejected spans train as negatives)."""
    config = Config().from_str(BASE_CONFIG, interpolate=False)
    config["nlp"]["lang"] = lang
    source, _ = choose_warm_start(warm_start, lang)
    nlp = spacy.util.load_model_from_config(
        Config({"nlp": config["nlp"], "components": config["components"]}), auto_fill=True
    )
    ner: Any = nlp.get_pipe("ner")
    ner.add_label(label)
    if source is not None:
        create_copy_lookups(source)(nlp)
    fix_random_seed(seed)
    nlp.initialize(lambda: [Example(nlp.make_doc("x"), nlp.make_doc("x"))])
    if source is not None:
        create_warm_start(source)(nlp)
    assert ner.cfg.get("incorrect_spans_key") == INCORRECT_SPANS_KEY  # BASE_CONFIG sets it
    return nlp


def copy_pipeline(nlp: Language) -> Language:
    """An independent copy (the background update trains it while the original keeps serving)."""
    copy = spacy.util.load_model_from_config(nlp.config, auto_fill=False)
    return copy.from_bytes(nlp.to_bytes())
