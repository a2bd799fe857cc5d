"""nerforge: teach spaCy pipelines new entity types from raw text and a few patterns.

The public API, one call per step of the workflow (each takes paths or in-memory data)::

    import nerforge
    silver = nerforge.bootstrap("comments.txt", "patterns.jsonl")   # Iterator[Task]
    report = nerforge.lint("reviewed.jsonl")                         # LintReport
    run = nerforge.train("reviewed.jsonl", output="model")           # TrainingReport
    scores = nerforge.evaluate(run.model_best, "eval.jsonl")         # Evaluation
    tasks = nerforge.predict("model/model-best", ["a text"])         # Iterator[Task]

Names are imported on first use, so ``import nerforge`` (and ``nerforge --help``) stays
fast: spaCy is loaded by the first call that needs it.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from .version import __version__ as __version__

# public name -> the module that defines it
_EXPORTS = {
    "NerforgeError": "nerforge.errors",
    "Task": "nerforge.records",
    "Span": "nerforge.records",
    "Pattern": "nerforge.records",
    "read_tasks": "nerforge.io",
    "write_tasks": "nerforge.io",
    "load_patterns": "nerforge.patterns.loading",
    "bootstrap": "nerforge.api",
    "lint": "nerforge.api",
    "train": "nerforge.api",
    "evaluate": "nerforge.api",
    "predict": "nerforge.api",
    "Trainer": "nerforge.training.trainer",
    "TrainingReport": "nerforge.training.report",
    "LintReport": "nerforge.lint.runner",
    "Evaluation": "nerforge.evaluation.results",
}

__all__ = [
    "Evaluation",
    "LintReport",
    "NerforgeError",
    "Pattern",
    "Span",
    "Task",
    "Trainer",
    "TrainingReport",
    "bootstrap",
    "evaluate",
    "lint",
    "load_patterns",
    "predict",
    "read_tasks",
    "train",
    "write_tasks",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .api import (
        bootstrap as bootstrap,
    )
    from .api import (
        evaluate as evaluate,
    )
    from .api import (
        lint as lint,
    )
    from .api import (
        predict as predict,
    )
    from .api import (
        train as train,
    )
    from .errors import NerforgeError as NerforgeError
    from .evaluation.results import Evaluation as Evaluation
    from .io import read_tasks as read_tasks
    from .io import write_tasks as write_tasks
    from .lint.runner import LintReport as LintReport
    from .patterns.loading import load_patterns as load_patterns
    from .records import Pattern as Pattern
    from .records import Span as Span
    from .records import Task as Task
    from .training.report import TrainingReport as TrainingReport
    from .training.trainer import Trainer as Trainer


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nerforge' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(types.ModuleType):
    """The package module, keeping ``nerforge.lint`` the function once the subpackage loads.

    Importing ``nerforge.lint.runner`` binds the subpackage as the attribute ``lint`` of
    the package, which would hide the public function of that name; the subpackage stays
    importable by its dotted name (``from nerforge.lint import ...``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
