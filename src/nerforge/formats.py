"""The names of the data formats and answer kinds, kept light so the CLI can check options cheaply."""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

DB_PREFIX = "db:"  # a data path "db:DATASET" names a dataset in the store, wherever a file is read


def is_db_spec(path: object) -> TypeGuard[str]:
    """Whether a data path names a dataset in the store (``db:DATASET``)."""
    return isinstance(path, str) and path.startswith(DB_PREFIX)


# conll: CoNLL/IOB NER token files; conllu: Universal Dependencies CoNLL-U (read only)
Format = Literal["jsonl", "seed", "conll", "conllu", "docbin", "raw"]
FORMATS: tuple[str, ...] = get_args(Format)
