"""Every ```sh block of the README runs as a test, on the shipped demo corpus.

Each block runs in a folder of its own, where the files its commands name are made from the
demo corpus (``FILES``); its lines run in order, as written, through the same CLI the
``nerforge`` script runs, after the few changes ``EXTRA_OPTIONS`` lists (one training epoch;
``CONFIG_ONLY``: the transformer line writes its config instead of training).
``[--opt VALUE]`` in a line is run as ``--opt VALUE``. ``annotate``, ``teach`` and ``review`` serve until
stopped: each is started on a free port, its page is fetched over HTTP, and it is stopped with
Ctrl-C, which must end it cleanly. A line fails when a command exits with another status than
``EXPECTED_EXIT`` says (0 by default) or names an option its command does not have. Commands
that can't run here are in ``SKIPPED``, each with the reason; their options are checked all
the same where they are nerforge's. Commands run in this process, except servers and commands
that start workers (``OWN_PROCESS_OPTIONS``), which run as the script in a process of their own.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import nerforge
from nerforge.cli import app
from nerforge.demo import COMMENTS, DEMO_DIR, PATTERNS, PRETRAINED
from nerforge.io import read_tasks, write_tasks
from nerforge.storage import import_tasks
from nerforge.training import Trainer

pytestmark = pytest.mark.needs_model  # new models warm-start from it; some lines update it

README = Path(__file__).parents[1] / "README.md"
TRAIN_LINES = (0, 150)  # reviewed tasks standing in for train.jsonl: lint wants 50 GADGETs, we have 92
DEV_LINES = (450, 511)  # reviewed tasks for dev.jsonl: none of them is also a training text
CLI = (sys.executable, "-c", "from nerforge.cli import run; run()")  # the `nerforge` script
SERVE_SECONDS = 120.0  # longest a server may take to answer its page (a loaded 2-core machine)
STOP_SECONDS = 60.0  # longest a server may take to stop after Ctrl-C
RUN_SECONDS = 300.0  # longest a command run in a process of its own may take (they take seconds)


@dataclass(frozen=True)
class Command:
    """One command of a README line: its words, and the files piped into it (``cat F | ...``)."""

    words: tuple[str, ...]
    stdin_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Line:
    """A README line of a shell block: its number, its text, the commands it chains with ``&&``."""

    number: int
    text: str
    commands: tuple[Command, ...]


@dataclass(frozen=True)
class Block:
    """A ```sh block: the README line it starts on, its section's title, its lines."""

    number: int
    section: str
    lines: tuple[Line, ...]

    @property
    def words(self) -> set[str]:
        return {word for line in self.lines for command in line.commands for word in command.words}


class StandIns:
    """What the README's names stand for, built on first use and shared by every block."""

    def __init__(self, folder: Path, tiny_model: Callable[[], Path]) -> None:
        self.folder = folder
        self._tiny_model = tiny_model

    @functools.cached_property
    def model(self) -> Path:
        """The session's tiny GADGET model (conftest's ``tiny_model``)."""
        return self._tiny_model() / "model-best"

    @functools.cached_property
    def updated_model(self) -> Path:
        """The pretrained pipeline updated with GADGET for one epoch on the training slice.

        Without the default rehearsal corpus (a few seconds less): evaluate needs an update, not a good one.
        """
        output = self.folder / "updated"
        Trainer(base=PRETRAINED, max_epochs=1, rehearse_default=False).fit(str(self.train), output=output)
        return output / "model-best"

    @functools.cached_property
    def train(self) -> Path:
        return _demo_lines(self.folder / "train.jsonl", "reviewed.jsonl", TRAIN_LINES)

    @functools.cached_property
    def silver(self) -> Path:
        """Bootstrap's output on the demo comments and patterns."""
        path = self.folder / "silver.jsonl"
        write_tasks(nerforge.bootstrap(COMMENTS, PATTERNS), path)
        return path

    @functools.cached_property
    def store(self) -> Path:
        """A store whose datasets hold the answers a person would have given on the pages."""
        path = self.folder / "nerforge.db"
        tasks = list(read_tasks(self.train))
        import_tasks(path, "gadgets", tasks)
        import_tasks(path, "gadgets-binary", [yes for task in tasks for yes in _binary_answers(task)])
        return path


def _demo_lines(path: Path, name: str, lines: tuple[int, int]) -> Path:
    start, stop = lines
    kept = (DEMO_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True)[start:stop]
    path.write_text("".join(kept), encoding="utf-8")
    return path


def _glued_with_reviewed(path: Path) -> None:
    glued = (DEMO_DIR / "glued.jsonl").read_text(encoding="utf-8")
    path.write_text(glued + _demo_lines(path, "reviewed.jsonl", TRAIN_LINES).read_text("utf-8"), "utf-8")


def _binary_answers(task: nerforge.Task) -> list[nerforge.Task]:
    """Teach's answers for a reviewed task: a yes on each of its spans, the rest unknown."""
    return [
        nerforge.Task(task.text, spans=(span,), complete=False, extra={"_view_id": "ner"})
        for span in task.accepted_spans
    ]


Maker = Callable[[StandIns, Path], None]


def demo(name: str, lines: tuple[int, int] | None = None) -> Maker:
    """A demo file, or a slice of its lines."""

    def make(_: StandIns, path: Path) -> None:
        if lines is None:
            shutil.copyfile(DEMO_DIR / name, path)
        else:
            _demo_lines(path, name, lines)

    return make


def comments_as_jsonl(_: StandIns, path: Path) -> None:
    """The demo comments as JSONL records (gzipped for a ``.gz`` name)."""
    records = "".join(json.dumps({"text": text}) + "\n" for text in COMMENTS.read_text("utf-8").splitlines())
    path.write_bytes(gzip.compress(records.encode()) if path.suffix == ".gz" else records.encode())


def built(attribute: str) -> Maker:
    """A copy of something the stand-ins built once (a model folder or a file)."""

    def make(stand_ins: StandIns, path: Path) -> None:
        source: Path = getattr(stand_ins, attribute)
        if source.is_dir():
            shutil.copytree(source, path)
        else:
            shutil.copyfile(source, path)

    return make


# The substitution table: a name a README command reads -> what the test puts there, made only
# in the folders of the blocks that name it. Your data is the demo corpus (src/nerforge/demo/),
# training data a slice of it, so that one epoch takes seconds.
FILES: dict[str, Maker] = {
    "comments.txt": demo("comments.txt"),  # raw texts: the 511 demo comments
    "more-comments.txt": demo("comments.txt"),
    "gadget_patterns.jsonl": demo("gadget_patterns.jsonl"),
    "patterns.jsonl": demo("gadget_patterns.jsonl"),
    "train.jsonl": demo("reviewed.jsonl", TRAIN_LINES),  # reviewed tasks: gold for training
    "reviewed.jsonl": demo("reviewed.jsonl", TRAIN_LINES),
    "dev.jsonl": demo("reviewed.jsonl", DEV_LINES),
    "test.jsonl": demo("eval.jsonl"),  # the hand-labelled evaluation set
    "eval.jsonl": demo("eval.jsonl"),
    "raw.jsonl": comments_as_jsonl,  # texts as JSONL records
    "comments.jsonl.gz": comments_as_jsonl,
    "silver.jsonl": built("silver"),  # bootstrap's output
    "demo-output/silver.jsonl": built("silver"),
    "models/gadget/model-best": built("model"),  # a trained GADGET model: the session's tiny one
    "model/model-best": built("model"),
    "models/updated/model-best": built("updated_model"),  # the pretrained pipeline, updated
    "nerforge.db": built("store"),  # the default store, with the answers a person would have given
}
# Where a section's commands need other data than the table's: section title -> names -> maker.
SECTION_FILES: dict[str, dict[str, Maker]] = {
    # spans that cut tokens (what the rules fix), among enough reviewed tasks to train on
    "Tokenizer rules": {"train.jsonl": lambda stand_ins, path: _glued_with_reviewed(path)},
}
# Made in every block's folder, named or not: commands read the default store when not told.
ALWAYS = ("nerforge.db",)

# Options added to a nerforge command before it runs (command -> options), each with the reason.
EXTRA_OPTIONS: dict[str, tuple[str, ...]] = {
    "train": ("--max-epochs", "1"),  # the test checks the command runs, not how well it learns
    "train-curve": ("--max-epochs", "1"),
}
# How a README command calls nerforge: the demo prints `.venv/bin/nerforge`, the same CLI.
NERFORGE_PROGRAMS = ("nerforge", ".venv/bin/nerforge")
# README lines (by a part of their text) that only write their training config, with the reason.
CONFIG_ONLY: dict[str, str] = {
    # the config resolves the backbone (the extra, the packaged model); fine-tuning it even for one
    # epoch takes 10 to 40 s on a shared 2-core machine, more than the rest of the line's block
    "--backbone transformer": "--export-config config-only.cfg",
}
# Commands that serve until stopped: started on a free port (--port), fetched, stopped with Ctrl-C.
SERVERS = ("annotate", "teach", "review")

# Options that start worker processes: their commands run in a process of their own, as a
# user's do. Forked from this test process, which has run torch's threads, a worker can hang.
OWN_PROCESS_OPTIONS = ("--n-process", "--scheduler")

# README commands the test doesn't run (the start of the command -> why). Keep it short.
SKIPPED: dict[str, str] = {
    "make demo": "creates .venv, trains the demo's models for minutes; tests/demo/test_demo.py is its test",
    "make test": "runs this test suite itself",
    "pip install": "installs packages: the dev extra the tests run under has them all",
}
# Commands expected to exit with another status than 0: (section, a part of the line) -> status.
EXPECTED_EXIT: dict[tuple[str, str], int] = {
    # lint exits 1 on errors, and spans that cut tokens (what --fix-tokenizer is for) are errors
    ("Tokenizer rules", "--fix-tokenizer"): 1,
}


def read_blocks(readme: Path = README) -> list[Block]:
    """The README's ```sh blocks, with their line numbers and sections."""
    blocks: list[Block] = []
    section, start, lines = "nerforge", None, []
    for number, text in enumerate(readme.read_text(encoding="utf-8").splitlines(), start=1):
        if start is None and text.startswith("## "):
            section = text[3:].strip()
        elif start is None and text.strip() == "```sh":
            start, lines = number, []
        elif start is not None and text.strip() == "```":
            blocks.append(Block(start, section, tuple(lines)))
            start = None
        elif start is not None and text.strip():
            lines.append(Line(number, text, parse_line(text)))
    return blocks


def parse_line(text: str) -> tuple[Command, ...]:
    """The commands of a shell line: optional ``[--opt VALUE]`` expanded, comments dropped."""
    expanded = re.sub(r"\[(-[^\[\]]*)\]", r"\1", text)
    lexer = shlex.shlex(expanded, posix=True, punctuation_chars="|&")
    lexer.whitespace_split = True
    commands: list[Command] = []
    for chained in _split(list(lexer), "&&"):
        *piped, last = _split(chained, "|")
        if any(stage[0] != "cat" for stage in piped):
            raise ValueError(f"this test pipes only `cat FILE` into a command: {text!r}")
        commands.append(Command(tuple(last), tuple(f for stage in piped for f in stage[1:])))
    return tuple(commands)


def _split(words: list[str], separator: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word == separator:
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def skip_reason(command: Command) -> str | None:
    text = " ".join(command.words)
    return next((why for start, why in SKIPPED.items() if text.startswith(start)), None)


def nerforge_words(command: Command) -> list[str] | None:
    """The command's arguments after ``nerforge`` (the demo prints ``.venv/bin/nerforge``), else None."""
    program, *arguments = command.words
    return arguments if program in NERFORGE_PROGRAMS else None


