"""Opening files: '-' for stdin/stdout, gzip, physical line numbers, atomic writes."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import sys
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..errors import DataError, Location

STDIO = "-"
GZIP_SUFFIX = ".gz"
GZIP_MAGIC = b"\x1f\x8b"
# gzip's own default level: 9 costs several times the time for files a few percent smaller
GZIP_LEVEL = 6
# errors a truncated or corrupt gzip stream raises while it is read
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def display_path(path: str | Path) -> str:
    """The name used in messages: '-' stays '<stdin>'."""
    return "<stdin>" if str(path) == STDIO else str(path)


def is_gzip_name(path: str | Path) -> bool:
    """Whether a file name says gzip (``.jsonl.gz``, ``.txt.gz``)."""
    return str(path).lower().endswith(GZIP_SUFFIX)


def data_suffix(path: str | Path) -> str:
    """The suffix that names the data format, under any ``.gz``: ``a.jsonl.gz`` -> ``.jsonl``."""
    name = Path(path).name.lower()
    if name.endswith(GZIP_SUFFIX):
        name = name[: -len(GZIP_SUFFIX)]
    return Path(name).suffix


def check_not_folder(path: str | Path) -> None:
    """Raise E050 if ``path`` is a folder: data goes in files."""
    if str(path) != STDIO and Path(path).is_dir():
        examples = sorted(p.name for p in Path(path).iterdir() if p.is_file())[:3]
        hint = f" (it holds {', '.join(examples)})" if examples else ""
        raise DataError("E050", Location(str(path)), hint=hint)


@contextlib.contextmanager
def open_binary(path: str | Path) -> Iterator[BinaryIO]:
    """Open a file (or stdin for '-') for reading bytes, gzip decompressed, with coded errors.

    A file is read as gzip when its name ends in ``.gz`` or its first bytes say so
    (stdin too), so a compressed corpus needs no option.
    """
    if str(path) == STDIO:
        stdin = _peekable(sys.stdin.buffer)
        if stdin.peek(2)[:2] == GZIP_MAGIC:
            with gzip.GzipFile(fileobj=stdin, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
            return
        yield stdin
        return
    check_not_folder(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise DataError("E001", Location(str(path))) from None
    with handle:
        if is_gzip_name(path) or handle.read(2) == GZIP_MAGIC:
            handle.seek(0)
            with gzip.GzipFile(fileobj=handle, mode="rb") as unzipped:
                yield unzipped  # type: ignore[misc]
            return
        handle.seek(0)
        yield handle


def _peekable(stream: BinaryIO) -> io.BufferedReader:
    """The stream itself when it can peek (a real stdin), else a buffered view that can."""
    if isinstance(stream, io.BufferedReader):
        return stream
    return io.BufferedReader(_RawView(stream))


class _RawView(io.RawIOBase):
    """A binary stream seen as raw IO, so that a BufferedReader (with ``peek``) can wrap it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


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
        except _GZIP_ERRORS as err:
            raise gzip_error(where, number + 1, err) from None
        finally:
            text.detach()  # leave the handle (stdin) to its owner


def iter_byte_lines(path: str | Path) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line_number, raw bytes)`` per physical line, line ending dropped.

    For readers that decode each line on its own, so one bad line does not stop a
    stream (see :func:`nerforge.io.streaming.stream_tasks`). A BOM on line 1 is dropped.
    """
    where = display_path(path)
    with open_binary(path) as handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]  # noqa: PLW2901 - the BOM is not part of the text
                yield number, line.rstrip(b"\r\n")
        except _GZIP_ERRORS as err:
            raise gzip_error(where, number + 1, err) from None


def gzip_error(where: str, line: int, err: Exception) -> DataError:
    """E052 for a gzip stream that ends or breaks at ``line``."""
    return DataError("E052", Location(where, line), detail=str(err) or type(err).__name__)


def _decode_error(path: str | Path, where: str, from_line: int) -> DataError:
    """The E003 error for the first undecodable line at or after ``from_line``."""
    if str(path) == STDIO:  # can't read stdin again: name the line where decoding stopped
        return DataError("E003", Location(where, from_line), detail="bytes that are not UTF-8")
    for number, raw in iter_byte_lines(path):
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
    writes to standard output. A name ending in ``.gz`` is written gzip-compressed,
    with no name or time in the header, so the same text gives the same bytes.
    """
    if str(path) == STDIO:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_path(path) as tmp, open(tmp, "wb") as raw:
        if not is_gzip_name(path):
            with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as handle:
                yield handle
            return
        with (
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL, mtime=0) as zipped,
            io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as handle,
        ):
            yield handle


def write_json_report(data: Any, path: str | Path) -> None:
    """Write a report's JSON-ready ``data`` (its ``to_dict()``), indented, atomically ('-': stdout).

    The one writer of nerforge's JSON reports (evaluate, lint, patterns, db agreement), so
    they all look alike: two-space indents and a final newline.
    """
    import srsly  # noqa: PLC0415 - only when a report is written

    with atomic_text_writer(path) as handle:
        handle.write(srsly.json_dumps(data, indent=2) + "\n")


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success.

    The file gets the permissions a plain ``open`` would give it (0644 under umask 022),
    not the 0600 of :func:`tempfile.mkstemp`.
    """
    target = Path(path)
    check_not_folder(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    except OSError as err:
        raise DataError("E019", Location(str(path)), detail=err.strerror or str(err)) from None
    os.fchmod(fd, 0o666 & ~current_umask())
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def current_umask() -> int:
    """The process's umask (read from /proc where it can be, else set and restored)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no read-only call exists; restored at once
    os.umask(mask)
    return mask
