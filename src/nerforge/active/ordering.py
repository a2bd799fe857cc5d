"""The order questions are asked in, from a stream, with a bounded buffer.

A question is worth most when the model is least sure of its answer (uncertainty sampling):
priority ``1 - 2 * |p - 0.5|`` is 1 at p = 0.5 and 0 at p = 0 or 1. The stream is never held
whole: a buffer of ``buffer_size`` suggestions is kept, and the best of it is asked next,
then the buffer is topped up from the stream. With ``"score"``, the most likely spans come
first (to confirm what the model finds); with ``"random"``, a seeded shuffle of the buffer.
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
    return _best_first(iter(suggestions), buffer_size, key)


def _best_first(
    stream: Iterator[Suggestion], buffer_size: int, key: Callable[[Suggestion], float]
) -> Iterator[Suggestion]:
    counter = itertools.count()  # ties: first come, first asked
    heap: list[tuple[float, int, Suggestion]] = []
    for suggestion in stream:
        heapq.heappush(heap, (-key(suggestion), next(counter), suggestion))
        if len(heap) >= buffer_size:
            yield heapq.heappop(heap)[2]
    while heap:
        yield heapq.heappop(heap)[2]


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
