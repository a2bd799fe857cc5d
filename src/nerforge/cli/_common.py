"""What every command shares: the one place errors become messages and exit codes."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from wasabi.printer import Printer

from ..errors import DataError, Location, NerforgeError
from ..formats import ANSWER_KINDS, FORMATS, AnswerKind, Format

P = ParamSpec("P")
R = TypeVar("R")
EXIT_USER_ERROR = 1  # bad input: a coded error was printed
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C

# --answer-kind, as every command that reads annotated data takes it (checked by answer_kind_option)
AnswerKindOption = Annotated[
    str,
    typer.Option(
        "--answer-kind",
        help="How accepted answers without 'complete' are read: auto, binary (only the span is known) "
        "or manual.",
    ),
]

# --input-format, one name on every command that reads data (--format, the old name on train,
# evaluate and explore, still works); checked by format_option
InputFormatOption = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        "--format",
        help="Override the format the input's file name implies: jsonl, conll, docbin or raw "
        "(raw reads one text a line, e.g. on stdin).",
    ),
]
# --lang of the commands that tokenize with a blank pipeline unless --base names one
LangOption = Annotated[str, typer.Option("--lang", help="Language of the tokenizer when there is no --base.")]
# train and train-curve
TrainLabelsOption = Annotated[
    str | None, typer.Option("--labels", help="Comma-separated labels to train (default: all).")
]
WarmStartOption = Annotated[
    str, typer.Option("--warm-start", help="'auto', a pipeline whose NER tok2vec starts ours, or 'none'.")
]
# --tokenizer-rules, as train and lint take it: the rules the trained pipeline's tokenizer gets
TokenizerRulesOption = Annotated[
    str | None,
    typer.Option(
        "--tokenizer-rules",
        help="Tokenizer rules (RULES.jsonl, as `nerforge tokenizer add` takes them) that the "
        "pipeline's tokenizer gets first: train saves them in the model, lint checks spans against them.",
    ),
]
# --spans-key: the span group (spaCy's spancat, doc.spans[KEY]) whose spans may overlap
SpansKeyOption = Annotated[
    str | None,
    typer.Option(
        "--spans-key",
        help="Annotate a span group for spancat (e.g. sc): spans may overlap, and every answer names "
        "the key. Default: the source's tasks' spans_key, if they name one.",
    ),
]


def command_group(help_text: str, *, name: str | None = None) -> typer.Typer:
    """A Typer app of commands, set up as each of nerforge's is (the top one and its groups).

    Bare, it shows its help; the help is plain text (rich markup would eat "[transformer]" in pip
    commands); tracebacks are never prettified, because :func:`reports_errors` shows our errors.
    """
    return typer.Typer(
        name=name,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )


def _wants_colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


class _Printer(Printer):
    """wasabi's Printer, with dividers that are not bold when colour is off (wasabi's always are)."""

    def divider(self, text: str = "", char: str = "=", show: bool = True, icon: str | None = None) -> None:
        if self.show_color or not show:
            super().divider(text, char, show, icon)
            return
        title = f" {text} " if text else ""
        deco = char * (round((self.line_max - len(title)) / 2))
        print(f"\n{deco}{title}{deco}"[: self.line_max + 1])


if not _wants_colour():  # wasabi reads this when a Printer is made; piped output stays plain text
    os.environ.setdefault("ANSI_COLORS_DISABLED", "1")
msg = _Printer()


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


def answer_kind_option(value: str) -> AnswerKind:
    """The --answer-kind option: how accepted answers without 'complete' are read."""
    return choice(value, "--answer-kind", ANSWER_KINDS)  # type: ignore[return-value]


def labels_option(value: str | None) -> list[str] | None:
    """A comma-separated --labels option as a list (None when not given)."""
    if value is None:
        return None
    return [label.strip() for label in value.split(",") if label.strip()]


def check_output_path(path: str | Path | None) -> None:
    """Fail before any work when an output file can't be written: a folder, or a missing parent.

    Raises:
        DataError: E019, naming the path and what to do.
    """
    if path is None or str(path) == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise DataError("E019", Location(str(path)), detail="it is a folder; give a file name inside it")
    if not target.parent.is_dir():
        raise DataError(
            "E019", Location(str(path)), detail=f"the folder {str(target.parent)!r} does not exist"
        )
