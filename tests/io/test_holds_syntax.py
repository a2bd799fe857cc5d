"""One rule tells tags-and-trees data (CoNLL-U) from entity data, for train --base and evaluate."""

from __future__ import annotations

import pytest

from nerforge.io import holds_syntax


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("sentences.conllu", True),
        ("sentences.conllu.gz", True),
        ("tasks.jsonl", False),
        ("tags.conll", False),
        ("-", False),
        ("db:gadgets", False),
    ],
)
def test_conllu_names_hold_syntax(path, expected):
    assert holds_syntax(path) is expected
