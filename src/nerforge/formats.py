"""The names of the data formats and answer kinds, kept light so the CLI can check options cheaply."""

from __future__ import annotations

from typing import Literal, get_args

Format = Literal["jsonl", "seed", "conll", "docbin", "raw"]
FORMATS: tuple[str, ...] = get_args(Format)
