"""Does teach learn faster per answer? A simulated annotator on the demo corpus.

The oracle is the demo's reviewed.jsonl: a suggested span is accepted iff the reviewed
task has exactly that span with that label. Every run starts from a new GADGET NER
(warm-started as `nerforge train` does) and the demo's patterns, and records F on
eval.jsonl after 100, 200, 400 and 800 answers, for three ways of spending them:

- uncertain: binary questions, the span whose probability is nearest 0.5 first (teach's default)
- random:    binary questions in a seeded random order
- whole:     whole reviewed tasks in a seeded random order, each costing as many answers
             as it has entities (at least one: deciding "no entity here" is one answer)

Binary runs go over the texts up to --passes times (each pass scored with the newer model;
8 rather than 4: with 4 the questions ran out at 609 answers, F 81.5, seed 0; with 8 at 655,
F 83.8), never ask a span twice, and skip a span overlapping one accepted in its text
(`AcceptedSpans`: the NER can't hold both; nothing else of the text's gold is used).
The model is updated every --update-every answers (foreground here, for a deterministic
simulation; `nerforge teach` runs the same update in a background thread).

    python bench/teach_curve.py [--seeds 0 1 2] [--update-every 20] [--epochs 2]

Targets (issue 20): uncertain reaches random's F@800 with at most half the answers;
uncertain reaches F >= 0.85 within 800 answers.

Measured (`python bench/teach_curve.py --jobs 2`, seeds 0-2, defaults: min score 0.3, min
accepts 10, outside rate 0.05, 8 passes), F x100 mean +- sd at 100/200/400/800 answers:
uncertain 48.2/53.9/69.1/87.7 +- 2.1 (ran out at 655, 709, 698); random 38.8/49.6/71.4/84.0
+- 3.2 (ran out at 592, 676, 693); whole 72.7/84.4/91.3/95.1. F >= 0.85 is met (87.7 by
~700 answers); reaching random's 84.0 with half the answers is not (69.1 at 400): with
questions cut to spans of p >= 0.3, random order draws from an uncertain band already.
With the tokens beside an accepted span read as outside too (same defaults, run 2026-12-07):
uncertain 41.5/47.1/78.6/87.5 +- 1.8 (ran out at 596, 680, 568); random 48.2/52.7/74.8/87.0
+- 0.3 (ran out at 659, 619, 674); whole 72.4/85.9/91.5/95.2.
Before (min score 0.05, outside rate 0.3, no AcceptedSpans, 4 passes): uncertain
37.0/48.4/62.6/62.0, random 30.6/43.8/58.4/59.1, both out of questions at 344-444.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from nerforge.active import (
    AcceptedSpans,
    SpanScorer,
    UpdateSettings,
    binary_answer,
    binary_question,
    new_pipeline,
    order_suggestions,
    update_model,
)
from nerforge.active.scoring import MIN_SCORE
from nerforge.demo import EVALUATION, LABEL, PATTERNS, REVIEWED
from nerforge.evaluation.evaluate import evaluate
from nerforge.io import read_tasks
from nerforge.patterns import load_patterns
from nerforge.records import Task
from nerforge.training.defaults import TEACH_OUTSIDE_RATE

CHECKPOINTS = (100, 200, 400, 800)
STRATEGIES = ("uncertain", "random", "whole")


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def f_score(nlp: object) -> float:
    overall = evaluate(nlp, EVALUATION).scores.overall  # type: ignore[arg-type]
    log(f"    P {overall.precision:.3f} R {overall.recall:.3f}")
    return float(overall.f)


def texts_in_passes(reviewed: list[Task], seed: int, n_passes: int) -> Iterator[Task]:
    rng = random.Random(seed)
    for _ in range(n_passes):
        order = reviewed[:]
        rng.shuffle(order)
        yield from (Task(t.text, meta=t.meta) for t in order)


def run_binary(order: str, seed: int, reviewed: list[Task], args: argparse.Namespace) -> dict[int, float]:
    gold = {t.text: {(s.start, s.end, s.label) for s in t.accepted_spans} for t in reviewed}
    nlp = new_pipeline("en", LABEL, seed=seed)
    patterns = load_patterns(PATTERNS)
    scorer = SpanScorer(nlp, LABEL, patterns=patterns, min_score=args.min_score)
    settings = UpdateSettings(n_epochs=args.epochs, seed=seed, outside_rate=args.outside_rate)
    answers: list[Task] = []
    asked: set[tuple[str, int, int]] = set()
    accepted_spans = AcceptedSpans()  # a span overlapping an accepted one is not asked about
    scores: dict[int, float] = {}
    stream = order_suggestions(scorer.pipe(texts_in_passes(reviewed, seed, args.passes)), order, seed=seed)  # type: ignore[arg-type]
    for suggestion in stream:
        key = (suggestion.task.text, suggestion.span.start, suggestion.span.end)
        if key in asked or accepted_spans.overlaps(suggestion):
            continue
        asked.add(key)
        question = binary_question(suggestion)
        accepted = (*key[1:], LABEL) in gold[key[0]]
        answers.append(binary_answer(question, "accept" if accepted else "reject"))
        scorer.n_accepted += accepted
        accepted_spans.add(answers[-1])
        n = len(answers)
        if n % args.update_every == 0 or n in CHECKPOINTS:
            update_model(nlp, answers, settings)
            scorer.model_ready = True  # as teach's swap sets it: the model's spans are suggested too
        if n in CHECKPOINTS:
            scores[n] = f_score(nlp)
            n_acc = sum(a.answer == "accept" for a in answers)
            log(f"  {order} seed {seed}: {n} answers ({n_acc} accepted) F {scores[n]:.3f}")
        if n >= CHECKPOINTS[-1]:
            break
    n = len(answers)
    if n < CHECKPOINTS[-1]:  # the stream ran out: nothing left worth asking in the corpus
        update_model(nlp, answers, settings)
        final = f_score(nlp)
        log(f"  {order} seed {seed}: suggestions exhausted after {n} answers, F {final:.3f}")
        scores.update({c: final for c in CHECKPOINTS if c not in scores})
        scores[-1] = n
    return scores


def run_whole(seed: int, reviewed: list[Task], args: argparse.Namespace) -> dict[int, float]:
    nlp = new_pipeline("en", LABEL, seed=seed)
    settings = UpdateSettings(n_epochs=args.epochs, seed=seed, outside_rate=args.outside_rate)
    order = reviewed[:]
    random.Random(seed).shuffle(order)
    seen: list[Task] = []
    n_answers = since_update = 0
    scores: dict[int, float] = {}
    pending = list(CHECKPOINTS)
    for task in itertools.chain(order, [None]):  # type: ignore[list-item]
        if task is not None:
            seen.append(task)
            cost = max(1, len(task.accepted_spans))
            n_answers += cost
            since_update += cost
        done = task is None
        if since_update >= args.update_every or (pending and n_answers >= pending[0]) or done:
            update_model(nlp, seen, settings)
            since_update = 0
        while pending and (n_answers >= pending[0] or done):
            scores[pending.pop(0)] = f = f_score(nlp)
            log(f"  whole seed {seed}: {n_answers} answers ({len(seen)} tasks) F {f:.3f}")
        if done:
            break
    return scores


def run_one(
    strategy: str, seed: int, reviewed: list[Task], args: argparse.Namespace
) -> tuple[str, dict[int, float]]:
    t0 = time.perf_counter()
    if strategy == "whole":
        run = run_whole(seed, reviewed, args)
    else:
        run = run_binary(strategy, seed, reviewed, args)
    log(f"{strategy} seed {seed} done in {time.perf_counter() - t0:.0f} s")
    return strategy, run


def summarize(results: dict[str, list[dict[int, float]]]) -> dict[str, dict[int, tuple[float, float]]]:
    table: dict[str, dict[int, tuple[float, float]]] = {}
    for strategy, runs in results.items():
        table[strategy] = {}
        for n in CHECKPOINTS:
            values = [run[n] for run in runs if n in run]
            if values:
                spread = statistics.pstdev(values) if len(values) > 1 else 0.0
                table[strategy][n] = (statistics.mean(values), spread)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--update-every", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--min-score", type=float, default=MIN_SCORE)
    parser.add_argument("--outside-rate", type=float, default=TEACH_OUTSIDE_RATE)  # teach's updates
    parser.add_argument(
        "--passes", type=int, default=8, help="binary runs go over the texts again, with the newer model"
    )
    parser.add_argument("--jobs", type=int, default=2, help="runs at once (processes)")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=STRATEGIES)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    reviewed = [t for t in read_tasks(REVIEWED) if t.answer == "accept"]
    results: dict[str, list[dict[int, float]]] = {s: [] for s in args.strategies}
    started = time.perf_counter()
    jobs = [(strategy, seed, reviewed, args) for seed in args.seeds for strategy in args.strategies]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for strategy, run in pool.starmap(run_one, jobs):
            results[strategy].append(run)
    table = summarize(results)
    header = "| answers | " + " | ".join(args.strategies) + " |"
    print(header)
    print("|" + "---|" * (len(args.strategies) + 1))
    for n in CHECKPOINTS:
        cells = [
            f"{100 * table[s][n][0]:.1f} ± {100 * table[s][n][1]:.1f}" if n in table[s] else "-"
            for s in args.strategies
        ]
        print(f"| {n} | " + " | ".join(cells) + " |")
    for strategy, runs in results.items():
        counts = [int(run[-1]) for run in runs if -1 in run]
        if counts:
            print(f"{strategy}: suggestions ran out after {counts} answers (last F carried forward)")
    print(
        f"\nseeds {args.seeds}, update every {args.update_every} answers, {args.epochs} epochs an update, "
        f"min score {args.min_score}, outside rate {args.outside_rate}, "
        f"{args.passes} passes; "
        f"mean ± population sd of F on eval.jsonl; {time.perf_counter() - started:.0f} s in all"
    )
    if "uncertain" in table and "random" in table and 800 in table["random"]:
        target = table["random"][800][0]
        reached = [n for n in CHECKPOINTS if n in table["uncertain"] and table["uncertain"][n][0] >= target]
        print(
            f"uncertain reaches random's F@800 ({100 * target:.1f}) at: "
            f"{reached[0] if reached else 'not within 800'} answers"
        )
        best = max(table["uncertain"][n][0] for n in table["uncertain"])
        print(f"uncertain's best mean F within 800 answers: {100 * best:.1f} (target 85.0)")
    if args.json:
        args.json.write_text(
            json.dumps({s: {str(n): v for n, v in t.items()} for s, t in table.items()}, indent=1)
        )


if __name__ == "__main__":
    main()
