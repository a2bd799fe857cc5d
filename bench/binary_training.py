"""Does a model trained on binary answers alone have precision? `nerforge train` on simulated teach answers.

The annotator is the demo's reviewed.jsonl: for each reviewed comment, every GADGET pattern
match is asked about (accepted iff the reviewed task has exactly that span, else rejected),
and each reviewed gadget the patterns miss is asked about with probability --recall-share
(as if the model proposed it; accepted). Every answer is its own record, one span each,
`"_view_id": "ner"`, as `nerforge teach` stores them. Then `nerforge train` (the default:
answers merged per text, 5% of the unknown tokens read as outside each epoch, as teach's own
updates read them) and the same with `--outside-rate 0` (every unknown token missing), each
scored on eval.jsonl, which is labelled in full. Printed: the dev F `train` reports (on
held-out binary answers) beside P/R/F on eval.jsonl.

    python bench/binary_training.py [--seeds 0 1 2] [--recall-share 0.5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
from pathlib import Path

import nerforge
from nerforge.demo import EVALUATION, PATTERNS, REVIEWED
from nerforge.evaluation.evaluate import evaluate
from nerforge.io import read_tasks
from nerforge.training import Trainer

LABEL = "GADGET"


def simulated_answers(seed: int, recall_share: float) -> list[dict]:
    """Binary answers to pattern matches and to a share of the gadgets the patterns miss."""
    rng = random.Random(seed)
    reviewed = list(read_tasks(str(REVIEWED)))
    silver = nerforge.bootstrap([task.text for task in reviewed], PATTERNS)
    rows = []
    for gold, matched in zip(reviewed, silver, strict=True):
        truth = {(s.start, s.end) for s in gold.accepted_spans if s.label == LABEL}
        asked = set()
        for span in matched.spans:
            asked.add((span.start, span.end))
            rows.append(_answer(gold.text, span.start, span.end, (span.start, span.end) in truth))
        for start, end in sorted(truth - asked):
            if rng.random() < recall_share:
                rows.append(_answer(gold.text, start, end, True))
    rng.shuffle(rows)
    return rows


def _answer(text: str, start: int, end: int, accept: bool) -> dict:
    span = {"start": start, "end": end, "label": LABEL}
    if not accept:
        span["answer"] = "reject"
    return {"text": text, "spans": [span], "answer": "accept" if accept else "reject", "_view_id": "ner"}


def run(seed: int, recall_share: float, outside_rate: float, scratch: Path) -> dict:
    answers = scratch / f"answers-{seed}.jsonl"
    answers.write_text("".join(json.dumps(row) + "\n" for row in simulated_answers(seed, recall_share)))
    output = scratch / f"model-{seed}-{outside_rate}"
    trainer = Trainer(labels=[LABEL], seed=seed, outside_rate=outside_rate).fit(answers, output=output)
    assert trainer.report_ is not None and trainer.report_.best is not None
    scored = evaluate(output / "model-best", str(EVALUATION), labels=[LABEL]).scores.overall
    n_answers = sum(1 for _ in answers.open())
    return {
        "dev_f": trainer.report_.best.f,
        "p": scored.precision,
        "r": scored.recall,
        "f": scored.f,
        "n": n_answers,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--recall-share", type=float, default=0.5)
    parser.add_argument("--rates", type=float, nargs="+", default=[0.0, 0.05], help="--outside-rate values")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="nerforge-binary-bench-") as folder:
        for rate in args.rates:
            results = [run(seed, args.recall_share, rate, Path(folder)) for seed in args.seeds]
            rows.append((rate, results))
    print(
        f"{'outside rate':>12}  {'answers':>7}  {'dev F':>6}  {'eval P':>6}  {'eval R':>6}  {'eval F':>6}"
        "   (median over seeds)"
    )
    for rate, results in rows:
        med = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(
            f"{rate:>12}  {med['n']:>7.0f}  {100 * med['dev_f']:>6.1f}  {100 * med['p']:>6.1f}  "
            f"{100 * med['r']:>6.1f}  {100 * med['f']:>6.1f}"
        )


if __name__ == "__main__":
    main()
