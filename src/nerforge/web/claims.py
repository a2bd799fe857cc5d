"""Which questions each session holds: the one bookkeeping both feeds (review and teach) use."""

from __future__ import annotations

from collections.abc import Callable

from .suggest import Question


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
