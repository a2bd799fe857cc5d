"""Cards for the teach page: ordered suggestions, a few scored ahead by a thread of their own.

The stream (texts → scored suggestions → order) runs in a filler thread that keeps
``n_ready`` cards waiting, so a request only takes the next card from a queue: scoring a
batch with the beam never happens while the annotator waits, except when the queue is
empty. Each card is one span in its text; a card answered before (by any session, in an
earlier run too) is skipped. Each card goes to one session until answered.

A card whose span overlaps a span accepted in its text (:class:`~nerforge.active.AcceptedSpans`:
the NER can't hold both) is not handed out, as in ``bench/teach_curve.py``: the filler and
the queue both skip it, since an accept may come after the card was scored ahead. Such a
card is set aside, not dropped: if the accept is undone, it goes back to the queue.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ..active import AcceptedSpans, Suggestion, binary_question
from ..records import Task
from ..storage import input_hash, task_hash
from .claims import Claims
from .suggest import Question

N_READY = 6  # cards scored ahead: more than an annotator answers while a batch is scored
WAIT_SECONDS = 30.0  # longest a request waits for the filler (a first batch on a slow machine)
CLOSE_SECONDS = 60.0  # longest close() waits for the filler to finish the batch it is scoring

T = TypeVar("T")
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
        accepted: Answers already in the dataset: their accepted spans settle the cards
            overlapping them (rejected and ignored answers settle nothing).
        n_ready: Cards kept scored ahead.
        closing: Set by :meth:`close`; the suggestion stream may watch it to stop reading
            texts (see :func:`until_set`), so that closing waits for one batch at most.
    """

    def __init__(
        self,
        suggestions: Callable[[], Iterable[Suggestion]],
        tokenize: Callable[[str], tuple[tuple[int, int], ...]],
        *,
        answered: Iterable[CardKey] = (),
        accepted: Iterable[Task] = (),
        n_ready: int = N_READY,
        closing: threading.Event | None = None,
    ) -> None:
        self._make = suggestions
        self._tokenize = tokenize
        self._seen: set[CardKey] = set(answered)
        self._accepts = [task for task in accepted if task.answer == "accept"]
        self._accepted = _accepted_spans(self._accepts)
        self._settled: list[Question] = []  # cards skipped for an accepted overlap, kept for undo
        self._ready: deque[Question] = deque()
        self._claims = Claims()
        self._n_ready = n_ready
        self._changed = threading.Condition()
        self._exhausted = False
        self._closing = closing if closing is not None else threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._fill, name="nerforge-teach-feed", daemon=True)
        self._thread.start()

    @property
    def exhausted(self) -> bool:
        """Whether the stream has ended (every suggestion asked or queued)."""
        return self._exhausted

    @property
    def filling(self) -> bool:
        """Whether the filler thread still runs."""
        return self._thread.is_alive()

    def close(self, timeout: float = CLOSE_SECONDS) -> None:
        """Stop the filler and wait for it to end.

        A daemon thread still running the model when Python exits can crash the process
        (a segmentation fault after Ctrl-C), so the server closes the feed before it exits.
        """
        with self._changed:
            self._closing.set()
            self._changed.notify_all()
        self._thread.join(timeout)

    def current(self, session: str) -> Question | None:
        """The card the session holds, else the next one (None when the stream is done)."""
        with self._changed:
            held = self._claims.first(session)
            if held is not None:
                return held
            self._changed.wait_for(lambda: self._drop_settled() or self._exhausted, timeout=WAIT_SECONDS)
            if not self._ready:
                return None
            card = self._ready.popleft()
            self._claims.add(session, card)
            self._changed.notify_all()  # the filler tops the queue up
            return card

    def claimed(self, session: str, hash_of_task: int) -> Question | None:
        """The card with this task hash, if the session holds it."""
        with self._changed:
            return self._claims.find(session, hash_of_task)

    def reclaim(self, session: str, hash_of_task: int) -> Question | None:
        """Give the session a card it held before a restart, if it is queued and nobody holds it.

        Waits (up to ``WAIT_SECONDS``) for the queue to fill first: a resumed session's filler
        starts once the model has learned the stored answers.
        """

        def queued() -> Question | None:
            return next((q for q in self._ready if q.task_hash == hash_of_task), None)

        def looked_far_enough() -> bool:
            return queued() is not None or self._exhausted or len(self._ready) >= self._n_ready

        with self._changed:
            self._changed.wait_for(looked_far_enough, timeout=WAIT_SECONDS)
            card = queued()
            if card is not None:
                self._ready.remove(card)
                self._claims.add(session, card)
                self._changed.notify_all()  # the filler tops the queue up
            return card

    def answered(self, session: str, card: Question, answer: Task) -> None:
        """The session answered the card: it is never handed out again.

        An accept settles the cards overlapping its span: the session's other claims among
        them are set aside too (other sessions keep the card they are looking at).
        """
        with self._changed:
            self._claims.release(session, card.task_hash)
            if answer.answer == "accept":
                self._accepts.append(answer)
                self._accepted.add(answer)
                self._settled.extend(self._claims.drop(session, self._is_settled))

    def undone(self, session: str, question: Task, answer: Task) -> Question:
        """An undone answer's question, back with the session, first in line.

        An undone accept settles nothing any more: the cards it had set aside are queued again.
        """
        card = self.card(question)
        with self._changed:
            self._claims.add(session, card, first=True)
            if answer.answer == "accept":
                self._withdraw(answer)
        return card

    def card(self, task: Task) -> Question:
        """The page's view of a binary question."""
        return Question(task, self._tokenize(task.text), input_hash(task), task_hash(task))

    def _fill(self) -> None:
        try:
            for card in self._cards(iter(self._make())):
                with self._changed:
                    if self._closing.is_set():
                        break
                    if self._is_settled(card):
                        self._settled.append(card)
                        continue
                    self._ready.append(card)
                    self._changed.notify_all()
                    self._changed.wait_for(lambda: len(self._ready) < self._n_ready or self._closing.is_set())
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

    def _is_settled(self, card: Question) -> bool:
        """Whether the card's span overlaps a span accepted in its text (call with the lock held)."""
        task = card.task
        return self._accepted.overlaps(Suggestion(task, task.spans[0], 0.0))

    def _drop_settled(self) -> bool:
        """Set aside the queue's settled cards; whether a card is left (call with the lock held)."""
        settled = [card for card in self._ready if self._is_settled(card)]
        if settled:
            self._settled.extend(settled)
            self._ready = deque(card for card in self._ready if not self._is_settled(card))
            self._changed.notify_all()  # the queue shrank: the filler tops it up
        return bool(self._ready)

    def _withdraw(self, answer: Task) -> None:
        """Forget one accept of the answer's spans; queue again the cards it alone settled."""
        undone = _accepted_offsets(answer)
        index = next((i for i, a in enumerate(self._accepts) if _accepted_offsets(a) == undone), None)
        if index is None:
            return
        del self._accepts[index]
        self._accepted = _accepted_spans(self._accepts)
        back = [card for card in self._settled if not self._is_settled(card)]
        self._settled = [card for card in self._settled if self._is_settled(card)]
        self._ready.extendleft(reversed(back))
        self._changed.notify_all()


def until_set(event: threading.Event, items: Iterable[T]) -> Iterator[T]:
    """The items, until the event is set (checked before each one)."""
    for item in items:
        if event.is_set():
            return
        yield item


def _accepted_spans(answers: Iterable[Task]) -> AcceptedSpans:
    accepted = AcceptedSpans()
    for answer in answers:
        accepted.add(answer)
    return accepted


def _accepted_offsets(answer: Task) -> tuple[str, tuple[tuple[int, int], ...]]:
    """What identifies an accept: its text and accepted spans (meta may differ once stored)."""
    return answer.text, tuple((s.start, s.end) for s in answer.spans if s.is_accepted)
