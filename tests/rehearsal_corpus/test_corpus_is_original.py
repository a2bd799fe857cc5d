"""The corpus is written for nerforge: no line of it is a sentence of the benchmark corpora.

Reads UD English EWT and WNUT-17 in place from ../shared/data; skipped when they are absent.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nerforge.rehearsal_corpus import iter_default_texts

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
pytestmark = pytest.mark.needs_data


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def benchmark_sentences() -> Iterator[str]:
    for path in sorted((DATA / "ud-en-ewt").glob("*.conllu")):
        with path.open(encoding="utf-8") as handle:
            yield from (line[len("# text = ") :] for line in handle if line.startswith("# text = "))
    for path in sorted((DATA / "wnut17").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            yield from (json.loads(line)["text"] for line in handle)


def test_no_line_is_a_benchmark_sentence() -> None:
    if not (DATA / "ud-en-ewt").is_dir() or not (DATA / "wnut17").is_dir():
        pytest.skip(f"UD EWT or WNUT-17 not found under {DATA}")
    benchmark = {normalised(text) for text in benchmark_sentences()}
    found = [text for _, text in iter_default_texts() if normalised(text) in benchmark]
    assert found == []
