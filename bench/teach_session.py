"""A teach session as a user has it: answers through the page's HTTP API, a stop and a resume, then train.

An oracle answers the teach page of `nerforge teach DATASET blank:en TEXTS -l GADGET -p
gadget_patterns.jsonl` through its HTTP API (Starlette's TestClient, the page's token in a
header, as the page's own script sends it): a card is accepted iff the demo's reviewed.jsonl
has exactly that span. The texts are the reviewed ones, read up to --passes times in a seeded
order (as a user runs teach again on the same file: a span is never asked twice), since one
pass over 511 texts runs out of cards near 220 answers. After 100 answers the server is
closed and a new one started on the same store (a resumed session). The oracle waits for
each background update to finish, as a person answering a card every few seconds gives it
time to. After 100, 200 and 400 answers,
`nerforge train db:DATASET` (the library call, default settings) trains a model, scored on
eval.jsonl (labelled in full).

Printed per order (uncertain, teach's default, and random), median over seeds: P/R/F on
eval.jsonl at each checkpoint, the dev F train reports and whether it says precision is
estimated on answered spans only, the share of the first 20 cards after the resume that
were accepted, and the share of the first 200 cards the model (not the patterns) proposed.

    python bench/teach_session.py [--seeds 0 1 2] [--orders uncertain random] [--passes 4]
        [--teach-outside-rate 0.05] [--outside-rate 0.25]  (teach's updates; the train step)

Targets (issue 30): at 200 answers F >= 60 with P >= 70; at 400, F >= 80; after the resume,
half of the first 20 cards accepted; by 200 answers, a third of the cards from the model.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import uuid
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from nerforge.demo import EVALUATION, LABEL, PATTERNS, REVIEWED
from nerforge.evaluation.evaluate import evaluate
from nerforge.io import read_tasks
from nerforge.training import Trainer
from nerforge.training.defaults import OUTSIDE_RATE, TEACH_OUTSIDE_RATE
from nerforge.web.teach import create_teach_app

CHECKPOINTS = (100, 200, 400)
RESUME_AT = 100
FIRST_AFTER_RESUME = 20
TOKEN_HEADER = "x-nerforge-token"


class Session:
    """One teach server on the store, answered by the oracle through HTTP."""

    def __init__(self, store: Path, source: Path, order: str, seed: int, outside_rate: float) -> None:
        self.server = create_teach_app(
            "teach",
            "blank:en",
            source,
            label=LABEL,
            patterns=PATTERNS,
            db=store,
            order=order,
            seed=seed,
            outside_rate=outside_rate,
        )
        self.client = TestClient(self.server.app, base_url="http://127.0.0.1")
        page = self.client.get("/").text
        self.client.headers[TOKEN_HEADER] = page.split('name="nerforge-token" content="')[1].split('"')[0]
        self.state: dict[str, Any] = self.client.get("/api/state?session=oracle").json()

    def answer(self, gold: dict[str, set[tuple[int, int]]]) -> tuple[bool, str] | None:
        """Answer the card shown; return (accepted, source), or None when there is no card."""
        card = self.state.get("task")
        if card is None:
            return None
        span = card["span"]
        accepted = (span["start"], span["end"]) in gold.get(card["text"], set())
        body = {
            "task_id": card["id"],
            "answer": "accept" if accepted else "reject",
            "request_id": uuid.uuid4().hex,
        }
        reply = self.client.post("/api/answer?session=oracle", json=body)
        reply.raise_for_status()
        self.state = reply.json()
        self.server.parts.learner.wait()  # a person's pace: the update started by this answer lands
        return accepted, span.get("source") or ""

    def close(self) -> None:
        self.server.close()
        self.client.close()


def train_and_score(store: Path, folder: Path, seed: int, outside_rate: float) -> dict[str, Any]:
    os.environ["NERFORGE_DB"] = str(store)  # where db:teach is read
    trainer = Trainer(labels=[LABEL], seed=seed, force=True, outside_rate=outside_rate)
    trainer.fit("db:teach", output=folder, overwrite=True)
    report = trainer.report_
    assert report is not None and report.best is not None
    scored = evaluate(folder / "model-best", str(EVALUATION), labels=[LABEL]).scores.overall
    return {
        "p": scored.precision,
        "r": scored.recall,
        "f": scored.f,
        "dev_f": report.best.f,
        "labelled": report.dev_is_partial,
    }


def run(order: str, seed: int, scratch: Path, args: argparse.Namespace) -> dict[str, Any]:
    reviewed = list(read_tasks(str(REVIEWED)))
    gold = {t.text: {(s.start, s.end) for s in t.accepted_spans if s.label == LABEL} for t in reviewed}
    rng = random.Random(seed)
    texts = []
    for _ in range(args.passes):
        texts += rng.sample([t.text for t in reviewed], len(reviewed))
    source = scratch / "texts.jsonl"
    source.write_text("".join(json.dumps({"text": text}) + "\n" for text in texts))
    store = scratch / f"{order}-{seed}.db"
    session = Session(store, source, order, seed, args.teach_outside_rate)
    answers: list[tuple[bool, str]] = []
    after_resume: list[bool] = []
    scores: dict[int, dict[str, Any]] = {}
    while len(answers) < CHECKPOINTS[-1]:
        given = session.answer(gold)
        if given is None:
            break
        answers.append(given)
        if len(answers) > RESUME_AT and len(after_resume) < FIRST_AFTER_RESUME:
            after_resume.append(given[0])
        if len(answers) == RESUME_AT:
            session.close()
            session = Session(store, source, order, seed, args.teach_outside_rate)
        if len(answers) in CHECKPOINTS:
            model = scratch / f"model-{order}-{seed}"
            scores[len(answers)] = train_and_score(store, model, seed, args.outside_rate)
    session.close()
    first_200 = answers[:200]
    return {
        "scores": scores,
        "n_answers": len(answers),
        "accepted_after_resume": sum(after_resume) / max(len(after_resume), 1),
        "model_share_200": sum(source == "model" for _, source in first_200) / max(len(first_200), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--orders", nargs="+", default=["uncertain", "random"])
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--teach-outside-rate", type=float, default=TEACH_OUTSIDE_RATE)
    parser.add_argument("--outside-rate", type=float, default=OUTSIDE_RATE)
    args = parser.parse_args()
    for order in args.orders:
        runs = []
        for seed in args.seeds:
            with tempfile.TemporaryDirectory(prefix="nerforge-teach-session-") as folder:
                runs.append(run(order, seed, Path(folder), args))
            print(f"{order} seed {seed}: {json.dumps(runs[-1])}", flush=True)
        print(f"\n{order} (median over seeds {args.seeds})")
        for n in CHECKPOINTS:
            done = [r["scores"][n] for r in runs if n in r["scores"]]
            if not done:
                print(f"  {n} answers: the cards ran out before")
                continue
            med = {key: statistics.median(d[key] for d in done) for key in ("p", "r", "f", "dev_f")}
            print(
                f"  {n} answers: eval P {100 * med['p']:.1f} R {100 * med['r']:.1f} F {100 * med['f']:.1f}; "
                f"dev F {100 * med['dev_f']:.1f} (labelled partial: {all(d['labelled'] for d in done)})"
            )
        print(
            f"  first {FIRST_AFTER_RESUME} cards after the resume accepted: "
            f"{statistics.median(r['accepted_after_resume'] for r in runs):.0%}"
        )
        share = statistics.median(r["model_share_200"] for r in runs)
        print(f"  cards the model proposed among the first 200: {share:.0%}")


if __name__ == "__main__":
    main()
