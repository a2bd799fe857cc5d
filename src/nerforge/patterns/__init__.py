"""Patterns: load and validate pattern files, match them, bootstrap silver tasks."""

from .bootstrap import MatchCounts, bootstrap, bootstrap_files
from .loading import load_patterns
from .matching import PatternMatcher, longest_first, merge_tiers

__all__ = [
    "MatchCounts",
    "PatternMatcher",
    "bootstrap",
    "bootstrap_files",
    "load_patterns",
    "longest_first",
    "merge_tiers",
]
