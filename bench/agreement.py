"""Do the agreement figures rank annotators by how often they err, and does a majority vote beat each?

Three simulated annotators answer the demo's gold test set (src/nerforge/demo/eval.jsonl) with
known, different error rates: each gold span is, with the annotator's rate, missed, shifted by
a token at one boundary, or given another label (one of the three, equally likely; seeded).
Their answers are imported into a temporary store under their names and compared with
``nerforge db agreement``'s library call. Two claims are checked:

1. each annotator's mean pairwise span F1 with the others orders them by their true error rate;
2. a majority vote (a span kept where at least 2 of the 3 marked it exactly) scores closer to
   the true gold than any single annotator;
3. so does the gold a scripted adjudicator settles through the adjudication page's HTTP API
   (``nerforge review bench --into gold --auto-accept-agreed``, Starlette's TestClient with the
   page's token): texts every version agrees on go straight through; on each other text it
   picks the version needing the fewest edits to reach the spans two annotators or more marked,
   edits it into them on the page (spans added or removed: ``_edited``), and accepts. Its gold,
   read back from the store, must equal the majority vote: what the page stores is what was sent.

Every seed is one simulation; the first is shown in full, then one line per seed and how
often each claim held. The majority loses a span where two annotators err on it, so against
one annotator far better than the other two (--rates 0.05,0.15,0.30) it can lose: measured,
it beat the best annotator on 7 of 10 seeds there.

    python bench/agreement.py [--seeds 10] [--rates 0.10,0.20,0.30]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import spacy
from starlette.testclient import TestClient

from nerforge.evaluation.agreement import agreement
from nerforge.io import read_tasks
from nerforge.records import Span, Task
from nerforge.storage import Store, import_tasks
from nerforge.web.adjudicate import create_adjudication_app

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "src" / "nerforge" / "demo" / "eval.jsonl"
NAMES = ("ana", "bob", "cy")
ERRORS = ("miss", "shift", "label")
ADJUDICATOR = "judge"  # the scripted adjudicator's session
TOKEN_HEADER = "x-nerforge-token"
SpanKey = tuple[int, int, str]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=int, default=10, help="simulations, seeded 0, 1, ...")
    parser.add_argument("--rates", default="0.10,0.20,0.30", help="each annotator's error rate per span")
    args = parser.parse_args()
    rates = dict(zip(NAMES, (float(rate) for rate in args.rates.split(",")), strict=True))
    gold = [task for task in read_tasks(str(GOLD)) if task.answer == "accept"]
    outcomes = [_simulate(gold, rates, seed, show=seed == 0) for seed in range(args.seeds)]
    n_ordered, n_beats, n_adjudicated = (sum(outcome[i] for outcome in outcomes) for i in range(3))
    print(
        f"over {args.seeds} seeds: ordered by true error rate {n_ordered}, majority beats all {n_beats}, "
        f"adjudicated through the page beats all (and equals the majority) {n_adjudicated}"
    )
    if min(n_ordered, n_beats, n_adjudicated) < args.seeds:
        sys.exit(1)


def _simulate(gold: list[Task], rates: dict[str, float], seed: int, *, show: bool) -> tuple[bool, bool, bool]:
    """One simulation: the annotators' answers stored, compared and adjudicated; the claims' outcomes."""
    labels = sorted({span.label for task in gold for span in task.spans})
    nlp = spacy.blank("en")
    token_edges = [_edges(doc) for doc in nlp.tokenizer.pipe(task.text for task in gold)]
    rng = random.Random(seed)
    answers = {
        name: [
            _annotate(task, edges, rate, labels, rng) for task, edges in zip(gold, token_edges, strict=True)
        ]
        for name, rate in rates.items()
    }
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        for name, tasks in answers.items():
            import_tasks(db, "bench", tasks, annotator=name)
        result = agreement("bench", db=db, seed=seed)
        settled, counts = _adjudicate(db)
    majority = [_majority(versions) for versions in zip(*answers.values(), strict=True)]
    adjudicated = [settled[task.text] for task in gold]
    truth = {name: _f1(tasks, gold) for name, tasks in answers.items()}
    voted = _f1(majority, gold)
    judged = _f1(adjudicated, gold)
    same = [a.spans for a in adjudicated] == [m.spans for m in majority]
    if show:
        _report(result, rates, answers, majority, gold)
        print(
            f"{'adjudicated':<10} {'':>10} {sum(len(t.spans) for t in adjudicated):>6} {'':>12} "
            f"{100 * judged:>11.1f}  (page API: {counts['auto']} agreed, {counts['picked']} picked, "
            f"{counts['edited']} picked and edited)"
        )
    by_agreement = sorted(NAMES, key=lambda name: -(result.mean_f(name) or 0.0))
    ordered = by_agreement == sorted(NAMES, key=lambda name: rates[name])
    beats = all(voted > f for f in truth.values())
    adjudicated_beats = same and all(judged > f for f in truth.values())
    cells = "  ".join(
        f"{name} {100 * (result.mean_f(name) or 0):.1f}/{100 * truth[name]:.1f}" for name in NAMES
    )
    print(f"seed {seed}: mean pair F / F vs truth: {cells}  majority {100 * voted:.1f}  ", end="")
    print(f"adjudicated {100 * judged:.1f}  ", end="")
    print(f"ordered {'yes' if ordered else 'NO'}, majority best {'yes' if beats else 'NO'}, ", end="")
    print(f"adjudicated best {'yes' if adjudicated_beats else 'NO'}")
    return ordered, beats, adjudicated_beats


def _adjudicate(db: Path) -> tuple[dict[str, Task], Counter[str]]:
    """Settle every text on the adjudication page's API; the gold tasks by text, and how each was settled.

    Agreed texts go straight through (--auto-accept-agreed). On the others the adjudicator picks
    the version needing the fewest edits to reach the spans two versions or more hold, edits it
    into them, and accepts; the store's ``_edited`` must say whether it did.
    """
    found = create_adjudication_app("bench", "gold", db=db, auto_accept_agreed=True)
    client = TestClient(found.app, base_url="http://127.0.0.1")
    page = client.get("/").text
    client.headers[TOKEN_HEADER] = page.split('name="nerforge-token" content="')[1].split('"')[0]
    counts: Counter[str] = Counter(auto=found.n_auto)
    state = client.get(f"/api/state?session={ADJUDICATOR}").json()
    while (task := state["task"]) is not None:
        versions = [{_span_key(s) for s in v["spans"]} for v in task["versions"]]
        votes = Counter(key for spans in versions for key in spans)
        wanted = {key for key, n in votes.items() if n >= 2}
        best = min(range(len(versions)), key=lambda i: len(versions[i] ^ wanted))  # ties: the first
        counts["edited" if versions[best] != wanted else "picked"] += 1
        body = {
            "task_id": task["id"],
            "answer": "accept",
            "spans": [{"start": s, "end": e, "label": label} for s, e, label in sorted(wanted)],
            "version": task["versions"][best]["annotator"],
            "request_id": f"r{sum(counts.values())}",
        }
        reply = client.post(f"/api/answer?session={ADJUDICATOR}", json=body)
        reply.raise_for_status()
        state = reply.json()
    with Store(db, read_only=True) as store:
        settled = {task.text: task for task in store.iter_answers("gold")}
    n_edited = sum(bool(task.extra.get("_edited")) for task in settled.values())
    if n_edited != counts["edited"]:
        message = f"the store marks {n_edited} texts edited; the adjudicator edited {counts['edited']}"
        raise RuntimeError(message)
    return settled, counts


def _span_key(span: dict[str, Any]) -> SpanKey:
    return (int(span["start"]), int(span["end"]), str(span["label"]))


def _edges(doc: spacy.tokens.Doc) -> list[tuple[int, int]]:
    return [(token.idx, token.idx + len(token)) for token in doc if not token.is_space]


def _annotate(
    task: Task, edges: list[tuple[int, int]], rate: float, labels: list[str], rng: random.Random
) -> Task:
    """The gold spans, each with probability ``rate`` missed, shifted or relabelled."""
    kept: list[Span] = []
    for i, span in enumerate(task.spans):
        if rng.random() >= rate:
            kept.append(span)
            continue
        error = rng.choice(ERRORS)
        if error == "label":
            kept.append(Span(span.start, span.end, rng.choice([lab for lab in labels if lab != span.label])))
        elif error == "shift":  # clear of the spans placed so far and of the gold ones still to come
            kept.append(_shifted(span, edges, (*kept, *task.spans[i + 1 :]), rng))
    return Task(task.text, tuple(sorted(kept)), meta=task.meta)


def _shifted(span: Span, edges: list[tuple[int, int]], others: tuple[Span, ...], rng: random.Random) -> Span:
    """The span a token longer or shorter at one end; the span itself if no such change fits."""
    inside = [i for i, (start, end) in enumerate(edges) if start >= span.start and end <= span.end]
    if not inside:
        return span
    first, last = inside[0], inside[-1]
    options = [(first - 1, last), (first, last + 1)]
    if last > first:
        options += [(first + 1, last), (first, last - 1)]
    rng.shuffle(options)
    for lo, hi in options:
        if 0 <= lo <= hi < len(edges):
            moved = Span(edges[lo][0], edges[hi][1], span.label)
            if not any(moved.overlaps(other) for other in others):
                return moved
    return span


def _majority(versions: tuple[Task, ...]) -> Task:
    """Spans at least 2 of the 3 marked exactly (two such spans never overlap: they share a marker)."""
    votes = Counter(span for task in versions for span in task.spans)
    return Task(versions[0].text, tuple(sorted(span for span, n in votes.items() if n >= 2)))


def _f1(predicted: list[Task], gold: list[Task]) -> float:
    """Exact span F1 against the true gold: 2 * matches / (predicted spans + gold spans)."""
    matches = sum(len(set(p.spans) & set(g.spans)) for p, g in zip(predicted, gold, strict=True))
    total = sum(len(p.spans) + len(g.spans) for p, g in zip(predicted, gold, strict=True))
    return 2 * matches / total if total else 1.0


def _report(result, rates, answers, majority, gold) -> None:  # type: ignore[no-untyped-def]
    n_spans = sum(len(task.spans) for task in gold)
    print(f"{len(gold)} texts, {n_spans} gold spans; errors: missed, shifted a token, relabelled")
    print(f"{'annotator':<10} {'error rate':>10} {'spans':>6} {'mean pair F':>12} {'F vs truth':>11}")
    truth = {name: _f1(tasks, gold) for name, tasks in answers.items()}
    for name in NAMES:
        n_marked = sum(len(task.spans) for task in answers[name])
        mean_f = result.mean_f(name)
        print(
            f"{name:<10} {rates[name]:>10.2f} {n_marked:>6} {100 * mean_f:>12.1f} {100 * truth[name]:>11.1f}"
        )
    n_majority = sum(len(task.spans) for task in majority)
    voted = _f1(majority, gold)
    print(f"{'majority':<10} {'':>10} {n_majority:>6} {'':>12} {100 * voted:>11.1f}")
    alpha = result.spans.alpha
    low, high = alpha.interval or (float("nan"), float("nan"))
    print(f"Krippendorff's alpha over tokens: {alpha.value:.3f} (95% {low:.3f} to {high:.3f}), ", end="")
    print(f"{alpha.n_texts} texts")
    for pair in result.spans.pairs:
        exact = pair.overall.exact
        low, high = (100 * end for end in exact.interval or (float("nan"), float("nan")))
        print(f"  {pair.first}/{pair.second}: exact F {100 * exact.value:.1f} (95% {low:.1f} to {high:.1f})")


if __name__ == "__main__":
    main()
