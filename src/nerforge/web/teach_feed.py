"""Cards for the teach page: ordered suggestions, a few scored ahead by a thread of their own.

The stream (texts → scored suggestions → order) runs in a filler thread that keeps
``n_ready`` cards waiting, so a request only takes the next card from a queue: scoring a
batch with the beam never happens while the annotator waits, except when the queue is
empty. Each card is one span in its text; a card answered before (by any session, in an
earlier run too) is skipped. Each card goes to one session until answered.

With ``overlap`` N >= 2 each card goes to N different sessions and no more (0: to every
session), as ``annotate --overlap`` sends texts (:class:`~.claims.Takers`, the rule both feeds
share): a card stays queued until N sessions took it, a session never gets a card twice, and
cards answered before count for the sessions that answered them.

A card whose span overlaps a span accepted in its text (:class:`~nerforge.active.AcceptedSpans`:
the NER can't hold both) is not handed out, as in ``bench/teach_curve.py``: the filler and
the queue both skip it, since an accept may come after the card was scored ahead. Such a
card is set aside, not dropped: if the accept is undone, it goes back to the queue. With
overlap, each session's accepts settle cards for that session only: the others still judge them.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from ..active import AcceptedSpans, Suggestion, binary_question
from ..records import Task
from ..storage import input_hash, task_hash
from .claims import Claims, Takers
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
        answered: Binary answers already in the dataset, each with who gave it: their cards are
            not asked again (with overlap, not of those who answered them), and their accepted
            spans settle the cards overlapping them (rejected and ignored answers settle nothing).
        overlap: How many different sessions each card goes to (0: every session).
        n_ready: Cards kept scored ahead (with overlap: that no session has taken yet).
        closing: Set by :meth:`close`; the suggestion stream may watch it to stop reading
            texts (see :func:`until_set`), so that closing waits for one batch at most.
    """

    def __init__(
        self,
        suggestions: Callable[[], Iterable[Suggestion]],
        tokenize: Callable[[str], tuple[tuple[int, int], ...]],
        *,
        answered: Iterable[tuple[str, Task]] = (),
        overlap: int = 1,
        n_ready: int = N_READY,
        closing: threading.Event | None = None,
    ) -> None:
        self._make = suggestions
        self._tokenize = tokenize
        self.overlap = overlap
        previous = list(answered)  # a list: read for the takers, the accepts and the keys seen
        by_key: dict[CardKey, set[str]] = {}
        for annotator, task in previous:
            by_key.setdefault(card_key(task), set()).add(annotator)
        self._takers: Takers[CardKey] = Takers(overlap, lambda: by_key)
        # cards not to queue again: with overlap, those enough sessions answered
        self._seen = {key for key in by_key if overlap == 1 or self._takers.full(key)}
        self._accepts: dict[str, list[Task]] = {}  # per session with overlap; "" without
        for annotator, task in previous:
            if task.answer == "accept":
                self._accepts.setdefault(self._key(annotator), []).append(task)
        self._accepted = {key: _accepted_spans(tasks) for key, tasks in self._accepts.items()}
        self._settled: list[Question] = []  # without overlap: cards skipped for an accepted overlap, for undo
        self._passed: set[CardKey] = set()  # with overlap: cards some session skipped as settled for it
        self._ready: deque[Question] = deque()
        self._claims = Claims()
        self._n_ready = n_ready
        self._changed = threading.Condition()
        self._exhausted = False
        self._closing = closing if closing is not None else threading.Event()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._fill, name="nerforge-teach-feed", daemon=True)
        self._thread.start()

    def _key(self, session: str) -> str:
        """Whose accepts settle the session's cards: its own with overlap, everyone's (``""``) without."""
        return "" if self.overlap == 1 else session

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
            self._changed.wait_for(
                lambda: self._next_for(session) is not None or self._exhausted, timeout=WAIT_SECONDS
            )
            card = self._next_for(session)
            if card is not None:
                self._take(session, card)
            return card

    def _next_for(self, session: str) -> Question | None:
        """The first queued card the session may take (call with the lock held)."""
        if self.overlap == 1:
            return self._ready[0] if self._drop_settled() else None
        for card in self._ready:
            if not self._may_take(session, card):
                continue
            if self._is_settled(card, session):
                key = card_key(card.task)
                if key not in self._passed:
                    self._passed.add(key)
                    self._changed.notify_all()  # one card fewer that nobody has taken: the filler tops up
                continue
            return card
        return None

    def _may_take(self, session: str, card: Question) -> bool:
        """Whether a queued card may go to the session: with overlap, one it never held or answered."""
        return self.overlap == 1 or session not in self._takers.of(card_key(card.task))

    def _take(self, session: str, card: Question) -> None:
        """Give the session a queued card; it leaves the queue once enough sessions took it."""
        self._claims.add(session, card)
        key = card_key(card.task)
        self._takers.add(session, key)
        if self.overlap == 1 or self._takers.full(key):
            self._ready.remove(card)
        self._changed.notify_all()  # the filler tops the queue up

    def _n_fresh(self) -> int:
        """Queued cards that no session took or skipped yet (call with the lock held)."""
        if self.overlap == 1:
            return len(self._ready)
        keys = [card_key(card.task) for card in self._ready]
        return sum(1 for key in keys if not self._takers.of(key) and key not in self._passed)

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
            found = (q for q in self._ready if q.task_hash == hash_of_task and self._may_take(session, q))
            return next(found, None)

        def looked_far_enough() -> bool:
            return queued() is not None or self._exhausted or self._n_fresh() >= self._n_ready

        with self._changed:
            self._changed.wait_for(looked_far_enough, timeout=WAIT_SECONDS)
            card = queued()
            if card is not None:
                self._take(session, card)
            return card

    def answered(self, session: str, card: Question, answer: Task) -> None:
        """The session answered the card: it is never handed out again.

        An accept settles the cards overlapping its span: the session's other claims among
        them are set aside too (other sessions keep the card they are looking at). With
        overlap they settle for the session only, and a card it holds stays with it.
        """
        with self._changed:
            self._claims.release(session, card.task_hash)
            if answer.answer == "accept":
                key = self._key(session)
                self._accepts.setdefault(key, []).append(answer)
                self._accepted.setdefault(key, AcceptedSpans()).add(answer)
                if self.overlap == 1:
                    self._settled.extend(self._claims.drop(session, self._is_settled))

    def undone(self, session: str, question: Task, answer: Task) -> Question:
        """An undone answer's question, back with the session, first in line.

        An undone accept settles nothing any more: the cards it had set aside are queued again.
        """
        card = self.card(question)
        with self._changed:
            self._claims.add(session, card, first=True)
            self._takers.add(session, card_key(card.task))  # held again (after a restart: answered before)
            if answer.answer == "accept":
                self._withdraw(session, answer)
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
                    if self.overlap == 1 and self._is_settled(card):
                        self._settled.append(card)
                        continue
                    self._ready.append(card)
                    self._changed.notify_all()
                    self._changed.wait_for(lambda: self._n_fresh() < self._n_ready or self._closing.is_set())
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

    def _is_settled(self, card: Question, session: str = "") -> bool:
        """Whether the card's span overlaps a span accepted in its text (by the session, with overlap).

        Call with the lock held.
        """
        accepted = self._accepted.get(self._key(session))
        task = card.task
        return accepted is not None and accepted.overlaps(Suggestion(task, task.spans[0], 0.0))

    def _drop_settled(self) -> bool:
        """Set aside the queue's settled cards; whether a card is left (call with the lock held)."""
        settled = [card for card in self._ready if self._is_settled(card)]
        if settled:
            self._settled.extend(settled)
            self._ready = deque(card for card in self._ready if not self._is_settled(card))
            self._changed.notify_all()  # the queue shrank: the filler tops it up
        return bool(self._ready)

    def _withdraw(self, session: str, answer: Task) -> None:
        """Forget one accept of the answer's spans; queue again the cards it alone settled.

        With overlap, the cards the session skipped for it are still queued (until enough
        sessions took them): the session may take them again at once.
        """
        key = self._key(session)
        accepts = self._accepts.get(key, [])
        undone = _accepted_offsets(answer)
        index = next((i for i, a in enumerate(accepts) if _accepted_offsets(a) == undone), None)
        if index is None:
            return
        del accepts[index]
        self._accepted[key] = _accepted_spans(accepts)
        if self.overlap != 1:
            return
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
