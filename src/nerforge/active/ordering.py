"""The order questions are asked in, from a stream, with a bounded buffer.

A question is worth most when the model is least sure of its answer (uncertainty sampling):
priority ``1 - 2 * |p - 0.5|`` is 1 at p = 0.5 and 0 at p = 0 or 1. The stream is never held
whole: a buffer of ``buffer_size`` suggestions is kept, and the best of it is asked next,
then the buffer is topped up from the stream. With ``"score"``, the most likely spans come
first (to confirm what the model finds); with ``"random"``, a seeded shuffle of the buffer.

The model's own spans and the pattern matches are ranked apart and asked in turn, so the
patterns keep feeding recall once the model proposes, and the model's questions start as
soon as it has any: ranked together, the pattern matches (0.5 until the model scores them,
the most uncertain a question can be) would always come first.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable, Iterable, Iterator

from ..errors import ParameterError
from ..formats import ORDERS as ORDERS  # noqa: PLC0414 - declared in formats, re-exported
from ..formats import Order as Order  # noqa: PLC0414 - declared in formats, re-exported
from .scoring import Suggestion

BUFFER_SIZE = 128  # suggestions held to choose from: the choice is wide, the scores still fresh


def uncertainty(suggestion: Suggestion) -> float:
    """``1 - 2 * |p - 0.5|``: 1 for the least sure span, 0 for a sure one."""
    return 1.0 - 2.0 * abs(suggestion.score - 0.5)


def confidence(suggestion: Suggestion) -> float:
    """The span's probability itself."""
    return suggestion.score


def order_suggestions(
    suggestions: Iterable[Suggestion], order: Order, *, buffer_size: int = BUFFER_SIZE, seed: int = 0
) -> Iterator[Suggestion]:
    """Yield the suggestions in ``order``, holding at most ``buffer_size`` of them at once.

    Raises:
        ParameterError: E403 for an unknown order or a buffer size below 1.
    """
    if order not in ORDERS:
        expected = f"one of {', '.join(ORDERS)}"
        raise ParameterError("E403", parameter="order", owner="teach", expected=expected, value=order)
    if isinstance(buffer_size, bool) or not isinstance(buffer_size, int) or buffer_size < 1:
        raise ParameterError(
            "E403", parameter="buffer_size", owner="teach", expected="an int >= 1", value=buffer_size
        )
    if order == "random":
        return _shuffled(iter(suggestions), buffer_size, random.Random(seed))
    key = uncertainty if order == "uncertain" else confidence
    return _best_first_in_turn(iter(suggestions), buffer_size, key)


def _best_first_in_turn(
    stream: Iterator[Suggestion], buffer_size: int, key: Callable[[Suggestion], float]
) -> Iterator[Suggestion]:
    """The best of the buffer first, the model's spans and the patterns' matches taking turns."""
    counter = itertools.count()  # ties: first come, first asked
    heaps: dict[bool, list[tuple[float, int, Suggestion]]] = {True: [], False: []}  # True: the model's
    turn = [True]

    def pop() -> Suggestion:
        side = turn[0] if heaps[turn[0]] else not turn[0]
        turn[0] = not side
        return heapq.heappop(heaps[side])[2]

    for suggestion in stream:
        heapq.heappush(
            heaps[suggestion.span.source == "model"], (-key(suggestion), next(counter), suggestion)
        )
        if len(heaps[True]) + len(heaps[False]) >= buffer_size:
            yield pop()
    while heaps[True] or heaps[False]:
        yield pop()


def _shuffled(stream: Iterator[Suggestion], buffer_size: int, rng: random.Random) -> Iterator[Suggestion]:
    buffer: list[Suggestion] = []
    for suggestion in stream:
        buffer.append(suggestion)
        if len(buffer) >= buffer_size:
            index = rng.randrange(len(buffer))
            buffer[index], buffer[-1] = buffer[-1], buffer[index]
            yield buffer.pop()
    rng.shuffle(buffer)
    yield from buffer
