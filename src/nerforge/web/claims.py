"""Which questions each session holds, and who may take one next: the bookkeeping both feeds use.

:class:`Claims` is what each session holds; :class:`Takers` is the rule of ``--overlap`` (the
review page's ``annotate --overlap N`` and ``teach --overlap N``): with N >= 2 a question goes
to N different sessions and no more, with 0 to every session, and a session never gets one it
holds or answered.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from .suggest import Question

K = TypeVar("K", bound=Hashable)  # what makes two questions one: a text's input hash, a teach card's key


class Claims:
    """The questions each session holds, first in line first (not thread-safe: its feed locks)."""

    def __init__(self) -> None:
        self._held: dict[str, list[Question]] = {}

    def first(self, session: str) -> Question | None:
        """The question the session is looking at, or None."""
        held = self._held.get(session)
        return held[0] if held else None

    def find(self, session: str, task_hash: int) -> Question | None:
        """The question with this task hash, if the session holds it."""
        return next((q for q in self._held.get(session, ()) if q.task_hash == task_hash), None)

    def add(self, session: str, question: Question, *, first: bool = False) -> None:
        """Give the question to the session: last in line, or ``first`` (an undone answer's)."""
        held = self._held.setdefault(session, [])
        held.insert(0 if first else len(held), question)

    def release(self, session: str, task_hash: int) -> list[Question]:
        """Take the question back from the session; the questions it still holds."""
        rest = [q for q in self._held.get(session, ()) if q.task_hash != task_hash]
        self._held[session] = rest
        return rest

    def drop(self, session: str, dropped: Callable[[Question], bool]) -> list[Question]:
        """Take back the session's questions for which ``dropped`` is true, and return them."""
        held = self._held.get(session, [])
        self._held[session] = [q for q in held if not dropped(q)]
        return [q for q in held if dropped(q)]


class Takers(Generic[K]):
    """Who holds or answered each question, for a feed that sends one to ``overlap`` sessions.

    Args:
        overlap: How many different sessions each question goes to (0: every session).
        load: Who answered each question before (from the store), read once, when first needed.
    """

    def __init__(self, overlap: int, load: Callable[[], dict[K, set[str]]]) -> None:
        self.overlap = overlap
        self._load = load
        self._takers: dict[K, set[str]] | None = None

    def of(self, key: K) -> set[str]:
        """The sessions that hold or answered the question."""
        if self._takers is None:
            self._takers = self._load()
        return self._takers.setdefault(key, set())

    def add(self, session: str, key: K) -> None:
        """The session holds the question now (and will answer it)."""
        self.of(key).add(session)

    def full(self, key: K, *, besides: str | None = None) -> bool:
        """Whether ``overlap`` sessions (``besides`` not counted) hold or answered it: no one else gets it."""
        if self.overlap == 0:
            return False  # every session gets it (and the store's answers are never read)
        return len(self.of(key) - {besides}) >= self.overlap
