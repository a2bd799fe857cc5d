"""Plain ``spacy train`` for the benches, timed so its update speed compares with nerforge's.

Shared by ``bench/wnut17.py`` (NER) and ``bench/textcat.py`` (text classification): spaCy's
default CPU efficiency config for one component, only a silent logger added to read words
seen. Training words/sec = words seen / seconds spent on updates: the loop's time to its last
step less its dev evaluations (timed by wrapping spaCy's evaluation callback), so that two
systems' evaluation schedules are not compared as training speed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from spacy.cli.init_config import init_config
from spacy.training import loop as spacy_loop
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as spacy_train
from spacy.util import registry

SEEN: dict[str, Any] = {}


def _timed_evaluation_callback(*args: Any, **kwargs: Any) -> Any:
    """spaCy's own dev evaluation, timed, so its cost can be told apart from the updates'."""
    evaluate = _spacy_evaluation_callback(*args, **kwargs)

    def timed() -> Any:
        started = time.perf_counter()
        result = evaluate()
        SEEN["evaluation_seconds"] = SEEN.get("evaluation_seconds", 0.0) + time.perf_counter() - started
        return result

    return timed


_spacy_evaluation_callback = spacy_loop.create_evaluation_callback
spacy_loop.create_evaluation_callback = _timed_evaluation_callback  # timing only; training is unchanged


@registry.loggers("bench.RecordingLogger.v1")
def recording_logger() -> Any:
    """Prints nothing; keeps the last step's info (words seen) for the words/sec figure."""

    def setup(nlp: Any, stdout: Any = None, stderr: Any = None) -> Any:
        def log_step(info: dict[str, Any] | None) -> None:
            SEEN["last_step_time"] = time.perf_counter()  # spaCy's own clock is whole seconds
            if info is not None:
                SEEN.update(info)

        return log_step, lambda: None

    return setup


def train_plain_spacy(
    folder: Path, seed: int, max_steps: int | None, *, pipeline: str, name: str = "spacy"
) -> tuple[Path, float, float]:
    """Train ``folder``'s train.spacy/dev.spacy; returns model-best, update words/sec, wall time."""
    config = init_config(lang="en", pipeline=[pipeline], optimize="efficiency", gpu=False)
    config["paths"]["train"] = str(folder / "train.spacy")
    config["paths"]["dev"] = str(folder / "dev.spacy")
    config["system"]["seed"] = seed
    config["training"]["logger"] = {"@loggers": "bench.RecordingLogger.v1"}
    if max_steps:
        config["training"]["max_steps"] = max_steps
    output = folder / f"{name}-{seed}"
    output.mkdir()
    SEEN.clear()
    start = time.perf_counter()
    nlp = init_nlp(config)
    loop_started = time.perf_counter()
    spacy_train(nlp, output, stdout=open("/dev/null", "w"), stderr=sys.stderr)  # noqa: SIM115
    seconds = time.perf_counter() - start
    # the updates alone: the loop (to its last step) less the dev evaluations
    loop_seconds = SEEN.get("last_step_time", loop_started) - loop_started
    update_seconds = max(1e-9, loop_seconds - SEEN.get("evaluation_seconds", 0.0))
    return output / "model-best", SEEN.get("words", 0) / update_seconds, seconds
