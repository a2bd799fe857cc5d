"""Training: a new NER from tasks, or a pretrained pipeline updated, on spaCy's config system and loop.

The names below are imported on first use, so that ``nerforge.training.defaults`` (what the
command line's help shows) costs no spaCy import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .loop import Progress
    from .report import EvaluationRecord, Parameters, TrainingReport
    from .trainer import Trainer

__all__ = ["EvaluationRecord", "Parameters", "Progress", "Trainer", "TrainingReport"]
_WHERE = {
    "EvaluationRecord": ".report",
    "Parameters": ".report",
    "Progress": ".loop",
    "Trainer": ".trainer",
    "TrainingReport": ".report",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module(".registered", __name__)  # nerforge's spaCy functions, found by name
    return getattr(importlib.import_module(_WHERE[name], __name__), name)
