"""Suggested spans with a confidence: the NER's beam search, and patterns while it knows little.

How confident is the model in a span? spaCy's NER parses greedily and gives no span
probabilities, but the same weights can run a beam search: ``beam_ner`` keeps the
``beam_width`` best parses of a text, each with the probability its actions give it
(a softmax over the beam's scores). A span's probability is the summed probability of the
parses that contain it (``EntityRecognizer.scored_ents``). A span every parse agrees on
scores 1.0; one half the probability mass proposes is 0.5: the model is unsure.

The beam shares the NER's model and transition system (nothing is copied), so it always
scores with the weights the NER has now.

Patterns and model: until the model has learned the label (``model_ready``: a pipeline that
knew it, or the first update swapped in), only the pattern matches of the label are
suggested, each with a score of 0.5 (the model has no opinion yet): an untrained NER's beam
spreads its probability over spans that are nearly all wrong. From then on the model's spans
are suggested too, and the pattern matches keep coming (they feed recall), scored by the
model: the probability its beam gives the match, 0 where no parse holds it (a match the model
rejects is asked last, not first as a 0.5 would be). Of nested matches only the longest is
asked ("airpods pro", not also "airpods"): if it is accepted, the other could not be.
:mod:`.ordering` interleaves the two sources. Every
suggestion keeps its source (``"model"`` or the pattern's id) for the card to show.

A candidate must be a plausible mention (:func:`is_plausible`): a punctuation mark or a
stop word alone is never asked about.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc

from ..patterns import PatternMatcher
from ..pipelines import components_for
from ..records import Pattern, Span, Task
from ..spans import outermost

BEAM_WIDTH = 16  # parses kept per text: enough for a span's probability to have ~0.05 resolution
BEAM_DENSITY = 0.0001  # prune parses far below the best one (spaCy's beam_ner default)
# Spans less likely than this are not asked about. A little-trained NER's beam gives nearly
# every single token ~0.06-0.15 (each of the 16 parses adds one stray entity): asking those
# ("the", "why") spent most answers. `python bench/teach_curve.py --seeds 0 --strategies
# uncertain --jobs 1 --passes 4 --min-accepts 20 --min-score S` (outside rate 0.05), F x100
# at 100/200/400 answers, last F when the questions ran out: S 0.05: 55.3/42.8/49.8, 82.6 at
# 692; S 0.2: 55.3/47.8/64.7, 80.3 at 621; S 0.3: 55.3/46.3/73.5, 81.5 at 609. (With
# TEACH_OUTSIDE_RATE 0.15 the model proposed fewer spans and 0.2 kept the questions coming,
# but the model `nerforge train` made from the answers scored lower: see
# nerforge.training.defaults.)
MIN_SCORE = 0.3
# A pattern match before the model knows: the least sure a question can be. Once the model
# knows, a match scores the model's probability, and nested matches give the longest only:
# the demo's patterns match 197 spans, 42% right, mostly short variants of longer gadgets;
# the longest of each nest are 164, 51% right, and lose no right one. `python
# bench/teach_session.py --seeds 0 1 2 --orders uncertain`, median P/R/F x100 at 200 and 400
# answers, first 20 cards after the resume accepted, model's share of the first 200 cards:
# every match 0.5 where the model gave it < MIN_SCORE: 58.2/42.7/50.2, 65.5/66.7/68.2, 30%,
# 37%; the model's score and the longest: 63.9/48.0/53.8, 65.3/70.8/69.2, 55%, 52%.
PATTERN_SCORE = 0.5
BATCH_SIZE = 16  # texts scored at once


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One binary question: a span in its text, and how likely the model finds it.

    Attributes:
        task: The source task (its spans are not used; only its text and meta).
        span: The suggested span (its ``source`` says where it came from).
        score: The probability that the span is an entity of its label.
    """

    task: Task
    span: Span
    score: float


