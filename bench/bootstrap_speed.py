"""Words/sec of `nerforge bootstrap` against hand-written spaCy matching and the tokenizer.

Three ways over the same texts, in the same run, best of --repeats (machines are noisy):

- tokenizer: ``nlp.tokenizer.pipe`` alone (the floor of any matching);
- hand-written: ``nlp.make_doc`` + ``Matcher`` + ``PhraseMatcher``, matches collected, no I/O;
- nerforge: ``bootstrap_files`` end to end, reading and writing task JSONL (what the CLI runs),
  single process and with ``n_process=2``.

Each way starts from a fresh ``spacy.blank("en")``, as a script or a CLI run does (a warm
vocab skips creating lexemes, which is a large share of tokenizing new text).

Texts: WNUT-17 (../shared/data/wnut17, all splits) when present, else the demo comments,
repeated to about --words words. Patterns: the demo pattern file plus 1,000 generated phrases.

    python bench/bootstrap_speed.py [--words 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.matcher import Matcher, PhraseMatcher

from nerforge.io import read_tasks
from nerforge.patterns import bootstrap_files, load_patterns

ROOT = Path(__file__).resolve().parent.parent
WNUT = ROOT.parent / "shared" / "data" / "wnut17"
DEMO = ROOT / "src" / "nerforge" / "demo"
BRANDS = ["Zentro", "Kalyx", "Moravia", "Quillon", "Tessar", "Vantor", "Orbyn", "Plexa", "Sundry", "Haldor"]
FAMILIES = ["Note", "Tab", "Buds", "Book", "Watch", "Cam", "Pad", "Beam", "Pulse", "Edge"]
SUFFIXES = ["", " Pro", " Max", " Lite", " Ultra", " Plus", " Mini", " Air", " SE", " X"]


def load_texts(n_words: int) -> tuple[list[str], str]:
    if WNUT.is_dir():
        base = [t.text for split in ("train", "dev", "test") for t in read_tasks(WNUT / f"{split}.jsonl")]
        source = "WNUT-17 train+dev+test"
    else:
        base = [t.text for t in read_tasks(DEMO / "comments.txt")]
        source = "demo comments"
    words_per_copy = sum(len(t.split()) for t in base)
    copies = max(1, n_words // words_per_copy)
    return base * copies, f"{source} x{copies}"


def write_patterns(folder: Path) -> Path:
    lines = (DEMO / "gadget_patterns.jsonl").read_text().splitlines()
    phrases = [f"{b} {f}{s}" for b in BRANDS for f in FAMILIES for s in SUFFIXES]
    lines += [
        json.dumps({"label": "GADGET", "pattern": p, "id": f"phrase-{i}"}) for i, p in enumerate(phrases)
    ]
    path = folder / "patterns.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def tokenizer_only(texts: list[str]) -> int:
    nlp = spacy.blank("en")
    return sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=1000))


def hand_written(texts: list[str], patterns) -> int:
    nlp = spacy.blank("en")
    matcher, phrases = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab)
    for p in patterns:
        if p.is_phrase:
            phrases.add(p.label, [nlp.make_doc(p.pattern)])
        else:
            matcher.add(p.label, [[dict(t) for t in p.pattern]])
    n_words, found = 0, []
    for text in texts:
        doc = nlp.make_doc(text)
        found.append(matcher(doc) + phrases(doc))
        n_words += len(doc)
    return n_words


def best_time(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    texts, source = load_texts(args.words)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pattern_path = write_patterns(folder)
        patterns = load_patterns(pattern_path)
        raw = folder / "raw.jsonl"
        raw.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
        n_words = tokenizer_only(texts)

        def nerforge(n_process: int) -> Callable[[], object]:
            return lambda: bootstrap_files(raw, pattern_path, folder / "out.jsonl", n_process=n_process)

        runs = {
            "tokenizer only": lambda: tokenizer_only(texts),
            "hand-written spaCy (make_doc+Matcher+PhraseMatcher, no I/O)": lambda: hand_written(
                texts, patterns
            ),
            "nerforge bootstrap (JSONL in and out)": nerforge(1),
            "nerforge bootstrap --n-process 2": nerforge(2),
        }
        seconds = {name: best_time(run, args.repeats) for name, run in runs.items()}
    print(
        f"texts: {len(texts)} ({source}), words: {n_words}, patterns: {len(patterns)}, best of {args.repeats}"
    )
    hand = seconds["hand-written spaCy (make_doc+Matcher+PhraseMatcher, no I/O)"]
    tok = seconds["tokenizer only"]
    single = seconds["nerforge bootstrap (JSONL in and out)"]
    print(f"{'way':<62} {'words/s':>10} {'vs hand':>8} {'vs tok':>8}")
    for name, secs in seconds.items():
        print(f"{name:<62} {n_words / secs:>10,.0f} {hand / secs:>7.2f}x {tok / secs:>7.2f}x")
    print(
        f"--n-process 2 speed-up over 1 process: {single / seconds['nerforge bootstrap --n-process 2']:.2f}x"
    )


if __name__ == "__main__":
    main()
