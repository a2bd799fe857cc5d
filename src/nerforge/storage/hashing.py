"""Prodigy-style task identity: an input hash (the text) and a task hash (the text and its question).

Two tasks with the same text share an input hash; a task hash also covers the suggested
spans, so the same comment with the same suggestions is stored, and shown, once. Records
that carry Prodigy's ``_input_hash`` and ``_task_hash`` keep them.
"""

from __future__ import annotations

import hashlib
import json
from typing import TypeGuard

from ..records import Task

HASH_BYTES = 8  # 64-bit signed ints fit SQLite's INTEGER; 32 bits would collide at ~65k tasks


def input_hash(task: Task) -> int:
    """The hash of the task's input (its text), or the ``_input_hash`` it was read with."""
    given = task.extra.get("_input_hash")
    return given if _is_int(given) else _hash(task.text)


def task_hash(task: Task) -> int:
    """The hash of the input and the spans suggested on it, or the ``_task_hash`` it was read with."""
    given = task.extra.get("_task_hash")
    if _is_int(given):
        return given
    spans = [[span.start, span.end, span.label, span.answer] for span in task.spans]
    return _hash(json.dumps([input_hash(task), spans]))


def _hash(text: str) -> int:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=HASH_BYTES).digest()
    return int.from_bytes(digest, "big", signed=True)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
