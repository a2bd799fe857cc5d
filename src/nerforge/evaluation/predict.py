"""Running a pipeline's NER over texts, as spans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from ..pipelines import components_for
from ..records import Span

DEFAULT_BATCH_SIZE = 256  # texts per nlp.pipe batch: spaCy's default order of magnitude


def predict_spans(
    nlp: Language, texts: Iterable[str], *, batch_size: int = DEFAULT_BATCH_SIZE, n_process: int = 1
) -> Iterator[list[Span]]:
    """Yield the entities the pipeline finds in each text; only the NER and what it needs run."""
    enabled = components_for(nlp, "ner")
    with nlp.select_pipes(enable=enabled):
        for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            yield [Span(e.start_char, e.end_char, e.label_) for e in doc.ents]
