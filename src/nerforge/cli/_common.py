"""What every command shares: the one place errors become messages and exit codes."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

import typer
from wasabi.printer import Printer

from ..errors import NerforgeError
from ..io import FORMATS, Format

P = ParamSpec("P")
R = TypeVar("R")
EXIT_USER_ERROR = 1  # bad input: a coded error was printed
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C

msg = Printer()


@contextlib.contextmanager
def status_output(data_to_stdout: bool) -> Iterator[None]:
    """Send status lines to stderr while stdout carries data ('-o -')."""
    if not data_to_stdout:
        yield
        return
    with contextlib.redirect_stdout(sys.stderr):
        yield


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a :class:`NerforgeError` into its message on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except NerforgeError as err:
            typer.secho(f"✘ {err}", fg="red", err=True)  # unwrapped: paths and lines stay whole
            raise typer.Exit(EXIT_USER_ERROR) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted: nothing partial was written.", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def choice(value: str, option: str, choices: tuple[str, ...]) -> str:
    """Check a string option against its choices (typer's enums would need Enum types)."""
    if value not in choices:
        raise typer.BadParameter(f"must be one of {', '.join(choices)}; got {value!r}", param_hint=option)
    return value


def format_option(value: str | None, option: str) -> Format | None:
    """A --format style option, checked against the formats nerforge knows."""
    return None if value is None else choice(value, option, FORMATS)  # type: ignore[return-value]
