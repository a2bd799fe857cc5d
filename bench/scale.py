# ruff: noqa: PLC0415 - each child imports only the system it times
"""Big corpora: words/sec and peak memory of predict and bootstrap, one process to a Dask cluster.

A synthetic corpus of at least --words words is built from the demo comments (each copy
shuffled, seeded). Each system runs in a fresh child process, timed from after its imports
(loading the model and starting workers or a cluster count) to its last written line;
peak memory is the largest sum of RSS over the child and all its descendants, sampled
every 50 ms (RSS counts pages forked workers share in each of them, so it overstates a
pool a little). Rows, for predict with the demo's trained model:

- spaCy: ``nlp.pipe`` over the lines, entities written as JSONL, by hand;
- nerforge ``predict`` with 1 and 2 processes, and on a Dask LocalCluster of 2 workers;

for bootstrap with the demo patterns:

- hand-written: ``nlp.tokenizer.pipe`` + ``Matcher`` + ``PhraseMatcher``, spans written as JSONL;
- nerforge ``bootstrap`` with 1 and 2 processes, and on a LocalCluster of 2 workers;

and for evaluate, on gold JSONL made of copies of the demo's reviewed and eval tasks:

- spaCy: ``nlp.evaluate`` over Examples made from the JSONL, by hand;
- nerforge ``evaluate`` (streamed: its memory should not grow with the test set).

With --ids every text ends in a unique order number, as real comments carry IDs and URLs:
each is a new word for spaCy's vocab, which then grows with the corpus unless it is read in
memory zones (nerforge is, past its first 10,000 texts).

Targets (issue 21): nerforge single-process >= 0.95x spaCy; 2 processes >= 1.75x one on
predict; Dask within 15% of 2 processes; peak memory flat in corpus size (--also-words).

    python bench/scale.py [--words 1000000] [--also-words 4000000] [--model DIR] [--only evaluate] [--ids]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "nerforge" / "demo"
CACHE = ROOT / "bench" / "output" / "scale"  # ignored by git
SAMPLE_S = 0.05  # memory sampling interval
ROWS = {
    "predict": [
        ("spaCy nlp.pipe", "spacy_predict", {}),
        ("nerforge 1 process", "nerforge_predict", {"n_process": 1}),
        ("nerforge 2 processes", "nerforge_predict", {"n_process": 2}),
        ("nerforge Dask local:2", "nerforge_predict", {"scheduler": "local:2"}),
    ],
    "bootstrap": [
        ("hand-written match", "hand_bootstrap", {}),
        ("nerforge 1 process", "nerforge_bootstrap", {"n_process": 1}),
        ("nerforge 2 processes", "nerforge_bootstrap", {"n_process": 2}),
        ("nerforge Dask local:2", "nerforge_bootstrap", {"scheduler": "local:2"}),
    ],
    "evaluate": [
        ("spaCy nlp.evaluate", "spacy_evaluate", {}),
        ("nerforge evaluate", "nerforge_evaluate", {}),
    ],
}


# ---- the systems, each run in a child process: python bench/scale.py --child NAME ...


def spacy_predict(corpus: str, out: str, model: str, **_: object) -> int:
    import spacy
    from srsly import ujson

    nlp = spacy.load(model)
    disabled = [name for name in nlp.pipe_names if name not in ("tok2vec", "ner")]
    n_words = 0
    with open(corpus, encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as handle:
        texts = (line.rstrip("\n") for line in lines if line.strip())
        for doc in nlp.pipe(texts, batch_size=256, disable=disabled):
            n_words += len(doc)
            spans = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]
            handle.write(ujson.dumps({"text": doc.text, "spans": spans}) + "\n")
    return n_words


def nerforge_predict(corpus: str, out: str, model: str, patterns: str, **options: object) -> int:
    from nerforge.evaluation.prediction import predict

    return predict(model, corpus, out, **options).n_words  # type: ignore[arg-type]


def hand_bootstrap(corpus: str, out: str, patterns: str, **_: object) -> int:
    import spacy
    from spacy.matcher import Matcher, PhraseMatcher
    from srsly import ujson

    nlp = spacy.blank("en")
    matcher, phrases = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab)
    for line in Path(patterns).read_text().splitlines():
        entry = json.loads(line)
        if isinstance(entry["pattern"], str):
            phrases.add(entry["label"], [nlp.make_doc(entry["pattern"])])
        else:
            matcher.add(entry["label"], [entry["pattern"]])
    n_words = 0
    with open(corpus, encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as handle:
        texts = (line.rstrip("\n") for line in lines if line.strip())
        for doc in nlp.tokenizer.pipe(texts, batch_size=1000):
            n_words += len(doc)
            found = matcher(doc) + phrases(doc)
            spans = [
                {"start": doc[s].idx, "end": doc[e - 1].idx + len(doc[e - 1]), "label": nlp.vocab.strings[k]}
                for k, s, e in found
            ]
            handle.write(ujson.dumps({"text": doc.text, "spans": spans}) + "\n")
    return n_words


def nerforge_bootstrap(corpus: str, out: str, model: str, patterns: str, **options: object) -> int:
    from nerforge.patterns.bootstrap import bootstrap_files

    counts = bootstrap_files(corpus, patterns, out, **options)  # type: ignore[arg-type]
    assert counts.run is not None
    return counts.run.n_words


def spacy_evaluate(corpus: str, out: str, model: str, **_: object) -> int:
    import spacy
    from spacy.training import Example
    from srsly import ujson

    nlp = spacy.load(model)

    def examples():
        with open(corpus, encoding="utf-8") as lines:
            for line in lines:
                task = ujson.loads(line)
                entities = [(s["start"], s["end"], s["label"]) for s in task.get("spans", [])]
                yield Example.from_dict(nlp.make_doc(task["text"]), {"entities": entities})

    scores = nlp.evaluate(examples(), batch_size=256)
    Path(out).write_text(json.dumps({"ents_f": scores["ents_f"]}))
    return 0  # the parent counts the gold corpus's words


def nerforge_evaluate(corpus: str, out: str, model: str, **_: object) -> int:
    from nerforge.evaluation.evaluate import evaluate

    result = evaluate(model, corpus)
    Path(out).write_text(json.dumps({"ents_f": result.scores.overall.f}))
    return 0


def run_child(args: argparse.Namespace) -> None:
    system = globals()[args.child]
    options = json.loads(args.options)
    # imports first, then the clock: each system pays its model load and workers, not Python's start
    # or its modules' imports
    import spacy
    import spacy.matcher
    import spacy.training  # noqa: F401

    import nerforge.evaluation.evaluate
    import nerforge.evaluation.prediction
    import nerforge.parallel
    import nerforge.patterns.bootstrap  # noqa: F401

    started = time.perf_counter()
    n_words = system(args.corpus, args.out, model=args.model, patterns=args.patterns, **options)
    print(json.dumps({"n_words": n_words, "seconds": time.perf_counter() - started}))


# ---- the parent: corpus, model, children, memory, table


def build_corpus(path: Path, n_words: int, *, gold: bool = False, ids: bool = False) -> int:
    """At least n_words words of shuffled copies of the demo's texts; returns the words written.

    Raw comments (one a line), or with ``gold`` the demo's reviewed and eval tasks as JSONL.
    With ``ids`` each text ends in a unique order number, as real comments carry IDs, URLs and
    typos: every one is a new word for spaCy's vocab.
    """
    names = ("reviewed.jsonl", "eval.jsonl") if gold else ("comments.txt",)
    lines = [line for name in names for line in (DEMO / name).read_text().splitlines() if line.strip()]
    texts = [json.loads(line)["text"] if gold else line for line in lines]
    per_copy = sum(len(text.split()) for text in texts)
    rng = random.Random(0)
    written = 0
    with path.open("w", encoding="utf-8") as handle:
        while written < n_words:
            order = list(range(len(lines)))
            rng.shuffle(order)
            for index in order:
                line = lines[index]
                if ids:
                    line = _with_id(line, gold, f" #{rng.getrandbits(48):012x}")
                handle.write(line + "\n")
            written += per_copy + (len(lines) if ids else 0)
    return written


def _with_id(line: str, gold: bool, suffix: str) -> str:
    if not gold:
        return line + suffix
    task = json.loads(line)
    task["text"] += suffix  # after every span: their offsets stay right
    return json.dumps(task)


def demo_model(given: str | None) -> str:
    if given:
        return given
    folder = CACHE / "demo-model"
    if not (folder / "model-best").is_dir():
        command = [sys.executable, "-c", "from nerforge.cli import app; app()", "train"]
        subprocess.run([*command, str(DEMO / "reviewed.jsonl"), "-o", str(folder)], check=True)
    return str(folder / "model-best")


def measure(child: list[str]) -> tuple[dict[str, float], float]:
    import psutil

    process = subprocess.Popen(child, stdout=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(_rss(p) for p in tree))
        except psutil.NoSuchProcess:
            pass
        time.sleep(SAMPLE_S)
    out, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{child} failed with exit code {process.returncode}")
    return json.loads(out.strip().splitlines()[-1]), peak / 2**20


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # noqa: BLE001 - a worker may exit between listing and reading
        return 0


def run_rows(
    kind: str, corpus: Path, model: str, folder: Path, corpus_words: int
) -> list[tuple[str, float, float, float]]:
    rows = []
    for label, function, options in ROWS[kind]:
        out = folder / f"{function}-{len(rows)}.jsonl"
        child = [sys.executable, __file__, "--child", function, "--corpus", str(corpus), "--out", str(out)]
        child += ["--model", model, "--patterns", str(DEMO / "gadget_patterns.jsonl")]
        child += ["--options", json.dumps(options)]
        result, peak_mb = measure(child)
        rate = (result["n_words"] or corpus_words) / result["seconds"]
        rows.append((label, rate, peak_mb, result["seconds"]))
        line = f"{rate:>10,.0f} words/s  {peak_mb:>7,.0f} MB  {result['seconds']:.1f} s"
        print(f"  {kind:9} {label:24} {line}", flush=True)
    return rows


def print_table(kind: str, rows: list, big_rows: list | None) -> None:
    base, one = rows[0][1], rows[1][1]
    more = " | peak at --also-words" if big_rows else ""
    print(f"\n{kind}: system | words/sec | vs first row | peak RSS MB{more}")
    for index, (label, rate, peak, _) in enumerate(rows):
        extra = f" | {big_rows[index][2]:,.0f}" if big_rows else ""
        print(f"  {label:24} | {rate:>10,.0f} | {rate / base:5.2f}x | {peak:>7,.0f}{extra}")
    print(f"  nerforge 1 process / {rows[0][0]}: {one / base:.2f}x (target >= 0.95)")
    if len(rows) == 4:
        two = rows[2][1]
        print(f"  2 processes / 1 process: {two / one:.2f}x (target >= 1.75 for predict)")
        print(f"  Dask local:2 / 2 processes: {rows[3][1] / two:.2f}x (target >= 0.85)")
    if big_rows:
        changes = [big[2] / small[2] - 1 for small, big in zip(rows, big_rows, strict=True)]
        print("  peak memory change at the larger corpus: " + ", ".join(f"{c:+.0%}" for c in changes))


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--also-words", type=int, default=0, help="a second corpus size, for memory")
    parser.add_argument("--model", default=None, help="a trained pipeline (default: train the demo's)")
    parser.add_argument("--only", choices=sorted(ROWS), default=None)
    parser.add_argument("--ids", action="store_true", help="end each text in a unique order number")
    for name in ("--child", "--corpus", "--out", "--patterns", "--options"):
        parser.add_argument(name, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    model = demo_model(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"model: {model}", flush=True)
        for kind in [args.only] if args.only else list(ROWS):
            gold = kind == "evaluate"
            name = "gold.jsonl" if gold else "corpus.txt"
            corpus = folder / name
            n_words = build_corpus(corpus, args.words, gold=gold, ids=args.ids)
            print(f"{kind} corpus: {n_words:,} words (whitespace) from the demo's {name}", flush=True)
            rows = run_rows(kind, corpus, model, folder, n_words)
            big_rows = None
            if args.also_words:
                big = folder / f"big-{name}"
                n_big = build_corpus(big, args.also_words, gold=gold, ids=args.ids)
                print(f"second corpus: {n_big:,} words", flush=True)
                big_rows = run_rows(kind, big, model, folder, n_big)
            print_table(kind, rows, big_rows)


if __name__ == "__main__":
    main()
