"""Every ``Trainer`` setting's constraint, declared once and checked by one function.

scikit-learn's ``_parameter_constraints``: a table of what each setting accepts, one check,
one error form: "The 'patience' parameter of Trainer must be an int >= 0. Got -1 instead."
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ParameterError
from ..formats import COMPONENT_MODES, NEW_LABEL_NERS, TEXTCAT_MODES
from ..formats import SELECTIONS as SELECTIONS  # noqa: PLC0414 - declared in formats, re-exported
from ..formats import NewLabelNer as NewLabelNer  # noqa: PLC0414 - declared in formats, re-exported
from ..formats import Selection as Selection  # noqa: PLC0414 - declared in formats, re-exported

SELECTION_WHY: Mapping[Selection, str] = {
    "best": "the evaluation with the best dev F of the trained labels (the earliest of equal ones)",
    "last": "the end of a fixed schedule, not picked on dev (an update's default: on "
    "bench/forgetting.py the dev pick chose early epochs on noise and learned the new label less)",
}


@dataclass(frozen=True)
class Constraint:
    """What a setting accepts: a test, and the words that describe it in the error."""

    accepts: Callable[[Any], bool]
    description: str


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _int_at_least(low: int, *, optional: bool = False) -> Constraint:
    words = f"an int >= {low}" + (" or None" if optional else "")
    return Constraint(lambda v: (optional and v is None) or (_is_int(v) and v >= low), words)


def _real(test: Callable[[float], bool], words: str, *, optional: bool = False) -> Constraint:
    words = words + (" or None" if optional else "")
    return Constraint(lambda v: (optional and v is None) or (_is_real(v) and test(v)), words)


def _string(*, optional: bool = False) -> Constraint:
    words = "a non-empty string" + (" or None" if optional else "")
    return Constraint(lambda v: (optional and v is None) or (isinstance(v, str) and bool(v)), words)


def _name_or_path(*, optional: bool = False) -> Constraint:
    words = "a pipeline name or path" + (" or None" if optional else "")
    return Constraint(
        lambda v: (optional and v is None) or (isinstance(v, str | os.PathLike) and bool(str(v))), words
    )


def _one_of(*choices: object, optional: bool = False) -> Constraint:
    words = "one of " + ", ".join(repr(c) for c in choices) + (" or None" if optional else "")
    return Constraint(lambda v: (optional and v is None) or v in choices, words)


def _labels(value: Any) -> bool:
    return value is None or (
        isinstance(value, list | tuple) and bool(value) and all(isinstance(x, str) and x for x in value)
    )


PARAMETER_CONSTRAINTS: Mapping[str, Constraint] = {
    "lang": _string(),
    "labels": Constraint(_labels, "a non-empty list of label strings or None"),
    "warm_start": _name_or_path(optional=True),
    "dropout": _real(lambda v: 0.0 <= v < 1.0, "a float in [0, 1)", optional=True),
    "seed": _int_at_least(0),
    "holdout": _real(lambda v: 0.0 < v < 1.0, "a float in (0, 1)"),
    "format": _string(optional=True),
    "answer_kind": _one_of("auto", "binary", "manual"),
    "max_epochs": _int_at_least(1, optional=True),
    "max_steps": _int_at_least(1, optional=True),
    "patience": _int_at_least(0, optional=True),
    "eval_frequency": _int_at_least(1, optional=True),
    "batch_size": _int_at_least(1, optional=True),
    "select": _one_of(*SELECTIONS, optional=True),
    "base": _name_or_path(optional=True),
    "rehearsal": Constraint(lambda v: isinstance(v, bool), "True or False"),
    "rehearse": _name_or_path(optional=True),
    "rehearse_default": Constraint(lambda v: isinstance(v, bool), "True or False"),
    "rehearsal_ratio": _real(lambda v: v >= 0.0, "a float >= 0", optional=True),
    "new_label_ner": _one_of(*NEW_LABEL_NERS),
    "anchor": _real(lambda v: v >= 0.0, "a float >= 0 (0: off)"),
    "learn_rate": _real(lambda v: 0.0 < v < 1.0, "a float in (0, 1)", optional=True),
    "backbone": _string(),
    "gpu_id": _int_at_least(-1),
    "force": Constraint(lambda v: isinstance(v, bool), "True or False"),
    "config": _name_or_path(optional=True),
    "textcat": _one_of(*TEXTCAT_MODES),
    "tokenizer_rules": _name_or_path(optional=True),
    "outside_rate": _real(lambda v: 0.0 <= v <= 1.0, "a float from 0 to 1 (0: off)"),
    "component": _one_of(*COMPONENT_MODES),
    "overrides": Constraint(
        lambda v: v is None or isinstance(v, Mapping), "a dict of dotted settings or None"
    ),
}


def check_parameters(settings: object, constraints: Mapping[str, Constraint] = PARAMETER_CONSTRAINTS) -> None:
    """Raise E403 for the first setting of ``settings`` its constraint rejects.

    Raises:
        ParameterError: E403, naming the setting, what it accepts and what it got.
    """
    owner = type(settings).__name__
    for name, constraint in constraints.items():
        value = getattr(settings, name)
        if not constraint.accepts(value):
            raise ParameterError(
                "E403",
                parameter=name,
                owner=owner,
                expected=constraint.description,
                value=value,
            )
