"""The names of the data formats and answer kinds, kept light so the CLI can check options cheaply."""

from __future__ import annotations

from typing import Literal, get_args

# conll: CoNLL/IOB NER token files; conllu: Universal Dependencies CoNLL-U (read only)
Format = Literal["jsonl", "seed", "conll", "conllu", "docbin", "raw"]
FORMATS: tuple[str, ...] = get_args(Format)