def click_command(arguments: list[str]) -> tuple[Any, list[str]]:
    """The (sub)command the arguments call, and the arguments left for it (typer's own click)."""
    command = typer.main.get_command(app)
    while arguments and arguments[0] in getattr(command, "commands", {}):
        command, arguments = command.commands[arguments[0]], arguments[1:]  # type: ignore[attr-defined]
    return command, arguments


def unknown_options(arguments: list[str]) -> list[str]:
    """Options the arguments give that their command's --help does not list."""
    command, rest = click_command(arguments)
    known = {name for param in command.params for name in (*param.opts, *param.secondary_opts)}
    overrides = command.context_settings.get("ignore_unknown_options", False)  # spaCy's --a.b
    unknown = []
    for word in rest:
        name = word.split("=", 1)[0]
        if not word.startswith("-") or word == "-" or re.fullmatch(r"-\d+(\.\d+)?", word):
            continue
        if name not in known | {"--help"} and not (overrides and "." in name):
            unknown.append(word)
    return unknown


def subcommand(arguments: list[str]) -> str:
    return click_command(arguments)[0].name or ""


def run_in_process(arguments: list[str], stdin: bytes | None) -> tuple[int, str]:
    """Run nerforge in this process, as its script does; the exit status and everything printed."""
    result = CliRunner().invoke(app, arguments, input=stdin)
    printed = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        printed += "".join(traceback.format_exception(result.exception))
    return result.exit_code, printed


