"""What a pretrained pipeline finds in the data that the data leaves unlabelled.

The course's first training problem: update a pipeline with WEBSITE spans only, on texts
where the people it knows are left unlabelled, and it unlearns PERSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from ...pipelines import components_for, entity_labels
from ..corpus import Corpus, with_docs
from ..findings import LINES_SHOWN, Finding, make_finding


@dataclass
class _Unlabelled:
    n: int = 0
    examples: list[str] = field(default_factory=list)


def base_labels(nlp: Language) -> frozenset[str]:
    """The labels a pipeline's entity recognizers know."""
    return frozenset(entity_labels(nlp))


def check_base_entities(
    corpus: Corpus, nlp: Language, *, base_name: str, batch_size: int
) -> Iterator[Finding]:
    """Yield, per label, the base model's entities no span overlaps in complete tasks.

    L301 for labels outside the data's scheme (updating the base on this data makes it
    unlearn them), L302 for labels in it (probably missed annotations). Only the NER and
    the components it listens to run, over the complete tasks, in batches.
    """
    unlabelled = _find_unlabelled_entities(corpus, nlp, batch_size)
    folded = {label.casefold(): label for label in corpus.labels}
    for label, found in sorted(unlabelled.items(), key=lambda item: -item[1].n):
        fields: dict[str, Any] = {"n": found.n, "label": label, "sample": "; ".join(found.examples[:2])}
        if label in corpus.labels:
            yield make_finding("L302", corpus.path, unit=corpus.unit, examples=found.examples, **fields)
            continue
        same = folded.get(label.casefold())
        hint = f" If your label {same!r} means {label}, rename it to {label}." if same else ""
        yield make_finding(
            "L301",
            corpus.path,
            unit=corpus.unit,
            examples=found.examples,
            base=base_name,
            hint=hint,
            **fields,
        )


def _find_unlabelled_entities(corpus: Corpus, nlp: Language, batch_size: int) -> dict[str, _Unlabelled]:
    unlabelled: dict[str, _Unlabelled] = {}
    with nlp.select_pipes(enable=components_for(nlp, "ner")):
        for record, doc in with_docs(corpus.complete_records, nlp, batch_size=batch_size, pipe=nlp.pipe):
            for ent in doc.ents:
                if any(span.start < ent.end_char and ent.start_char < span.end for span in record.spans):
                    continue
                found = unlabelled.setdefault(ent.label_, _Unlabelled())
                found.n += 1
                if len(found.examples) < LINES_SHOWN:
                    found.examples.append(f"{ent.text!r} ({corpus.unit} {record.line})")
    return unlabelled