class SpanScorer:
    """Scores every candidate span of a label in texts, with the model and the patterns.

    Args:
        nlp: The pipeline with the NER being taught (``scorer.nlp`` may be replaced at any
            time by an updated one: the next batch uses it).
        label: The label asked about.
        patterns: Patterns whose matches are suggested, beside the model's spans once it is ready.
        min_score: Model spans below this probability are not suggested.
        model_ready: Whether the NER has learned the label (a pipeline that knew it); the
            caller sets it when an update lands.
    """

    def __init__(
        self,
        nlp: Language,
        label: str,
        *,
        patterns: Sequence[Pattern] = (),
        min_score: float = MIN_SCORE,
        model_ready: bool = False,
    ) -> None:
        self.nlp = nlp
        self.label = label
        self.min_score = min_score
        self.model_ready = model_ready
        self.n_accepted = 0  # accepted spans taught so far (the caller counts them, for the page)
        self.matcher = PatternMatcher(nlp, [p for p in patterns if p.label == label]) if patterns else None

    @property
    def model_knows_little(self) -> bool:
        """Whether the model has not learned the label yet: only the patterns suggest."""
        return not self.model_ready

    def pipe(self, tasks: Iterable[Task], *, batch_size: int = BATCH_SIZE) -> Iterator[Suggestion]:
        """Yield the suggestions of each task, a batch of texts at a time, with the current model."""
        iterator = iter(tasks)
        while batch := list(itertools.islice(iterator, batch_size)):
            yield from self.score(batch)

    def score(self, tasks: Sequence[Task]) -> list[Suggestion]:
        """The suggestions for these tasks, in text order, each span once (best score)."""
        nlp = self.nlp  # one model for the whole batch, even if an update swaps it meanwhile
        texts = [task.text for task in tasks]
        docs, probabilities = (
            _tokenized(nlp, texts)
            if self.model_knows_little and self.matcher is not None
            else beam_scores(nlp, texts)
        )
        found: list[Suggestion] = []
        for task, doc, scored in zip(tasks, docs, probabilities, strict=True):
            found.extend(self._suggestions(task, doc, scored))
        return found

    def _suggestions(
        self, task: Task, doc: Doc, scored: dict[tuple[int, int, str], float]
    ) -> list[Suggestion]:
        by_offsets: dict[tuple[int, int], Suggestion] = {}
        for (start, end, label), probability in scored.items():
            if label == self.label and probability >= self.min_score and is_plausible(doc[start:end]):
                span = Span(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), label, source="model")
                by_offsets[(span.start, span.end)] = Suggestion(task, span, round(probability, 4))
        # nested variants ("airpods" in "airpods pro"): the longest is asked, see PATTERN_SCORE
        for match in outermost(self.matcher.find_spans(doc)) if self.matcher is not None else ():
            key = (match.start, match.end)
            found = doc.char_span(*key)
            if found is not None and not is_plausible(found):
                continue
            score = self._pattern_score(found, scored)
            by_offsets[key] = Suggestion(task, Span(*key, self.label, source=match.source), score)
        return [by_offsets[key] for key in sorted(by_offsets)]

    def _pattern_score(self, found: Any, scored: dict[tuple[int, int, str], float]) -> float:
        """A pattern match's score: the model's probability once it is ready, else the 0.5 of no opinion."""
        if self.model_knows_little or found is None:
            return PATTERN_SCORE
        return round(scored.get((found.start, found.end, self.label), 0.0), 4)


def is_plausible(tokens: Any) -> bool:
    """Whether a span of tokens could be a mention: a token with a letter or digit, not stop words alone."""
    words = [token for token in tokens if any(char.isalnum() for char in token.text)]
    return bool(words) and not all(token.is_stop for token in words)


def beam_scores(nlp: Language, texts: list[str]) -> tuple[list[Doc], list[dict[tuple[int, int, str], float]]]:
    """Each text's Doc and its spans' probabilities ``{(start_token, end_token, label): p}``."""
    ner: Any = nlp.get_pipe("ner")
    beam = _beam_of(ner)
    upstream = [name for name in components_for(nlp, "ner") if name != "ner"]
    with nlp.select_pipes(enable=upstream):
        docs = list(nlp.pipe(texts, batch_size=len(texts) or 1))
    if not docs:
        return [], []
    beams = beam.predict(docs)
    return docs, [dict(scored) for scored in beam.scored_ents(beams)]


def _tokenized(nlp: Language, texts: list[str]) -> tuple[list[Doc], list[dict[tuple[int, int, str], float]]]:
    """The texts tokenized, with no span scored (the patterns alone suggest)."""
    tokenizer: Any = nlp.tokenizer
    return list(tokenizer.pipe(texts)), [{} for _ in texts]


def _beam_of(ner: Any) -> EntityRecognizer:
    """A beam-search view of the NER: its own model and transition system, beam settings."""
    return EntityRecognizer(
        ner.vocab,
        ner.model,
        name="beam",
        moves=ner.moves,
        beam_width=BEAM_WIDTH,
        beam_density=BEAM_DENSITY,
    )
