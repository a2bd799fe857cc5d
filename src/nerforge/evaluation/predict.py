"""Running a pipeline's NER over texts: the work a predict worker does.

``predict_spans`` lives in ``nerforge.spans`` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language

from ..pipelines import components_for, load_pipeline
from ..records import Span
from ..spans import DEFAULT_BATCH_SIZE, predict_spans

__all__ = ["DEFAULT_BATCH_SIZE", "NerWork", "PredictJob", "Predicted", "predict_spans"]


class Predicted(NamedTuple):
    """The entities found in one text, and its number of tokens (for words/sec)."""

    n_words: int
    spans: list[Span]


class NerWork:
    """Texts in, :class:`Predicted` out: the work of a predict worker (picklable results only).

    Args:
        nlp: A pipeline with an NER; only the NER and the components it listens to run.
        batch_size: Texts per ``nlp.pipe`` batch; by default each batch of texts the
            work is given is one (``nerforge.parallel.auto`` sizes those for the NER).
    """

    def __init__(self, nlp: Language, batch_size: int | None = None) -> None:
        self.nlp = nlp
        self.batch_size = batch_size
        enabled = components_for(nlp, "ner")
        self._disabled = [name for name in nlp.pipe_names if name not in enabled]

    def __call__(self, texts: list[str]) -> list[Predicted]:
        size = self.batch_size or max(1, len(texts))
        docs = self.nlp.pipe(texts, batch_size=size, disable=self._disabled)
        return [
            Predicted(len(doc), [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]) for doc in docs
        ]


@dataclass(frozen=True)
class PredictJob:
    """What a Dask worker needs to predict: the model (a package name or a path every worker
    reaches) and the ``nlp.pipe`` batch size. Built once per worker into a :class:`NerWork`."""

    model: str
    batch_size: int | None = None

    @classmethod
    def for_model(cls, model: str | Path, batch_size: int | None = None) -> PredictJob:
        path = Path(model)
        return cls(str(path.resolve()) if path.exists() else str(model), batch_size)

    def build(self) -> Callable[[list[str]], list[Predicted]]:
        return NerWork(load_pipeline(self.model, need_ner=True), self.batch_size)
