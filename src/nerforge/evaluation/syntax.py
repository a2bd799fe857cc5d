"""Scoring a pipeline's tags and trees on CoNLL-U sentences, and against the base it was updated from.

Scores come from spaCy's own scorer (``nlp.evaluate``): TAG accuracy (fine-grained tags),
POS accuracy (UPOS), UAS (the share of tokens with the right head) and LAS (right head and
label), tokens aligned by spaCy where the pipeline's tokenizer differs from the gold words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from ..io.conllu import read_conllu, sentence_to_doc
from ..pipelines import load_pipeline


@dataclass(frozen=True)
class SyntaxScores:
    """spaCy's scores of a pipeline on reference docs (gold, or a base's predictions).

    None where the pipeline has no component that sets the attribute.
    """

    tag_acc: float | None
    pos_acc: float | None
    uas: float | None
    las: float | None
    n_docs: int

    @classmethod
    def measure(cls, nlp: Language, references: Sequence[Doc]) -> SyntaxScores:
        """Run ``nlp`` on each reference's text and score it with spaCy's scorer."""
        examples = [Example(nlp.make_doc(doc.text), doc) for doc in references]
        scores = nlp.evaluate(examples) if examples else {}
        tag, pos, uas, las = (scores.get(key) for key in ("tag_acc", "pos_acc", "dep_uas", "dep_las"))
        return cls(tag, pos, uas, las, len(examples))

    def to_dict(self) -> dict[str, Any]:
        """The accuracies, attachment scores and document count, as a JSON-ready dict."""
        return {
            "tag_acc": self.tag_acc,
            "pos_acc": self.pos_acc,
            "uas": self.uas,
            "las": self.las,
            "n_docs": self.n_docs,
        }


@dataclass(frozen=True)
class SyntaxEvaluation:
    """A model's tags and trees on gold sentences, and the base's on the same ones."""

    model: SyntaxScores
    base: SyntaxScores | None = None

    def to_dict(self) -> dict[str, Any]:
        """The model's scores and the base's (or None), as a JSON-ready dict."""
        return {"model": self.model.to_dict(), "base": None if self.base is None else self.base.to_dict()}


def evaluate_syntax(
    model: str | Path | Language, test: str | Path, *, base: str | Path | Language | None = None
) -> SyntaxEvaluation:
    """Score ``model`` (and ``base``, when given) on the gold sentences of a CoNLL-U file."""
    nlp = model if isinstance(model, Language) else load_pipeline(model)
    gold = [sentence_to_doc(sentence, nlp.vocab) for sentence in read_conllu(test)]
    base_nlp = None if base is None else base if isinstance(base, Language) else load_pipeline(base)
    return SyntaxEvaluation(
        SyntaxScores.measure(nlp, gold), None if base_nlp is None else SyntaxScores.measure(base_nlp, gold)
    )