def run_in_own_process(arguments: list[str], stdin: bytes | None, folder: Path) -> tuple[int, str]:
    """Run nerforge as its script does, in a new process; the exit status and everything printed."""
    try:
        done = subprocess.run(
            [*CLI, *arguments],
            cwd=folder,
            input=stdin or b"",
            capture_output=True,
            timeout=RUN_SECONDS,
            check=False,  # the status is what the test checks
        )
    except subprocess.TimeoutExpired:
        return -9, f"(still running after {RUN_SECONDS:.0f} s: killed)"
    return done.returncode, (done.stdout + done.stderr).decode("utf-8", "replace")


def serve(arguments: list[str], folder: Path) -> tuple[int, str]:
    """Start a server command, fetch its page, stop it with Ctrl-C; its exit status and output."""
    port = _free_port()
    process = subprocess.Popen(
        [*CLI, *arguments, "--port", str(port)],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = _fetch_page(f"http://127.0.0.1:{port}/", process)
    finally:
        output = _stop(process)
    if page is None or "<title>nerforge" not in page:
        return process.returncode or -1, output + f"\n(the page never answered as nerforge's: {page!r:.200})"
    return process.returncode, output


def _stop(process: subprocess.Popen[bytes]) -> str:
    """Ctrl-C, as a person stops the server; killed if it doesn't stop in time. What it printed."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=STOP_SECONDS)[0].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        process.kill()
        printed = process.communicate()[0].decode("utf-8", "replace")
        return printed + f"\n(still running {STOP_SECONDS:.0f} s after Ctrl-C: killed)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch_page(address: str, process: subprocess.Popen[bytes]) -> str | None:
    """The page's HTML once the server answers; None if it exits or never answers."""
    deadline = time.monotonic() + SERVE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(address, timeout=5) as reply:
                return str(reply.read().decode("utf-8"))
        except OSError:  # not listening yet (URLError, ConnectionError and timeouts are OSErrors)
            time.sleep(0.2)
    return None


def stage(block: Block, folder: Path, stand_ins: StandIns) -> None:
    """Make the files the block's commands name, as the substitution tables say."""
    makers = FILES | SECTION_FILES.get(block.section, {})
    for name, make in makers.items():
        if name in block.words or name in ALWAYS:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            make(stand_ins, path)


def run_command(block: Block, line: Line, command: Command, folder: Path) -> bool:
    """Run one command of a README line and check its exit status; whether it ran (SKIPPED don't)."""
    where = f"README.md line {line.number}: {line.text.strip()}"
    arguments = nerforge_words(command)
    if arguments is None:
        assert skip_reason(command) is not None, f"{where}\nnot a nerforge command, and not in SKIPPED"
        return False
    unknown = unknown_options(arguments)
    assert not unknown, f"{where}\n`nerforge {subcommand(arguments)}` has no option {', '.join(unknown)}"
    name = subcommand(arguments)
    arguments = [*arguments, *EXTRA_OPTIONS.get(name, ())]
    arguments += next((extra.split() for part, extra in CONFIG_ONLY.items() if part in line.text), [])
    if name in SERVERS:
        status, printed = serve(arguments, folder)
    elif any(word.split("=")[0] in OWN_PROCESS_OPTIONS for word in arguments):
        status, printed = run_in_own_process(arguments, _stdin(command, folder), folder)
    else:
        status, printed = run_in_process(arguments, _stdin(command, folder))
    expected = next(
        (
            status
            for (section, part), status in EXPECTED_EXIT.items()
            if section == block.section and part in line.text
        ),
        0,
    )
    assert status == expected, f"{where}\nexit status {status} (expected {expected}):\n{printed}"
    return True


def _stdin(command: Command, folder: Path) -> bytes | None:
    return b"".join((folder / name).read_bytes() for name in command.stdin_files) or None


@pytest.fixture(scope="module")
def stand_ins(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> StandIns:
    return StandIns(
        tmp_path_factory.mktemp("readme-stand-ins"), lambda: request.getfixturevalue("tiny_model")[1]
    )


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of the base's predictions on the default rehearsal corpus for every update here."""
    return tmp_path_factory.mktemp("readme-cache")


@pytest.fixture(autouse=True)
def readme_environment(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.delenv("NERFORGE_DB", raising=False)  # the README's commands use ./nerforge.db
    monkeypatch.setenv("NERFORGE_CACHE_DIR", str(cache_dir))  # nothing written outside tmp folders


BLOCKS = read_blocks()


def test_the_readme_has_shell_blocks_and_the_tables_name_only_what_it_uses():
    words = set().union(*(block.words for block in BLOCKS))
    assert len(BLOCKS) >= 10
    assert set(FILES) - set(ALWAYS) <= words, "FILES names a file no README command uses any more"
    lines = [" ".join(c.words) for block in BLOCKS for line in block.lines for c in line.commands]
    assert all(any(text.startswith(start) for text in lines) for start in SKIPPED), "SKIPPED is stale"
    texts = [line.text for block in BLOCKS for line in block.lines]
    assert all(any(part in text for text in texts) for part in CONFIG_ONLY), "CONFIG_ONLY is stale"


def test_optional_options_are_expanded_and_comments_dropped():
    (command,) = parse_line("nerforge lint a.jsonl [--json report.json]   # says [--x y]")
    assert command.words == ("nerforge", "lint", "a.jsonl", "--json", "report.json")


def test_a_pipe_from_cat_and_a_chain_are_read():
    first, second = parse_line("cat a.txt | nerforge predict m - -o - && nerforge db stats x")
    assert first == Command(("nerforge", "predict", "m", "-", "-o", "-"), stdin_files=("a.txt",))
    assert second.words == ("nerforge", "db", "stats", "x")


@pytest.mark.parametrize(
    ("arguments", "unknown"),
    [
        (["lint", "a.jsonl", "--jsn", "r.json"], ["--jsn"]),  # a typo
        (["db", "export", "x", "-o", "-"], []),  # a subcommand's own options; '-' is stdout
        (["train", "a.jsonl", "-o", "m", "--training.max_epochs", "3"], []),  # spaCy's overrides
        (["train", "a.jsonl", "-o", "m", "--max-epoch", "3"], ["--max-epoch"]),
    ],
)
def test_options_a_command_lacks_are_found(arguments, unknown):
    assert unknown_options(arguments) == unknown


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{block.number}" for block in BLOCKS])
def test_the_shell_block_runs(block: Block, tmp_path: Path, monkeypatch, stand_ins: StandIns):
    stage(block, tmp_path, stand_ins)
    monkeypatch.chdir(tmp_path)
    ran = [run_command(block, line, command, tmp_path) for line in block.lines for command in line.commands]
    if not any(ran):
        reasons = {skip_reason(c) for line in block.lines for c in line.commands}
        pytest.skip("; ".join(sorted(r for r in reasons if r)))
