"""WNUT-17: nerforge's default training against plain `spacy train`, same data, same run.

Both train on WNUT-17 train (all six labels), select on dev, and are scored on test with
the same scorer (nerforge's, which agrees with spaCy's on complete data). Plain spaCy runs
its own `train` with the default CPU efficiency NER config (`spacy init config --pipeline
ner --optimize efficiency`), only a silent logger added to read words/sec. nerforge runs
`Trainer` with its defaults (warm start from an installed en_core_web_sm, schedule from the
data size). Training words/sec = words seen / seconds spent on updates: the training loop's
time (to its last step, before the final save) less its dev evaluations (nerforge
evaluates once an epoch, spaCy every 200 steps, so counting evaluations would compare
evaluation schedules, not training speed).

With ``--backbone transformer``, nerforge's transformer backbone (the packaged
all-MiniLM-L6-v2, its default settings) trains in the same run, on the same data, scored the
same way. Every system's predict speed is measured on the test texts (words/sec through
``nlp.pipe``, the path ``nerforge predict`` streams through).

    python bench/wnut17.py [--max-steps N] [--seeds 0,1,2] [--backbone transformer]

Skips (exit 0, with a message) when ../shared/data/wnut17 is absent.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy
from spacy.tokens import DocBin

from nerforge.docs import task_to_doc
from nerforge.evaluation import predict_spans, score_tasks
from nerforge.io import read_tasks
from nerforge.training import Trainer, TrainingReport
from plain_spacy import train_plain_spacy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "wnut17"
LABELS = ["corporation", "creative-work", "group", "location", "person", "product"]


def to_docbin(path: Path, out: Path) -> None:
    make_doc = spacy.blank("en").make_doc
    DocBin(docs=(task_to_doc(t, make_doc) for t in read_tasks(path))).to_disk(out)


def train_nerforge(
    folder: Path, seed: int, max_steps: int | None, backbone: str = "cnn"
) -> tuple[Path, float, float, TrainingReport]:
    """nerforge's default training; returns the model, update words/sec, wall time, report."""
    output = folder / f"nerforge-{backbone}-{seed}"
    start = time.perf_counter()
    # force: WNUT-17 as published holds 12 texts annotated twice, differently (lint's L601
    # errors, which train refuses); plain spaCy trains on the same corpus as it is
    trainer = Trainer(seed=seed, max_steps=max_steps, backbone=backbone, force=True).fit(
        DATA / "train.jsonl", DATA / "dev.jsonl", output=output
    )
    seconds = time.perf_counter() - start
    assert trainer.report_ is not None
    return output / "model-best", trainer.report_.speed.update_words_per_second, seconds, trainer.report_


def test_scores(model: Path) -> tuple[Any, float]:
    """Test scores, and predict words/sec over the test texts (loading excluded)."""
    tasks = list(read_tasks(DATA / "test.jsonl"))
    nlp = spacy.load(model)
    started = time.perf_counter()
    predicted = list(predict_spans(nlp, (t.text for t in tasks)))
    seconds = time.perf_counter() - started
    n_words = sum(len(nlp.make_doc(t.text)) for t in tasks)
    return score_tasks(tasks, predicted, labels=LABELS), n_words / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=None, help="cap on steps for both (default: none)")
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    parser.add_argument(
        "--backbone",
        choices=["cnn", "transformer"],
        default="cnn",
        help="also train the transformer backbone",
    )
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    seeds = [int(s) for s in args.seeds.split(",")]
    rows: dict[str, list[Any]] = {"plain spaCy": [], "nerforge": []}
    if args.backbone == "transformer":
        rows["nerforge trf"] = []
    matched: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        to_docbin(DATA / "train.jsonl", folder / "train.spacy")
        to_docbin(DATA / "dev.jsonl", folder / "dev.spacy")
        for seed in seeds:
            model, wps, secs = train_plain_spacy(folder, seed, args.max_steps, pipeline="ner")
            rows["plain spaCy"].append((*test_scores(model), wps, secs))
            model, wps, secs, report = train_nerforge(folder, seed, args.max_steps)
            rows["nerforge"].append((*test_scores(model), wps, secs))
            params = report.parameters
            # words/sec grows with the batch size, which compounds with the steps: compare the
            # two over the same number of steps, so run plain spaCy again for nerforge's length
            _, same_steps_wps, _ = train_plain_spacy(
                folder, seed, report.speed.steps, pipeline="ner", name="matched"
            )
            matched.append((wps, same_steps_wps))
            print(
                f"seed {seed}: nerforge chose warm start {params.warm_start} "
                f"({params.warm_start_why}); "
                f"dropout {params.dropout}, eval every {params.eval_frequency} steps, "
                f"patience {params.patience}, max epochs {params.max_epochs}",
                flush=True,
            )
            if args.backbone == "transformer":
                model, wps, secs, report = train_nerforge(folder, seed, args.max_steps, "transformer")
                scores, predict_wps = test_scores(model)
                rows["nerforge trf"].append((scores, predict_wps, wps, secs))
                best = report.best
                assert best is not None
                print(
                    f"seed {seed}: transformer test F {100 * scores.overall.f:.1f}, dev F "
                    f"{100 * best.f:.1f} at epoch {best.epoch} "
                    f"of {report.parameters.max_epochs}, "
                    f"{secs / 60:.1f} min; dev curve "
                    + " ".join(f"{100 * e.f:.1f}" for e in report.evaluations),
                    flush=True,
                )
    print(f"\nWNUT-17 test, {len(seeds)} seed(s), mean F x100 (spread = max - min)")
    print(
        f"{'system':<12} {'F':>6} {'spread':>7} "
        + " ".join(f"{label[:9]:>9}" for label in LABELS)
        + f" {'train w/s':>9} {'train min':>9} {'predict w/s':>11}"
    )
    for name, results in rows.items():
        fs = [100 * s.overall.f for s, *_ in results]
        per_label = [statistics.mean(100 * s.per_label[label].f for s, *_ in results) for label in LABELS]
        predict_wps = statistics.mean(p for _, p, _, _ in results)
        wps = statistics.mean(w for _, _, w, _ in results)
        secs = statistics.mean(t for *_, t in results)
        print(
            f"{name:<12} {statistics.mean(fs):>6.1f} {max(fs) - min(fs):>7.1f} "
            + " ".join(f"{f:>9.1f}" for f in per_label)
            + f" {wps:>9,.0f} {secs / 60:>9.1f} {predict_wps:>11,.0f}"
        )
    plain = statistics.mean(100 * s.overall.f for s, *_ in rows["plain spaCy"])
    ours = statistics.mean(100 * s.overall.f for s, *_ in rows["nerforge"])
    ratio = statistics.mean(w for _, _, w, _ in rows["nerforge"]) / statistics.mean(
        w for _, _, w, _ in rows["plain spaCy"]
    )
    same = statistics.mean(ours_wps / theirs for ours_wps, theirs in matched)
    print(f"\nnerforge - plain spaCy: {ours - plain:+.1f} F points")
    print(f"training words/sec ratio, each run to its own end: {ratio:.2f}x")
    print(f"training words/sec ratio, plain spaCy rerun for nerforge's number of steps: {same:.2f}x")


if __name__ == "__main__":
    main()
