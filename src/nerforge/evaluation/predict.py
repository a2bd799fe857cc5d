"""Running a pipeline's NER over texts: the work a predict worker does.

``predict_spans`` lives in ``nerforge.spans`` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import PipelineError
from ..pipelines import components_for, load_pipeline, memory_zone_after, span_component, span_group_key
from ..records import Span
from ..spans import DEFAULT_BATCH_SIZE, predict_spans
from .textcat import textcat_component

__all__ = ["DEFAULT_BATCH_SIZE", "NerWork", "PredictJob", "Predicted", "predict_spans"]


class Predicted(NamedTuple):
    """The entities found in one text, its number of tokens (for words/sec), and its categories."""

    n_words: int
    spans: list[Span]
    cats: dict[str, float] | None = None  # the text classifier's doc.cats, when the model has one
    spans_key: str | None = None  # a span categorizer's: its spans (which may overlap) are that group


class NerWork:
    """Texts in, :class:`Predicted` out: the work of a predict worker (picklable results only).

    Args:
        nlp: A pipeline with an NER (or a span categorizer) or a text classifier (or both);
            only they and the components they listen to run.
        batch_size: Texts per ``nlp.pipe`` batch; by default each batch of texts the
            work is given is one (``nerforge.parallel.auto`` sizes those for the NER).
        ner: Run the NER, or the span categorizer of a pipeline without one (its spans are
            read from ``doc.spans``); without it, ``spans`` are empty.
        textcat: Run the text classifier (when the pipeline has one); without it,
            ``cats`` are None.
    """

    def __init__(
        self, nlp: Language, batch_size: int | None = None, *, ner: bool = True, textcat: bool = True
    ) -> None:
        self.nlp = nlp
        self.batch_size = batch_size
        self._textcat = textcat_component(nlp) if textcat else None
        finder = span_component(nlp) if ner else None
        has_ner = finder is not None
        enabled = components_for(nlp, finder) if finder is not None else []
        self._key = span_group_key(nlp, finder) if finder not in (None, "ner") else None
        if self._textcat is not None:
            enabled += components_for(nlp, self._textcat)
        elif not has_ner:
            raise PipelineError("E402", name=nlp.meta.get("name", "pipeline"))
        self._disabled = [name for name in nlp.pipe_names if name not in enabled]
        self._n_done = 0  # texts predicted: memory zones start past the first ones

    def __call__(self, texts: list[str], each_doc: Callable[[Doc], None] | None = None) -> list[Predicted]:
        """Each text's token count, entities and (with a text classifier) categories.

        Past the first texts each batch runs in a spaCy memory zone, so the vocab does not
        grow with the corpus (see ``nerforge.pipelines.memory_zone_after``). ``each_doc``, when
        given, sees each processed doc in order, inside the zone: ``evaluate`` checks the gold
        spans against these tokens instead of tokenizing the texts a second time.
        """
        size = self.batch_size or max(1, len(texts))
        with memory_zone_after(self.nlp, self._n_done):
            docs = self.nlp.pipe(texts, batch_size=size, disable=self._disabled)
            found = [self._predicted(doc, each_doc) for doc in docs]
        self._n_done += len(texts)
        return found

    def _predicted(self, doc: Doc, each_doc: Callable[[Doc], None] | None) -> Predicted:
        if each_doc is not None:
            each_doc(doc)
        cats = dict(doc.cats) if self._textcat is not None else None
        return Predicted(len(doc), self._spans(doc), cats, self._key)

    def _spans(self, doc: Doc) -> list[Span]:
        """The doc's entities, or its span categorizer's spans (sorted: they may overlap)."""
        if self._key is None:
            return [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]
        group = doc.spans.get(self._key, ())
        return sorted(Span(s.start_char, s.end_char, s.label_) for s in group)


@dataclass(frozen=True)
class PredictJob:
    """What a Dask worker needs to predict: the model and the ``nlp.pipe`` batch size.

    The model is a package name or a path every worker reaches. Built once per worker into a
    :class:`NerWork`.
    """

    model: str
    batch_size: int | None = None

    @classmethod
    def for_model(cls, model: str | Path, batch_size: int | None = None) -> PredictJob:
        """A job for a model given by package name or path; an existing path is made absolute."""
        path = Path(model)
        return cls(str(path.resolve()) if path.exists() else str(model), batch_size)

    def build(self) -> Callable[[list[str]], list[Predicted]]:
        """Load the pipeline, once per worker, into the work that predicts a batch of texts."""
        return NerWork(load_pipeline(self.model), self.batch_size)
