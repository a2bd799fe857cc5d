"""Span categorization on nested spans, beside the NER on the part an NER can learn.

Data: nerforge's demo corpus (src/nerforge/demo: reviewed.jsonl to train, eval.jsonl to test),
GADGET spans. Nested spans are added to it: each multi-word GADGET whose first word is a brand
or product-family word (``FAMILY_WORDS``: "iphone" in "iphone 15 pro") also gets that word as a
PRODUCT_LINE span, and every task keeps its spans under ``"spans_key": "sc"``. The spans then
overlap, which no NER can learn.

Two runs, the same split (nerforge's seeded holdout of reviewed.jsonl for dev), the same CNN,
both from random weights (no warm start: spancat has none):

- spancat: ``Trainer`` on the nested data (it picks spaCy's spancat from the spans key), scored
  on eval per label, GADGET and PRODUCT_LINE, exact spans.
- NER: ``Trainer`` on the GADGET spans alone (the non-overlapping part), scored on eval.

Printed: test F per label for both, and the seconds each run took.

    python bench/spancat.py [--seeds 0] [--max-epochs N]

Measured (2-core shared machine, seeds 0,1,2; 265 PRODUCT_LINE spans nested in the training
GADGETs): spancat test F GADGET 92.9, PRODUCT_LINE 97.7, both 95.1 (per seed GADGET 92.6,
94.1, 91.9); the NER on GADGET alone 91.2 (90.1, 89.1, 94.4). spancat runs took 23-51 s, the
NER's 10-12 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from nerforge.evaluation.evaluate import evaluate
from nerforge.io import read_tasks, write_tasks
from nerforge.records import Span, Task
from nerforge.training import Trainer

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "nerforge" / "demo"
# first words of GADGET names that name a brand or a product family, as read off the demo's spans
# (model words like "ps5", "s24" or "switch" are left out: they are the gadget, not its family)
FAMILY_WORDS = frozenset(
    [
        "iphone",
        "galaxy",
        "pixel",
        "ipad",
        "airpods",
        "macbook",
        "sony",
        "apple",
        "kindle",
        "oneplus",
        "thinkpad",
        "garmin",
        "nintendo",
        "xbox",
        "canon",
        "gopro",
        "surface",
        "xiaomi",
        "xps",
        "bose",
        "fujifilm",
        "fitbit",
        "redmi",
        "playstation",
        "samsung",
        "lenovo",
        "rog",
        "dji",
        "meta",
        "fuji",
        "acer",
        "dell",
    ]
)


def nested(task: Task) -> Task:
    """The task with a PRODUCT_LINE span inside each multi-word GADGET that starts with a family word."""
    added = []
    for span in task.accepted_spans:
        words = span.text_in(task.text).split()
        if span.label == "GADGET" and len(words) > 1 and words[0].lower() in FAMILY_WORDS:
            added.append(Span(span.start, span.start + len(words[0]), "PRODUCT_LINE"))
    return replace(task, spans=tuple(sorted((*task.spans, *added))), extra={**task.extra, "spans_key": "sc"})


def write(tasks: list[Task], path: Path) -> Path:
    """Tasks as task JSONL."""
    write_tasks(tasks, path)
    return path


def run(train: Path, test: Path, output: Path, *, seed: int, max_epochs: int | None) -> tuple[dict, float]:
    """Train with nerforge's defaults (no warm start), then score on test: F per label, and seconds."""
    started = time.perf_counter()
    trainer = Trainer(seed=seed, warm_start=None, max_epochs=max_epochs).fit(train, output=output)
    seconds = time.perf_counter() - started
    assert trainer.report_ is not None
    evaluation = evaluate(output / "model-best", test)
    per_label = {label: prf.f for label, prf in evaluation.scores.per_label.items()}
    return per_label | {"ALL": evaluation.scores.overall.f}, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    parser.add_argument(
        "--max-epochs", type=int, default=None, help="default: nerforge's, from the data size"
    )
    args = parser.parse_args()
    reviewed = [t for t in read_tasks(DEMO / "reviewed.jsonl") if t.answer == "accept"]
    held_out = [t for t in read_tasks(DEMO / "eval.jsonl") if t.answer == "accept"]
    n_nested = sum(len(nested(t).spans) - len(t.spans) for t in reviewed)
    print(
        f"train {len(reviewed)} tasks, {n_nested} PRODUCT_LINE spans nested in GADGETs; test {len(held_out)}"
    )
    results: dict[str, list[dict]] = {"spancat": [], "ner": []}
    with tempfile.TemporaryDirectory(prefix="bench-spancat-") as scratch:
        folder = Path(scratch)
        data = {
            "spancat": (
                write([nested(t) for t in reviewed], folder / "sc-train.jsonl"),
                write([nested(t) for t in held_out], folder / "sc-test.jsonl"),
            ),
            "ner": (write(reviewed, folder / "ner-train.jsonl"), write(held_out, folder / "ner-test.jsonl")),
        }
        for seed in (int(s) for s in args.seeds.split(",")):
            for name, (train, test) in data.items():
                scores, seconds = run(
                    train, test, folder / f"{name}-{seed}", seed=seed, max_epochs=args.max_epochs
                )
                results[name].append(scores | {"seconds": seconds})
                print(
                    f"seed {seed} {name:8s} "
                    + json.dumps({k: round(v, 3) for k, v in scores.items()})
                    + f" ({seconds:.0f} s)"
                )
    print("\nmean test F over seeds (exact spans)")
    for name, rows in results.items():
        labels = sorted({k for row in rows for k in row} - {"seconds"})
        means = {label: statistics.mean(row.get(label, 0.0) for row in rows) for label in labels}
        print(f"  {name:8s} " + ", ".join(f"{label} {100 * f:.1f}" for label, f in means.items()))


if __name__ == "__main__":
    main()
