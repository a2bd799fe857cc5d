"""Opening files: '-' for stdin/stdout, physical line numbers, atomic writes."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import DataError, Location

STDIO = "-"


def display_path(path: str | Path) -> str:
    """The name used in messages: '-' stays '<stdin>'."""
    return "<stdin>" if str(path) == STDIO else str(path)


@contextlib.contextmanager
def open_binary(path: str | Path) -> Iterator[BinaryIO]:
    """Open a file (or stdin for '-') for reading bytes, with a coded error if absent."""
    if str(path) == STDIO:
        yield sys.stdin.buffer
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise DataError("E001", Location(str(path))) from None
    except IsADirectoryError:
        raise DataError("E019", Location(str(path)), detail="it is a folder, not a file") from None
    with handle:
        yield handle


def iter_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each physical line, without its line ending.

    Line numbers are 1-based and count every line, blank ones too, so messages point
    at what an editor shows. A UTF-8 byte order mark is dropped.
    """
    where = display_path(path)
    with open_binary(path) as handle:
        # decoded in chunks by the io module (much faster than line by line); only "\n"
        # ends a line, as in the binary file, so numbers match what an editor shows
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="\n")
        number = 0
        try:
            for number, line in enumerate(text, start=1):
                yield number, line.rstrip("\r\n")
        except UnicodeDecodeError:
            raise _decode_error(path, where, number + 1) from None
        finally:
            text.detach()  # leave the handle (stdin) to its owner


def _decode_error(path: str | Path, where: str, from_line: int) -> DataError:
    """The E003 error for the first undecodable line at or after ``from_line``."""
    if str(path) == STDIO:  # can't read stdin again: name the line where decoding stopped
        return DataError("E003", Location(where, from_line), detail="bytes that are not UTF-8")
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as err:
                detail = f"byte {raw[err.start : err.start + 1]!r} at column {err.start + 1}"
                return DataError("E003", Location(where, number), detail=detail)
    return DataError("E003", Location(where, from_line), detail="bytes that are not UTF-8")


def read_text(path: str | Path) -> str:
    """Read a whole text file, with the same decoding errors as :func:`iter_lines`."""
    return "\n".join(line for _, line in iter_lines(path))


@contextlib.contextmanager
def atomic_text_writer(path: str | Path) -> Iterator[TextIO]:
    """Write a text file all at once: to a temporary file, renamed on success.

    A failure (or Ctrl-C) leaves any previous file at ``path`` untouched. ``'-'``
    writes to standard output.
    """
    if str(path) == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success."""
    target = Path(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as err:
        raise DataError("E019", Location(str(path)), detail=err.strerror or str(err)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
