"""Updating the taught model from binary answers, in the foreground or in a background thread.

Each update trains on every answer so far (merged per text, :func:`merge_answers`) for a
few epochs, continuing from the current weights: accepted spans are entities, rejected
ones negatives (``incorrect_spans_key``), the rest missing, except for the tokens beside an
accepted span and a seeded sample of the others (``TEACH_OUTSIDE_RATE``), read as outside,
resampled every epoch: the rule ``nerforge train`` applies too
(:mod:`nerforge.training.binary`, where its why is), at a lower share (see
:mod:`nerforge.training.defaults`).

The background learner trains a copy of the model in a thread and swaps it in when done, so
the page keeps answering from the old model meanwhile; spaCy's numpy work lets the server's
thread run between steps.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.training import Example

from ..docs import task_to_example
from ..records import Task
from ..training.binary import merge_answers, with_outside_sample
from ..training.defaults import TEACH_OUTSIDE_RATE
from .pipeline import copy_pipeline

N_EPOCHS = 3  # passes over the answers per update: a few, since updates come often
BATCH_SIZE = 8  # texts a step: answers are few, so small batches give more steps
DROPOUT = 0.2  # answers are few and partial: a little more dropout than spaCy's 0.1
UPDATE_EVERY = 10  # answers between background updates (Prodigy's default batch size)


@dataclass(frozen=True, slots=True)
class UpdateSettings:
    """How one update trains."""

    n_epochs: int = N_EPOCHS
    batch_size: int = BATCH_SIZE
    dropout: float = DROPOUT
    outside_rate: float = TEACH_OUTSIDE_RATE
    seed: int = 0


def update_model(
    nlp: Language, answers: Sequence[Task], settings: UpdateSettings = UpdateSettings()
) -> float:
    """Train ``nlp``'s NER in place on ``answers`` (binary or whole tasks); return the last loss."""
    tasks = merge_answers(answers) if any(not t.complete for t in answers) else list(answers)
    if not tasks:
        return 0.0
    rng = random.Random(settings.seed)
    optimizer = nlp.resume_training()
    others = [name for name in nlp.pipe_names if name != "ner"]
    losses: dict[str, float] = {}
    with nlp.select_pipes(disable=others):
        for _ in range(settings.n_epochs):
            examples = [_example(nlp, task, settings.outside_rate, rng) for task in tasks]
            rng.shuffle(examples)
            losses = {}
            for start in range(0, len(examples), settings.batch_size):
                batch = examples[start : start + settings.batch_size]
                nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
    return float(losses.get("ner", 0.0))


def _example(nlp: Language, task: Task, outside_rate: float, rng: random.Random) -> Example:
    """The task as an example, a sample of its unknown tokens set outside (``nerforge train``'s rule)."""
    return with_outside_sample(task_to_example(task, nlp.make_doc), outside_rate, rng)


class BackgroundLearner:
    """Collects answers and, every ``update_every`` of them, updates a copy of the model in a thread.

    Args:
        nlp: The model as it is now.
        on_updated: Called (in the learner's thread) with each updated model.
        update_every: Answers between updates.
        settings: How each update trains.
        previous: Answers given before (an earlier run): every update trains on them too.
    """

    def __init__(
        self,
        nlp: Language,
        on_updated: Callable[[Language], None],
        *,
        update_every: int = UPDATE_EVERY,
        settings: UpdateSettings = UpdateSettings(),
        previous: Sequence[Task] = (),
    ) -> None:
        self.nlp = nlp
        self.on_updated = on_updated
        self.update_every = update_every
        self.settings = settings
        self.n_updates_ = 0
        self.error_: Exception | None = None  # the last update's error, if it failed
        self._answers: list[Task] = list(previous)
        self._n_new = 0
        self._resuming = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def updating(self) -> bool:
        """Whether an update is running now."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def resuming(self) -> bool:
        """Whether the update :meth:`resume` started, on the answers given before, is running now."""
        return self._resuming and self.updating

    def resume(self) -> None:
        """Start an update on the answers given before (an earlier run), if there are any.

        A resumed session then suggests from a model that has learned them, as the session
        that gave them had, instead of from the untrained one.
        """
        with self._lock:
            if self._answers and not self.updating:
                self._resuming = True
                self._start()

    def add(self, answer: Task) -> None:
        """Take an answer; start an update once enough new answers are in and none is running."""
        with self._lock:
            self._answers.append(answer)
            self._n_new += 1
            if self._n_new >= self.update_every and not self.updating:
                self._start()

    def discard(self, answer: Task) -> None:
        """Forget an answer (undone); an update running now still sees it."""
        with self._lock:
            if answer in self._answers:
                self._answers.remove(answer)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the running update, if any, to finish."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _start(self) -> None:
        answers, model = list(self._answers), self.nlp
        self._n_new = 0
        self._thread = threading.Thread(target=self._update, args=(model, answers), daemon=True)
        self._thread.start()

    def _update(self, model: Language, answers: list[Task]) -> None:
        try:
            updated = copy_pipeline(model)
            update_model(updated, answers, self.settings)
        except Exception as err:  # noqa: BLE001 - a thread's error is kept for the page to show
            self.error_ = err
            return
        with self._lock:
            self.nlp = updated
            self.n_updates_ += 1
        self.on_updated(updated)
