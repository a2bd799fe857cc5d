"""Where a problem is, the exception classes that carry a coded message, and the aggregate's lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from .catalogue import Errors


class Location(NamedTuple):
    """Where a record came from: a file (or '-') and a 1-based physical line.

    A named tuple rather than a dataclass: one is made per record read, so it must be cheap.
    """

    path: str
    line: int | None = None
    unit: str = "line"

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}, {self.unit} {self.line}"


class NerforgeError(Exception):
    """Base class of every error nerforge raises for a user's mistake.

    Attributes:
        code: The catalogue code, e.g. ``"E002"``.
        location: The file and line the problem is on, when it has one.
    """

    def __init__(self, code: str, location: Location | None = None, **fields: object) -> None:
        self.code = code
        self.location = location
        self.fields = fields
        template: str = getattr(Errors, code)
        where = f"{location}: " if location is not None else ""
        super().__init__(f"[{code}] {where}{template.format(**fields)}")

    def __reduce__(self) -> tuple[object, ...]:
        # rebuilt from code and fields when it crosses a process (worker pools, Dask)
        return (_rebuild_error, (type(self), self.code, self.location, self.fields))


class DataError(NerforgeError):
    """A data file is unreadable or holds an invalid record."""


class PatternError(NerforgeError):
    """A pattern file holds invalid patterns (all of them are listed)."""


class TrainingError(NerforgeError):
    """Training can't start or go on with the data and settings given."""


class PipelineError(NerforgeError):
    """A spaCy pipeline can't be loaded or lacks what the job needs."""


class StorageError(NerforgeError):
    """The store can't be opened, read or written, or lacks the dataset asked for."""


class ParameterError(NerforgeError):
    """A function got an argument outside what it accepts."""


class ClusterError(NerforgeError):
    """A Dask cluster can't be reached or can't run the work."""


class TokenizerRuleError(NerforgeError):
    """A tokenizer rules file holds invalid rules (all of them are listed)."""


class ExtraError(NerforgeError):
    """An optional extra of nerforge that the job needs is not installed."""


class RehearsalCacheError(NerforgeError):
    """The folder that caches the base's predictions on the rehearsal corpus can't be used."""


def _rebuild_error(
    cls: type[NerforgeError], code: str, location: Location | None, fields: dict[str, object]
) -> NerforgeError:
    return cls(code, location, **fields)


def problem(code: str, **fields: object) -> str:
    """One problem of an aggregate (E106, E146) as the user reads it: its code, then its message.

    The code is shown so that each problem can be looked up like any raised error.
    """
    template: str = getattr(Errors, code)
    return f"[{code}] {template.format(**fields)}"


def describe_problems(problems: Sequence[tuple[Location, str]]) -> str:
    """Format collected problems one a line, in file order."""
    return "\n".join(f"  {where}: {what}" for where, what in problems)
