"""Partial answers as training data: the tokens beside an accepted span, and a sample of the rest, as outside.

Binary answers (teach's accept or reject on one span, Prodigy's ``ner.teach``) say nothing
about the tokens around the span: they are *missing*. An NER that never sees an "outside"
token learns that predicting an entity is always safe: on the demo, a model trained on one
accepted span per text with every unknown token missing scored eval precision 0.08. So two
kinds of unknown tokens are read as outside:

- the token just before and just after each accepted span: accepting a span says where
  the entity starts and ends (its B and L), so its neighbours are not part of it. Without
  this, most of the false positives ran on past the end ("galaxy s23 for", "ps5 slim
  stand sold"): nothing told the model where an entity stops;
- each epoch a new seeded sample of the other unknown tokens (the rates in
  :mod:`.defaults`). Entities are sparse (about one token in twelve in the demo), so a
  random unknown token is almost always outside: negative sampling for partially
  annotated NER (Li et al., "Empirical Analysis of Unlabeled Entity Problem in Named
  Entity Recognition", ICLR 2021).

One rule, in one place: teach's background updates (:mod:`nerforge.active.updating`) and
``nerforge train`` on data with unknown tokens (``nerforge.OutsideSampler.v1``, a batcher,
so an exported config resamples under plain ``spacy train`` too) both merge the answers per
text (:func:`merge_answers`) and call :func:`with_outside_sample`. A rate of 0 turns both
kinds off. The stored answers keep their binary meaning.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc
from spacy.training import Example
from thinc.api import Config

from ..records import Span, Task
from .defaults import OUTSIDE_RATE

Batcher = Callable[[Iterable[Example]], Iterable[list[Example]]]


def merge_answers(answers: Iterable[Task]) -> list[Task]:
    """One incomplete task per text with every span it was answered on (ignored answers dropped).

    A span answered twice (two sessions, or an answer replaced) keeps its latest answer. An
    accepted span that overlaps one accepted before it in the same text is dropped: the NER
    can't hold both, and the first answer stands. The tasks come in first-answer order, each
    with the first answer's meta, fields and origin.
    """
    first: dict[str, Task] = {}
    by_text: dict[str, dict[tuple[int, int, str], Span]] = {}
    for answer in answers:
        if answer.answer != "ignore":
            first.setdefault(answer.text, answer)
            spans = by_text.setdefault(answer.text, {})
            spans.update({(s.start, s.end, s.label): s for s in answer.spans})
    return [_merged(first[text], list(spans.values())) for text, spans in by_text.items()]


def _merged(first: Task, spans: list[Span]) -> Task:
    kept: list[Span] = []
    for span in spans:
        if not (span.is_accepted and any(k.is_accepted and k.overlaps(span) for k in kept)):
            kept.append(span)
    return Task(
        first.text, tuple(sorted(kept)), "accept", False, first.meta, first.extra, first.origin, first.cats
    )


def merge_partial(tasks: Iterable[Task]) -> list[Task]:
    """Complete tasks as they are; the partial span answers (incomplete, with spans) merged per text.

    Each merged task takes the place of its text's first answer. A text answered once keeps
    its record, and so does a task without spans (a text category, a raw text).
    """
    tasks = list(tasks)  # a training split: held whole anyway
    partial = [task for task in tasks if _is_partial_answer(task)]
    if len({task.text for task in partial}) == len(partial):
        return tasks
    merged = {task.text: task for task in merge_answers(partial)}
    kept: list[Task] = []
    for task in tasks:
        if not _is_partial_answer(task):
            kept.append(task)
        elif (answer := merged.pop(task.text, None)) is not None:
            kept.append(answer)
    return kept


def _is_partial_answer(task: Task) -> bool:
    return not task.complete and bool(task.spans)


def with_outside_sample(example: Example, rate: float, rng: random.Random) -> Example:
    """The example, its unknown tokens beside an entity and a seeded ``rate`` share of the others outside.

    A reference without unknown tokens (a complete task), or a ``rate`` of 0, comes back as it
    is; otherwise the reference is copied first, so the same example can be resampled next epoch.
    """
    reference = example.reference
    if rate <= 0 or all(token.ent_iob != 0 for token in reference):
        return example
    beside = beside_entities(reference)
    outside = [
        i for i, token in enumerate(reference) if token.ent_iob == 0 and (i in beside or rng.random() < rate)
    ]
    if not outside:
        return example
    copied = reference.copy()
    copied.set_ents(list(copied.ents), outside=[copied[i : i + 1] for i in outside], default="unmodified")
    return Example(example.predicted, copied)


def beside_entities(doc: Doc) -> set[int]:
    """The indices of the tokens just before and just after each entity of ``doc``."""
    return {i for ent in doc.ents for i in (ent.start - 1, ent.end) if 0 <= i < len(doc)}


def create_outside_sampler(batcher: Batcher, rate: float = OUTSIDE_RATE, seed: int = 0) -> OutsideSampler:
    """Batch each epoch's examples with a fresh sample of their unknown tokens read as outside.

    Args:
        batcher: The batcher that then makes the batches (e.g. ``spacy.batch_by_words.v1``).
        rate: Share of unknown tokens read as outside, each epoch.
        seed: Seed of the per-epoch samples.
    """
    return OutsideSampler(batcher, rate, seed)


class OutsideSampler:
    """Called once an epoch by the training loop with the shuffled corpus."""

    def __init__(self, batcher: Batcher, rate: float, seed: int) -> None:
        self.batcher, self.rate, self.seed = batcher, rate, seed
        self.epochs = itertools.count()

    def __call__(self, examples: Iterable[Example]) -> Iterator[list[Example]]:
        """Batch the examples, each with a new seeded sample of outside tokens."""
        rng = random.Random(self.seed * 1_000_003 + next(self.epochs))
        yield from self.batcher(with_outside_sample(eg, self.rate, rng) for eg in examples)


def with_outside_sampler(config: Config, rate: float, seed: int) -> Config:
    """The config with its ``[training.batcher]`` wrapped in ``nerforge.OutsideSampler.v1``."""
    updated = config.copy()
    training = updated["training"]
    training["batcher"] = {
        "@batchers": "nerforge.OutsideSampler.v1",
        "rate": rate,
        "seed": seed,
        "batcher": training["batcher"],
    }
    return updated
