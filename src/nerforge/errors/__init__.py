"""The error catalogue: every user-facing problem has a code, a place and a fix.

Codes by area, each raised with the class named:

========  ======================================================  =========================
codes     area                                                    class
========  ======================================================  =========================
E0xx      reading and writing data files (E080-E099: CoNLL-U)     DataError
E050-079  big corpora: worker pools and Dask                      ClusterError, DataError
E1xx      pattern files (E106 lists every bad line)               PatternError
E140-159  tokenizer rules (E146 lists every bad line), and        TokenizerRuleError,
          the pipelines written with them                         PipelineError
E2xx      training, train-curve (E250-E269: the rehearsal         TrainingError,
          corpus and its cache)                                   RehearsalCacheError
E3xx      the store (E300-E319), the review and teach pages       StorageError
E4xx      pipelines and models; optional extras (E404); any       PipelineError, ExtraError
          function's parameter (E403, the one code for it)        ParameterError
========  ======================================================  =========================

A setting the user gave that a job refuses is a ParameterError whatever its area. Each
message says what is wrong and how to fix it (tests/test_error_catalogue.py checks that, and
the order of the codes); the location (file, line) is prepended by :class:`NerforgeError`.
The problems an aggregate lists (E106, E146) carry their own codes: see :func:`problem`.

The catalogue is split by code range (``data_codes``: E0xx; ``workflow_codes``: E1xx-E2xx;
``service_codes``: E3xx-E4xx) and joined in :class:`~nerforge.errors.catalogue.Errors`; the
exception classes live in ``exceptions``. Import every name from ``nerforge.errors``.
"""

from __future__ import annotations

from .catalogue import Errors
from .exceptions import (
    ClusterError,
    DataError,
    ExtraError,
    Location,
    NerforgeError,
    ParameterError,
    PatternError,
    PipelineError,
    RehearsalCacheError,
    StorageError,
    TokenizerRuleError,
    TrainingError,
    describe_problems,
    problem,
)

__all__ = [
    "ClusterError",
    "DataError",
    "Errors",
    "ExtraError",
    "Location",
    "NerforgeError",
    "ParameterError",
    "PatternError",
    "PipelineError",
    "RehearsalCacheError",
    "StorageError",
    "TokenizerRuleError",
    "TrainingError",
    "describe_problems",
    "problem",
]
