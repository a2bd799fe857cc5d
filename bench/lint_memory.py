"""``nerforge lint`` on big corpora: seconds, words/s and peak memory at two corpus sizes.

A synthetic task JSONL of at least --words words is built from the demo's gold data
(``src/nerforge/demo/reviewed.jsonl``): copy after copy, each shuffled (seeded). Most
records get a number appended to their text (" #123456", after every span, so the spans
stay right), which makes them distinct texts, as most texts of a real corpus are; one in
ten (DUPLICATE_SHARE) is left as it is, a duplicate of the demo's text; one record in
BROKEN_EVERY is a line of broken JSON, which lint must report and read past.

Each size is linted in a fresh child process (``nerforge lint CORPUS --json REPORT``);
its peak memory is the highest RSS read from ``/proc/PID/status`` every 50 ms (VmRSS,
and VmHWM, the kernel's own high-water mark, which catches peaks between samples).
Seconds are the child's wall time, start-up (importing spaCy) included.

Target (issue 21): peak RSS at --also-words within 10% of --words.

    python bench/lint_memory.py [--words 1000000] [--also-words 4000000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "src" / "nerforge" / "demo" / "reviewed.jsonl"
CACHE = ROOT / "bench" / "output" / "lint_memory"  # ignored by git
SAMPLE_S = 0.05  # memory sampling interval
DUPLICATE_SHARE = 0.1  # records left as the demo's text: repeats for L602 to find
BROKEN_EVERY = 10_000  # one record in this many is a line of broken JSON
TARGET_RATIO = 1.10  # peak RSS at the larger corpus over the smaller one


def build_corpus(path: Path, n_words: int, seed: int) -> tuple[int, int]:
    """Write at least ``n_words`` words of tasks; returns (words, records incl. broken lines)."""
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    n_written = n_records = 0
    with path.open("w", encoding="utf-8") as handle:
        while n_written < n_words:
            copy = gold[:]
            rng.shuffle(copy)
            for record in copy:
                n_records += 1
                if n_records % BROKEN_EVERY == 0:
                    handle.write('{"text": "a broken line\n')
                    continue
                text = record["text"]
                if rng.random() >= DUPLICATE_SHARE:
                    text = f"{text} #{n_records}"
                handle.write(json.dumps({**record, "text": text, "meta": {}}) + "\n")
                n_written += len(text.split())
    return n_written, n_records


def corpus_of(n_words: int, seed: int) -> tuple[Path, int, int]:
    """The cached corpus of this size and seed, built once."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"corpus-{n_words}-{seed}.jsonl"
    counts = path.with_suffix(".counts.json")
    if not counts.exists():
        n_written, n_records = build_corpus(path, n_words, seed)
        counts.write_text(json.dumps([n_written, n_records]))
    n_written, n_records = json.loads(counts.read_text())
    return path, n_written, n_records


def read_status(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in bytes; zeros once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0, 0
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)

    def kilobytes(name: str) -> int:
        return int(fields.get(name, "0 kB").split()[0]) * 1024

    return kilobytes("VmRSS"), kilobytes("VmHWM")


def measure(corpus: Path, report: Path) -> tuple[float, float, str]:
    """Lint ``corpus`` in a child; returns (seconds, peak RSS MB, what it wrote to stderr)."""
    child = [sys.executable, "-c", "from nerforge.cli import app; app()", "lint", str(corpus)]
    child += ["--json", str(report)]
    start = time.perf_counter()
    process = subprocess.Popen(child, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, *read_status(process.pid))
        time.sleep(SAMPLE_S)
    seconds = time.perf_counter() - start
    _, errors = process.communicate()
    if process.returncode not in (0, 1):  # 1: lint found errors (the broken lines)
        raise SystemExit(f"lint failed with exit code {process.returncode}:\n{errors}")
    return seconds, peak / 2**20, errors


def run(n_words: int, seed: int) -> dict[str, float]:
    """Build (or reuse) a corpus, lint it, check the summary adds up; one row of the table."""
    corpus, n_written, n_records = corpus_of(n_words, seed)
    report_path = CACHE / f"report-{n_words}-{seed}.json"
    report_path.unlink(missing_ok=True)
    seconds, peak_mb, errors = measure(corpus, report_path)
    if not report_path.exists():
        raise SystemExit(f"lint wrote no report:\n{errors}")
    summary = json.loads(report_path.read_text())["summary"][0]
    n_read = summary["n_tasks"] + summary["n_rejected"]
    if n_read != n_records:
        raise SystemExit(f"the summary does not add up: {n_read} read + rejected, {n_records} records")
    row = {"words": n_written, "records": n_records, "rejected": summary["n_rejected"]}
    return {**row, "seconds": seconds, "words_per_s": n_written / seconds, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--also-words", type=int, default=0, help="a second corpus size, for memory")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sizes = [args.words] + ([args.also_words] if args.also_words else [])
    rows = [run(n_words, args.seed) for n_words in sizes]
    print("nerforge lint: words | records | rejected | seconds | words/s | peak RSS MB")
    for row in rows:
        print(
            f"  {row['words']:>10,} | {row['records']:>8,} | {row['rejected']:>5,} | {row['seconds']:7.1f} "
            f"| {row['words_per_s']:>8,.0f} | {row['peak_mb']:>7,.0f}"
        )
    if len(rows) == 2:
        ratio = rows[1]["peak_mb"] / rows[0]["peak_mb"]
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        print(
            f"  peak RSS {rows[1]['words']:,} / {rows[0]['words']:,} words: {ratio:.2f}x "
            f"(target <= {TARGET_RATIO:.2f}: {verdict})"
        )


if __name__ == "__main__":
    main()
