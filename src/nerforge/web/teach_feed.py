"""Cards for the teach page: ordered suggestions, a few scored ahead by a thread of their own.

The stream (texts → scored suggestions → order) runs in a filler thread that keeps
``n_ready`` cards waiting, so a request only takes the next card from a queue: scoring a
batch with the beam never happens while the annotator waits, except when the queue is
empty. Each card is one span in its text; a card answered before (by any session, in an
earlier run too) is skipped. Each card goes to one session until answered.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ..active import Suggestion, binary_question
from ..records import Task
from ..storage import input_hash, task_hash
from .suggest import Question

N_READY = 6  # cards scored ahead: more than an annotator answers while a batch is scored
WAIT_SECONDS = 30.0  # longest a request waits for the filler (a first batch on a slow machine)

CardKey = tuple[str, int, int, str]  # text, start, end, label: one question, whatever its answer


def card_key(task: Task) -> CardKey:
    """What makes a binary question the same question: the text and the span."""
    span = task.spans[0]
    return (task.text, span.start, span.end, span.label)


class TeachFeed:
    """Hands out binary cards from an ordered stream of suggestions.

    Args:
        suggestions: Makes the ordered stream of suggestions (called once, in the filler thread).
        tokenize: The tokenizer's non-space token offsets of a text (the page shows tokens).
        answered: Keys of questions already answered in the dataset.
        n_ready: Cards kept scored ahead.
    """

    def __init__(
        self,
        suggestions: Callable[[], Iterable[Suggestion]],
        tokenize: Callable[[str], tuple[tuple[int, int], ...]],
        *,
        answered: Iterable[CardKey] = (),
        n_ready: int = N_READY,
    ) -> None:
        self._make = suggestions
        self._tokenize = tokenize
        self._seen: set[CardKey] = set(answered)
        self._ready: deque[Question] = deque()
        self._claims: dict[str, list[Question]] = {}
        self._n_ready = n_ready
        self._changed = threading.Condition()
        self._exhausted = False
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._fill, name="nerforge-teach-feed", daemon=True)
        self._thread.start()

    @property
    def exhausted(self) -> bool:
        """Whether the stream has ended (every suggestion asked or queued)."""
        return self._exhausted

    def current(self, session: str) -> Question | None:
        """The card the session holds, else the next one (None when the stream is done)."""
        with self._changed:
            claims = self._claims.setdefault(session, [])
            if claims:
                return claims[0]
            self._changed.wait_for(lambda: self._ready or self._exhausted, timeout=WAIT_SECONDS)
            if not self._ready:
                return None
            card = self._ready.popleft()
            claims.append(card)
            self._changed.notify_all()  # the filler tops the queue up
            return card

    def claimed(self, session: str, hash_of_task: int) -> Question | None:
        """The card with this task hash, if the session holds it."""
        with self._changed:
            return next((q for q in self._claims.get(session, ()) if q.task_hash == hash_of_task), None)

    def answered(self, session: str, card: Question) -> None:
        """The session answered the card: it is never handed out again."""
        with self._changed:
            claims = self._claims.setdefault(session, [])
            self._claims[session] = [q for q in claims if q.task_hash != card.task_hash]

    def undone(self, session: str, task: Task) -> Question:
        """An undone answer's question, back with the session, first in line."""
        card = self.card(task)
        with self._changed:
            self._claims.setdefault(session, []).insert(0, card)
        return card

    def card(self, task: Task) -> Question:
        """The page's view of a binary question."""
        return Question(task, self._tokenize(task.text), input_hash(task), task_hash(task))

    def _fill(self) -> None:
        try:
            for card in self._cards(iter(self._make())):
                with self._changed:
                    self._ready.append(card)
                    self._changed.notify_all()
                    self._changed.wait_for(lambda: len(self._ready) < self._n_ready)
        except Exception as err:  # noqa: BLE001 - kept for the page to report; a thread must not die silently
            self.error = err
        finally:
            with self._changed:
                self._exhausted = True
                self._changed.notify_all()

    def _cards(self, suggestions: Iterator[Suggestion]) -> Iterator[Question]:
        for suggestion in suggestions:
            question = binary_question(suggestion)
            key = card_key(question)
            if key in self._seen:
                continue
            self._seen.add(key)
            yield self.card(question)
