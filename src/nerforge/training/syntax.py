"""Updating a pretrained pipeline's tagger and parser on CoNLL-U sentences, without forgetting.

The course's advice for the NER holds here too: an update that sees only the new sentences
drifts away from what the pipeline knew. So a frozen copy of the base annotates other texts
(the rehearsal texts) with its tags and trees, and each epoch mixes those annotations in with
the user's sentences; spaCy's ``nlp.update`` then trains the tagger, the parser and the
tok2vec they listen to, and leaves every other component as it was. The epochs, their
resampled rehearsal, shuffling and batching are the NER trainer's (:func:`.loop.train_batches`),
and so is the save (:func:`.loop.save_pipeline`).

The report scores the base and the updated pipeline the same way, with spaCy's own scorer
(``nlp.evaluate``): TAG and POS accuracy, UAS and LAS on gold dev sentences, and on held-out
rehearsal texts the updated pipeline's agreement with the frozen base (the base's tags and
trees taken as the reference).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import fix_random_seed

from ..errors import TrainingError
from ..evaluation.syntax import SyntaxScores
from ..io.conllu import ConlluSentence, read_conllu, sentence_to_doc
from ..io.files import iter_lines
from ..pipelines import load_pipeline
from ..rehearsal_corpus.texts import iter_default_texts
from .loop import save_pipeline, train_batches

SYNTAX_COMPONENTS = ("tagger", "parser")  # what an update trains, where the base has them
SYNTAX_EPOCHS = 5  # passes over the user's sentences: few, small data overfits fast
SYNTAX_DROPOUT = 0.2  # between spaCy's 0.1 and nerforge's CNN update 0.3
SYNTAX_BATCH = 32  # sentences a batch
REHEARSAL_RATIO = 1.0  # rehearsal texts per training sentence and epoch
HELD_OUT_SHARE = 0.1  # of the rehearsal texts: where agreement with the base is measured


@dataclass(frozen=True)
class SyntaxUpdateReport:
    """What an update of the tagger and parser did: settings, data, and scores before and after."""

    base: str
    components: tuple[str, ...]
    rehearsal: bool
    n_train: int
    n_rehearsal: int
    epochs: int
    before: SyntaxScores  # the base on gold dev sentences
    after: SyntaxScores  # the updated pipeline on the same sentences
    agreement: SyntaxScores | None  # the updated pipeline against the base on held-out texts
    model: str

    def to_dict(self) -> dict[str, Any]:
        """The settings, data sizes and scores, as a JSON-ready dict."""
        return {
            "base": self.base,
            "components": list(self.components),
            "rehearsal": self.rehearsal,
            "n_train": self.n_train,
            "n_rehearsal": self.n_rehearsal,
            "epochs": self.epochs,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "agreement": None if self.agreement is None else self.agreement.to_dict(),
            "model": self.model,
        }


def update_syntax(
    base: str | Path,
    train: str | Path,
    *,
    dev: str | Path,
    output: str | Path,
    rehearse: str | Path | None = None,
    rehearsal: bool = True,
    epochs: int | None = None,
    dropout: float | None = None,
    seed: int = 0,
    overwrite: bool = False,
) -> SyntaxUpdateReport:
    """Update ``base``'s tagger and parser on ``train`` (CoNLL-U), rehearsing the base on ``rehearse``.

    Args:
        base: The pretrained pipeline (package name or path).
        train: CoNLL-U sentences of the new domain.
        dev: CoNLL-U sentences scored before and after.
        output: Folder the updated pipeline is saved to (``spacy.load`` works on it).
        rehearse: Raw texts, one a line, that the frozen base annotates (rehearsal); a seeded
            tenth is held out to measure agreement with the base. By default, nerforge's
            default rehearsal corpus (nine domains of general English).
        rehearsal: Off, the update sees only ``train`` (kept for comparison: it forgets).
        epochs: Passes over the ``train`` sentences (default: :data:`SYNTAX_EPOCHS`).
        dropout: Dropout rate of each update (default: :data:`SYNTAX_DROPOUT`).
        seed: Seed of the held-out rehearsal share, and of each epoch's rehearsal sample and shuffle.
        overwrite: Replace what ``output`` holds; off, a folder that holds anything is refused.

    Raises:
        TrainingError: E205 or E211 for an ``output`` that is a file or holds something already
            (checked before anything is loaded); E220 if the base has neither a tagger nor a
            parser; E221 if ``train`` holds no sentence.
    """
    epochs = SYNTAX_EPOCHS if epochs is None else epochs
    dropout = SYNTAX_DROPOUT if dropout is None else dropout
    folder = Path(output)
    _check_output(folder, overwrite=overwrite)
    nlp, frozen = load_pipeline(base), load_pipeline(base)
    components = tuple(name for name in SYNTAX_COMPONENTS if name in nlp.pipe_names)
    if not components:
        raise TrainingError("E220", base=str(base))
    sentences = list(read_conllu(train))
    if not sentences:
        raise TrainingError("E221", path=str(train))
    gold_dev = [sentence_to_doc(s, nlp.vocab) for s in read_conllu(dev)]
    texts = _texts(rehearse, exclude={s.text for s in sentences})
    random.Random(seed).shuffle(texts)  # the held-out share is a seeded sample of every domain
    held = texts[: round(HELD_OUT_SHARE * len(texts))]
    rehearsed = list(frozen.pipe(texts[len(held) :])) if rehearsal else []
    base_held = list(frozen.pipe(held))
    before = SyntaxScores.measure(frozen, gold_dev)
    _train(nlp, components, _examples(nlp, sentences), rehearsed, epochs=epochs, dropout=dropout, seed=seed)
    folder.parent.mkdir(parents=True, exist_ok=True)
    save_pipeline(nlp, folder)
    return SyntaxUpdateReport(
        base=str(base),
        components=components,
        rehearsal=rehearsal,
        n_train=len(sentences),
        n_rehearsal=len(rehearsed),
        epochs=epochs,
        before=before,
        after=SyntaxScores.measure(nlp, gold_dev),
        agreement=SyntaxScores.measure(nlp, base_held) if base_held else None,
        model=str(folder),
    )


def _check_output(folder: Path, *, overwrite: bool) -> None:
    """E205 for a file; E211 for a folder that holds anything, unless ``overwrite``."""
    if folder.exists() and not folder.is_dir():
        raise TrainingError("E205", path=str(folder))
    found = sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []
    if found and not overwrite:
        raise TrainingError("E211", path=str(folder), found=", ".join(found[:3]))


def _texts(path: str | Path | None, *, exclude: set[str]) -> list[str]:
    """The rehearsal texts: the file's lines, or nerforge's default corpus of general English."""
    if path is None:
        stripped = (text.strip() for _, text in iter_default_texts())
        return [text for text in stripped if text and text not in exclude]
    stripped = (line.strip() for _, line in iter_lines(path))
    return [text for text in stripped if text and text not in exclude]


def _examples(nlp: Language, sentences: Iterable[ConlluSentence]) -> list[Example]:
    return [Example(nlp.make_doc(s.text), sentence_to_doc(s, nlp.vocab)) for s in sentences]


def _train(
    nlp: Language,
    components: tuple[str, ...],
    examples: list[Example],
    rehearsed: Sequence[Doc],
    *,
    epochs: int,
    dropout: float,
    seed: int,
) -> None:
    """The training loop's batches (:func:`.loop.train_batches`) through spaCy's ``nlp.update``.

    Only the syntax components and what they listen to run and learn; the rest stays untouched.
    """
    if epochs < 1:
        return
    fix_random_seed(seed)  # dropout masks (numpy) and the parser's oracle cut (random), as spacy train
    rng = random.Random(seed)  # each epoch's rehearsal sample, then its shuffle
    trained = [name for name in nlp.pipe_names if name in components or _feeds(nlp, name, components)]
    corpus = _SyntaxCorpus(examples, rehearsed, rng)
    with nlp.select_pipes(enable=trained):
        optimizer = nlp.resume_training()
        for _epoch, batch in train_batches(nlp, corpus, _batches, epochs, rng=rng):
            nlp.update(batch, sgd=optimizer, drop=dropout)


def _batches(examples: Iterable[Example]) -> Iterator[list[Example]]:
    """:data:`SYNTAX_BATCH` sentences a batch, in order."""
    yield from minibatch(examples, size=SYNTAX_BATCH)  # type: ignore[no-untyped-call]


class _SyntaxCorpus:
    """The user's sentences, then a new sample of the rehearsed texts on every call (epoch).

    :data:`REHEARSAL_RATIO` rehearsed texts per sentence, as the base annotated them.
    """

    new_each_epoch = True  # read again every epoch by the training loop

    def __init__(self, examples: list[Example], rehearsed: Sequence[Doc], rng: random.Random) -> None:
        self.examples, self.rehearsed, self.rng = examples, list(rehearsed), rng
        self.n_rehearse = min(len(rehearsed), round(REHEARSAL_RATIO * len(examples)))

    def __call__(self, nlp: Language) -> list[Example]:
        sample = self.rng.sample(self.rehearsed, self.n_rehearse) if self.n_rehearse else []
        return self.examples + [Example(nlp.make_doc(doc.text), doc) for doc in sample]


def _feeds(nlp: Language, name: str, components: tuple[str, ...]) -> bool:
    """Whether component ``name`` is a shared tok2vec one of ``components`` listens to."""
    listeners = getattr(nlp.get_pipe(name), "listening_components", ())
    return any(component in listeners for component in components)
