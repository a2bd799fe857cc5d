"""Tiny training data the tests write: easy gadget names in a few frames, and negatives."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

GADGETS = ["zorbo 3", "zorbo 4 pro", "kalyx 9", "vantor x2", "plexa mini", "orbyn 12", "tessar 5 max"]
FRAMES = [
    "my {} died today",
    "is the {} worth it ?",
    "just got a {} lol",
    "selling my {} cheap",
    "{} battery is bad",
]
# dev texts come from other frames and negatives, so none of them is also a training text
DEV_FRAMES = ["got a {} yesterday", "the {} is overpriced", "returned my {} today"]
DEV_NEGATIVES = ["the bus was late again", "my tea went cold", "it rained all day"]
NEGATIVES = [
    "the weather is awful",
    "anyone up at 3am ?",
    "shipping took forever",
    "my cat sits on me",
    "lunch was great",
]


def write_tiny_data(folder: Path, seed: int = 0, n_train: int = 60) -> tuple[Path, Path]:
    rng = random.Random(seed)

    def task(frame: str, gadget: str) -> dict:
        start = frame.index("{}")
        text = frame.format(gadget)
        return {"text": text, "spans": [{"start": start, "end": start + len(gadget), "label": "GADGET"}]}

    def tasks(n: int, frames: list[str], negatives: list[str]) -> list[dict]:
        rows = [task(rng.choice(frames), rng.choice(GADGETS)) for _ in range(n)]
        return rows + [{"text": t, "spans": []} for t in negatives]

    train, dev = folder / "train.jsonl", folder / "dev.jsonl"
    train.write_text("\n".join(json.dumps(t) for t in tasks(n_train, FRAMES, NEGATIVES)) + "\n")
    dev.write_text("\n".join(json.dumps(t) for t in tasks(15, DEV_FRAMES, DEV_NEGATIVES)) + "\n")
    return train, dev


def run_spacy_train(config: Path, output: Path, *, max_steps: int) -> subprocess.CompletedProcess[str]:
    """Plain `python -m spacy train` on a config, as a user without nerforge's CLI would run it."""
    command = [
        sys.executable,
        "-m",
        "spacy",
        "train",
        str(config),
        "--output",
        str(output),
        "--training.max_steps",
        str(max_steps),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)
