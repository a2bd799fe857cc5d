"""A re-readable stream: items written once, read back as often as needed, memory bounded.

A corpus read from standard input, or from a generator, can be read only once; checks
and scores that need two passes spool it. Items are pickled in chunks into a temporary
file that stays in memory up to :data:`IN_MEMORY_BYTES` and then moves to disk, so a
corpus of any size costs a few megabytes of memory.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")
CHUNK_ITEMS = 1000  # items pickled together: amortises pickle's per-call cost
IN_MEMORY_BYTES = 8 * 1024 * 1024  # the spool moves to a temporary file past this


class Spool(Generic[T]):
    """Append items, then iterate over them in order, any number of times.

    Use as a context manager, or call :meth:`close`: the temporary file is removed then.
    Appending after iteration has started is allowed; each iteration sees what was
    appended before it began.
    """

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_BYTES)  # noqa: SIM115 - closed by close()
        self._pending: list[T] = []
        self._n_items = 0
        self._n_written = 0  # bytes of whole chunks
        for item in items:
            self.append(item)

    def append(self, item: T) -> None:
        """Add an item at the end."""
        self._pending.append(item)
        self._n_items += 1
        if len(self._pending) >= CHUNK_ITEMS:
            self._flush()

    def __len__(self) -> int:
        return self._n_items

    def __iter__(self) -> Iterator[T]:
        self._flush()
        end, position = self._n_written, 0
        while position < end:
            self._file.seek(position)
            chunk: list[T] = pickle.load(self._file)
            position = self._file.tell()
            yield from chunk

    def _flush(self) -> None:
        if not self._pending:
            return
        self._file.seek(self._n_written)
        pickle.dump(self._pending, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._n_written = self._file.tell()
        self._pending = []

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called: the items are gone."""
        return bool(self._file.closed)

    def close(self) -> None:
        """Drop the items and remove the temporary file."""
        self._file.close()
        self._pending = []

    def __enter__(self) -> Spool[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
