"""Text classification: nerforge's default training against plain `spacy train`, same split, same run.

Data: the UCI Sentiment Labelled Sentences (../shared/data/sentiment-labelled-sentences; 3,000
review sentences from Amazon, IMDb and Yelp, POSITIVE or NEGATIVE, CC BY 4.0; see its README).
There is no official split: the sentences are shuffled with the seed ``--split-seed`` and cut
into 70% train, 10% dev (model selection) and 20% test, the same split for every system.

Plain spaCy trains spaCy's default text classifier config (`spacy init config -p textcat`:
the CPU-efficiency bag-of-words ``textcat``), run through ``spacy.training.loop.train`` (the
function `python -m spacy train` calls), only a silent logger added to read words/sec.
nerforge runs ``Trainer`` with its defaults on the same split as task JSONL (it tells the
classes are exclusive from the data). Both are scored on test the same way: nerforge's
``score_cats`` (macro F over the two classes, and accuracy: the top class is the gold one).
Training words/sec = words seen / seconds spent on updates (the loop's time less its dev
evaluations, as in bench/wnut17.py).

    python bench/textcat.py [--seeds 0,1,2] [--split-seed 0]

Skips (exit 0, with a message) when the data folder is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from nerforge.evaluation.textcat import TextcatScores, predict_cats, score_cats
from nerforge.records import Task
from nerforge.training import Trainer
from plain_spacy import train_plain_spacy

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "sentiment-labelled-sentences"
FILES = ("amazon_cells_labelled.txt", "imdb_labelled.txt", "yelp_labelled.txt")
SHARES = (0.7, 0.1)  # train, dev; the rest is test


def read_sentences() -> list[Task]:
    """Every labelled sentence as a task with exclusive cats (the files are `text<TAB>0|1`)."""
    tasks = []
    for name in FILES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            text, _, label = line.strip().rpartition("\t")
            if text and label in ("0", "1"):
                positive = float(label == "1")
                tasks.append(Task(text, cats={"POSITIVE": positive, "NEGATIVE": 1.0 - positive}))
    return tasks


def split(tasks: list[Task], seed: int) -> tuple[list[Task], list[Task], list[Task]]:
    """A seeded shuffle cut into train, dev and test."""
    order = list(tasks)
    random.Random(seed).shuffle(order)
    n_train, n_dev = round(SHARES[0] * len(order)), round(SHARES[1] * len(order))
    return order[:n_train], order[n_train : n_train + n_dev], order[n_train + n_dev :]


def write_split(folder: Path, name: str, tasks: list[Task]) -> None:
    """The split as task JSONL (nerforge) and as a DocBin (plain spaCy)."""
    rows = [json.dumps({"text": t.text, "cats": dict(t.cats)}) for t in tasks]
    (folder / f"{name}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    make_doc = spacy.blank("en").make_doc
    docs = []
    for task in tasks:
        doc = make_doc(task.text)
        doc.cats = dict(task.cats)
        docs.append(doc)
    DocBin(docs=docs).to_disk(folder / f"{name}.spacy")


def train_nerforge(folder: Path, seed: int) -> tuple[Path, float, float, str, int]:
    output = folder / f"nerforge-{seed}"
    start = time.perf_counter()
    # force: the corpus as published repeats a few sentences, so a split can put one in both train
    # and dev (lint's L603 error, which train refuses); plain spaCy trains on the same split as it is
    trainer = Trainer(seed=seed, force=True).fit(folder / "train.jsonl", folder / "dev.jsonl", output=output)
    seconds = time.perf_counter() - start
    report = trainer.report_
    assert report is not None and trainer.plan_ is not None
    best = report.best
    note = (
        f"{trainer.plan_.textcat}; eval every {report.parameters.eval_frequency} steps, patience "
        f"{report.parameters.patience}, max epochs {report.parameters.max_epochs}; best at step "
        f"{best.step if best else '-'} of {report.speed.steps}"
    )
    return output / "model-best", report.speed.update_words_per_second, seconds, note, report.speed.steps


def test_scores(model: Path, test: list[Task]) -> TextcatScores:
    nlp = spacy.load(model)
    component = next(name for name in nlp.pipe_names if name.startswith("textcat"))
    predicted = list(predict_cats(nlp, (t.text for t in test), component=component))
    return score_cats(test, predicted, exclusive=True)


def accuracy(scores: TextcatScores) -> float:
    """Share of texts whose top class is the gold one (the confusion table's diagonal)."""
    total = sum(sum(row.values()) for row in scores.confusion.values())
    right = sum(row.get(gold, 0) for gold, row in scores.confusion.items())
    return right / total if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated training seeds")
    parser.add_argument("--split-seed", type=int, default=0, help="seed of the train/dev/test split")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return
    seeds = [int(s) for s in args.seeds.split(",")]
    train, dev, test = split(read_sentences(), args.split_seed)
    print(f"split (seed {args.split_seed}): {len(train)} train, {len(dev)} dev, {len(test)} test", flush=True)
    rows: dict[str, list[tuple[TextcatScores, float, float]]] = {"plain spaCy": [], "nerforge": []}
    matched: list[tuple[float, float]] = []  # nerforge's words/sec, plain spaCy's over as many steps
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, tasks in (("train", train), ("dev", dev)):
            write_split(folder, name, tasks)
        for seed in seeds:
            model, wps, secs = train_plain_spacy(folder, seed, None, pipeline="textcat")
            rows["plain spaCy"].append((test_scores(model, test), wps, secs))
            model, wps, secs, note, steps = train_nerforge(folder, seed)
            rows["nerforge"].append((test_scores(model, test), wps, secs))
            # words/sec grows with the batch size, which compounds with the steps: compare the
            # two over the same number of steps too, running plain spaCy again for nerforge's length
            _, same_steps_wps, _ = train_plain_spacy(folder, seed, steps, pipeline="textcat", name="matched")
            matched.append((wps, same_steps_wps))
            print(f"seed {seed}: nerforge {note}", flush=True)
            for system, results in rows.items():
                scores, wps, secs = results[-1]
                print(
                    f"  {system}: macro F {100 * scores.macro_f:.1f}, accuracy {100 * accuracy(scores):.1f}, "
                    f"{wps:,.0f} train w/s, {secs:.0f} s",
                    flush=True,
                )
    print(f"\nSentiment labelled sentences, test ({len(test)} texts), {len(seeds)} seed(s), mean x100")
    print(f"{'system':<12} {'macro F':>8} {'spread':>7} {'accuracy':>9} {'train w/s':>10} {'train s':>8}")
    means: dict[str, float] = {}
    for system, results in rows.items():
        fs = [100 * s.macro_f for s, _, _ in results]
        means[system] = statistics.mean(fs)
        print(
            f"{system:<12} {means[system]:>8.1f} {max(fs) - min(fs):>7.1f} "
            f"{statistics.mean(100 * accuracy(s) for s, _, _ in results):>9.1f} "
            f"{statistics.mean(w for _, w, _ in results):>10,.0f} "
            f"{statistics.mean(t for _, _, t in results):>8.0f}"
        )
    print(f"\nnerforge - plain spaCy: {means['nerforge'] - means['plain spaCy']:+.1f} macro F points")
    ratio = statistics.mean(w for _, w, _ in rows["nerforge"]) / statistics.mean(
        w for _, w, _ in rows["plain spaCy"]
    )
    same = statistics.mean(ours / theirs for ours, theirs in matched)
    print(f"training words/sec ratio, each run to its own end: {ratio:.2f}x")
    print(f"training words/sec ratio, plain spaCy rerun for nerforge's number of steps: {same:.2f}x")


if __name__ == "__main__":
    main()
