"""Tiny span-categorizer data the tests write: gadget names (GADGET) with their family word
(PRODUCT_LINE) nested inside, so the spans overlap."""

from __future__ import annotations

import json
import random
from pathlib import Path

# (family word, rest of the name): "zorbo 4 pro" is a GADGET, "zorbo" in it a PRODUCT_LINE
GADGETS = [("zorbo", "3"), ("zorbo", "4 pro"), ("kalyx", "9"), ("vantor", "x2"), ("kalyx", "mini")]
FRAMES = ["my {} died today", "is the {} worth it ?", "just got a {} lol", "selling my {} cheap"]
DEV_FRAMES = ["got a {} yesterday", "the {} is overpriced"]
NEGATIVES = ["the weather is awful", "shipping took forever", "lunch was great"]
DEV_NEGATIVES = ["the bus was late again", "my tea went cold"]


def nested_task(frame: str, family: str, rest: str, spans_key: str | None = "sc") -> dict:
    """One task: the gadget's name as GADGET, its first word inside it as PRODUCT_LINE."""
    name = f"{family} {rest}"
    start = frame.index("{}")
    spans = [
        {"start": start, "end": start + len(name), "label": "GADGET"},
        {"start": start, "end": start + len(family), "label": "PRODUCT_LINE"},
    ]
    task = {"text": frame.format(name), "spans": spans}
    return task | ({"spans_key": spans_key} if spans_key else {})


def write_nested(
    folder: Path, *, n_train: int = 60, seed: int = 0, spans_key: str | None = "sc"
) -> tuple[Path, Path]:
    """Write train.jsonl and dev.jsonl of nested spans (and a few negatives) under ``folder``.

    Each task names ``spans_key``; with None, none does (the spans overlap all the same).
    """
    rng = random.Random(seed)

    def rows(n: int, frames: list[str], negatives: list[str]) -> list[dict]:
        made = [nested_task(rng.choice(frames), *rng.choice(GADGETS), spans_key) for _ in range(n)]
        key = {"spans_key": spans_key} if spans_key else {}
        return made + [{"text": text, "spans": []} | key for text in negatives]

    train, dev = folder / "train.jsonl", folder / "dev.jsonl"
    for path, made in ((train, rows(n_train, FRAMES, NEGATIVES)), (dev, rows(10, DEV_FRAMES, DEV_NEGATIVES))):
        path.write_text("".join(json.dumps(row) + "\n" for row in made))
    return train, dev
