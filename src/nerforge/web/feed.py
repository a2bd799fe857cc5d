"""Which task each annotator sees next: never one answered in the dataset, never one twice.

``overlap`` is how many different sessions a text goes to. With 1 (the default) one stream
serves every session and each question is claimed by one session until it is answered, so
two annotators never get the same text. With N >= 2 each session has a stream of its own
and skips what it answered itself and the texts N other sessions already hold or answered
(for agreement, ``nerforge db agreement``). With 0 every session sees every text.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator

from ..storage import Store
from .claims import Claims, Takers
from .suggest import Question

RECLAIM_LOOKAHEAD = 64  # questions read ahead to find one a page held before a restart


class Feed:
    """Hands out questions to sessions and takes them back when answered or undone.

    Args:
        store: The store holding the dataset.
        dataset: The dataset answers go to.
        questions: Makes a fresh stream of questions (one for all, or one per session).
        overlap: How many different sessions each text goes to (0: every session sees every text).
    """

    def __init__(
        self, store: Store, dataset: str, questions: Callable[[], Iterator[Question]], *, overlap: int = 1
    ) -> None:
        self.store = store
        self.dataset = dataset
        self.overlap = overlap
        self._make_stream = questions
        self._streams: dict[str, _Lookahead] = {}
        self._answered: dict[str, set[int]] = {}  # per session with overlap; "" without
        self._claims = Claims()
        self._claimed: set[int] = set()
        # with overlap N: who answered or holds each text (the store's answers, read when first needed)
        self._takers = Takers(overlap, lambda: store.annotators_by_input_hash(dataset))

    def _key(self, session: str) -> str:
        """The stream and answered set a session uses: its own, or the one all share (overlap 1)."""
        return "" if self.overlap == 1 else session

    def _taken(self, session: str, question: Question) -> bool:
        """Whether the session may not get the question: answered by it, or held or answered enough."""
        if question.input_hash in self._answered_set(self._key(session)):
            return True
        if self.overlap == 1:
            return question.input_hash in self._claimed
        return self._takers.full(question.input_hash, besides=session)

    def current(self, session: str) -> Question | None:
        """The session's current question: the one it holds, else the next unseen one (None when done)."""
        held = self._claims.first(session)
        if held is not None:
            return held
        for question in self._stream(self._key(session)):
            if self._taken(session, question):
                continue
            self._claim(session, question)
            return question
        return None

    def prefetch(self, session: str) -> None:
        """Compute the next batch of suggestions now if none is ready, so the next task shows at once."""
        self._stream(self._key(session)).fill()

    def _stream(self, key: str) -> _Lookahead:
        if key not in self._streams:
            self._streams[key] = _Lookahead(self._make_stream())
        return self._streams[key]

    def claimed(self, session: str, task_hash: int) -> Question | None:
        """The question with this task hash if the session holds it now."""
        return self._claims.find(session, task_hash)

    def reclaim(self, session: str, task_hash: int) -> Question | None:
        """Give the session a question it held before a restart, if it is among the next ones unclaimed."""

        def free(question: Question) -> bool:
            return question.task_hash == task_hash and not self._taken(session, question)

        question = self._stream(self._key(session)).take(free, limit=RECLAIM_LOOKAHEAD)
        if question is not None:
            self._claim(session, question)
        return question

    def answered(self, session: str, question: Question) -> None:
        """Record that the session answered the question: it is never handed out again."""
        self._claims.release(session, question.task_hash)
        self._claimed.discard(question.input_hash)
        self._answered_set(self._key(session)).add(question.input_hash)

    def undone(self, session: str, question: Question) -> None:
        """Give an undone answer's question back to the session, first in line."""
        self._answered_set(self._key(session)).discard(question.input_hash)
        self._claim(session, question, first=True)

    def _claim(self, session: str, question: Question, *, first: bool = False) -> None:
        self._claims.add(session, question, first=first)
        self._claimed.add(question.input_hash)
        if self.overlap >= 2:
            self._takers.add(session, question.input_hash)

    def _answered_set(self, key: str) -> set[int]:
        if key not in self._answered:
            annotator = key or None
            self._answered[key] = self.store.answered_input_hashes(self.dataset, annotator=annotator)
        return self._answered[key]


class _Lookahead:
    """An iterator that can pull its next item ahead of time (suggestions come a batch at a time)."""

    def __init__(self, items: Iterator[Question]) -> None:
        self._items = items
        self._ready: deque[Question] = deque()

    def __iter__(self) -> Iterator[Question]:
        return self

    def __next__(self) -> Question:
        return self._ready.popleft() if self._ready else next(self._items)

    def fill(self) -> None:
        if not self._ready:
            self._ready.extend(itertools.islice(self._items, 1))

    def take(self, wanted: Callable[[Question], bool], *, limit: int) -> Question | None:
        """The first item ``wanted`` among the next ``limit``, taken out; the others stay, in order."""
        for index, item in enumerate(self._ready):
            if wanted(item):
                del self._ready[index]
                return item
        while len(self._ready) < limit:
            found = next(self._items, None)
            if found is None or wanted(found):
                return found
            self._ready.append(found)
        return None
