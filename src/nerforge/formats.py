"""The names of the formats and of every other choice an option offers, declared once.

Kept light (no spaCy) so the CLI checks its options against the same tuples the library
checks its parameters against, and `nerforge --help` stays fast.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

DB_PREFIX = "db:"  # a data path "db:DATASET" names a dataset in the store, wherever a file is read


def is_db_spec(path: object) -> TypeGuard[str]:
    """Whether a data path names a dataset in the store (``db:DATASET``)."""
    return isinstance(path, str) and path.startswith(DB_PREFIX)


# conll: CoNLL/IOB NER token files; conllu: Universal Dependencies CoNLL-U (read only)
Format = Literal["jsonl", "seed", "conll", "conllu", "docbin", "raw"]
FORMATS: tuple[str, ...] = get_args(Format)

# How an accepted task with spans is read when it doesn't say whether it is complete:
# "manual" answers (Prodigy's ner_manual) mark every entity; "binary" ones (ner.teach)
# only judge the suggested span, so the rest of the text is unknown; "auto" tells them apart.
AnswerKind = Literal["auto", "binary", "manual"]
ANSWER_KINDS: tuple[str, ...] = get_args(AnswerKind)

# bootstrap: text no pattern matched is "missing" (unknown) or "outside" (no entity)
Unmatched = Literal["missing", "outside"]
UNMATCHED: tuple[str, ...] = get_args(Unmatched)
PhraseAttr = Literal["ORTH", "LOWER", "NORM"]  # the token attribute phrase patterns match on
PHRASE_ATTRS: tuple[str, ...] = get_args(PhraseAttr)

# training: which evaluation model-best holds, the best dev score or the end of a fixed schedule
Selection = Literal["best", "last"]
SELECTIONS: tuple[Selection, ...] = get_args(Selection)
NewLabelNer = Literal["separate", "shared"]  # an update's new labels: in a NER of their own, or the base's
NEW_LABEL_NERS: tuple[str, ...] = get_args(NewLabelNer)
TextcatMode = Literal["auto", "exclusive", "multilabel"]  # text categories: told from the data, or given
TEXTCAT_MODES: tuple[TextcatMode, ...] = get_args(TextcatMode)
ComponentMode = Literal["auto", "ner", "spancat"]  # what learns the spans: told from the data, or given
COMPONENT_MODES: tuple[ComponentMode, ...] = get_args(ComponentMode)

# teach: which suggestions come first
Order = Literal["uncertain", "score", "random"]
ORDERS: tuple[str, ...] = get_args(Order)
