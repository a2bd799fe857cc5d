"""``nerforge lint``: the course's best practices for training data, as checks.

``lint(path)`` streams a data file once, runs small checks that each yield
:class:`Finding` objects, and returns a :class:`LintReport`. Nothing is printed.
"""

from .findings import CATALOGUE, SEVERITIES, Finding, Severity
from .runner import LintReport, lint, lint_tasks, write_report

__all__ = [
    "CATALOGUE",
    "SEVERITIES",
    "Finding",
    "LintReport",
    "Severity",
    "lint",
    "lint_tasks",
    "write_report",
]
