"""Shared fixtures: files the tests write themselves, and models trained once per session.

Names for test modules to import live in helper modules (course_data, model_helpers...), not here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from model_helpers import TrainedRun, fit_written
from nerforge.training import Trainer
from spancat_data import write_nested
from textcat_data import write_sentiment
from tiny_data import write_tiny_data

WriteFile = Callable[..., Path]


def _nerforge_names(folder: Path) -> set[str]:
    # files only: a nerforge run elsewhere on the machine makes (and removes) nerforge-* folders
    return {path.name for path in folder.glob("nerforge*") if path.is_file()}


@pytest.fixture(scope="session", autouse=True)
def system_temp_folder_untouched(tmp_path_factory) -> Iterator[None]:
    """Keep the system's temp folder clean: temp files go under pytest's folder, and a leak fails the run.

    tempfile (and, through TMPDIR, every subprocess) writes under this run's basetemp instead; a
    test that still writes a ``nerforge*`` file to the system's temp folder (a hard-coded /tmp
    path) fails the session at its end, naming what it left.
    """
    system = Path(tempfile.gettempdir())
    before = _nerforge_names(system)
    scratch = tmp_path_factory.mktemp("systemp")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(scratch))
        for variable in ("TMPDIR", "TEMP", "TMP"):
            patch.setenv(variable, str(scratch))
        yield
    left = sorted(_nerforge_names(system) - before)
    if left:
        pytest.fail(f"Tests left {', '.join(left)} in {system}: write them under tmp_path instead.")


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


# A tiny NER trained once per session stands in for "a model".
@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> tuple[Path, Path]:
    return write_tiny_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def tiny_model(tiny_data, tmp_path_factory) -> tuple[Trainer, Path]:
    train, dev = tiny_data
    output = tmp_path_factory.mktemp("model")
    trainer = Trainer(warm_start=None, max_epochs=15).fit(train, dev, output=output)
    return trainer, output


# A span categorizer and a text classifier, each trained once for its training and evaluation tests.
@pytest.fixture(scope="session")
def spancat_run(tmp_path_factory) -> TrainedRun:
    return fit_written(tmp_path_factory.mktemp("spancat"), write_nested)


@pytest.fixture(scope="session")
def textcat_run(tmp_path_factory) -> TrainedRun:
    return fit_written(tmp_path_factory.mktemp("cats"), write_sentiment)
