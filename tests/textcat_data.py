"""Tiny text-classification data the tests write: reviews whose words give the class away."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

PRAISE = ["i love this {}", "great {} , works well", "the {} is excellent", "really happy with my {}"]
COMPLAINTS = ["i hate this {}", "awful {} , broke fast", "the {} is terrible", "really sad about my {}"]
THINGS = ["phone", "lamp", "chair", "kettle", "camera", "bike", "desk", "radio"]
# dev texts: other things, so none of them is also a training text
DEV_ROWS = [
    ("i love the new mixer", True),
    ("great oven and excellent price", True),
    ("really happy with this fridge", True),
    ("i hate the new mixer", False),
    ("awful oven , terrible price", False),
    ("really sad about this fridge", False),
]


def sentiment_rows(n: int, seed: int = 0) -> list[tuple[str, bool]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        positive = rng.random() < 0.5
        rows.append((rng.choice(PRAISE if positive else COMPLAINTS).format(rng.choice(THINGS)), positive))
    return rows


def exclusive(text: str, positive: bool) -> dict[str, Any]:
    return {"text": text, "cats": {"POSITIVE": float(positive), "NEGATIVE": float(not positive)}}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def write_sentiment(folder: Path, n_train: int = 80) -> tuple[Path, Path]:
    """Exclusive POSITIVE/NEGATIVE train and dev files."""
    train = write_jsonl(folder / "cats-train.jsonl", [exclusive(t, p) for t, p in sentiment_rows(n_train)])
    dev = write_jsonl(folder / "cats-dev.jsonl", [exclusive(t, p) for t, p in DEV_ROWS])
    return train, dev
