"""The shipped demo corpus and the workflow that runs on it (`nerforge demo`).

Files (see README.md beside this module): ``comments.txt`` raw comments,
``gadget_patterns.jsonl`` seed patterns for GADGET, ``eval.jsonl`` a hand-labelled
evaluation set (GADGET, PERSON, ORG, GPE; complete).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..patterns.bootstrap import MatchCounts, bootstrap_files

DEMO_DIR = Path(__file__).parent
COMMENTS = DEMO_DIR / "comments.txt"
PATTERNS = DEMO_DIR / "gadget_patterns.jsonl"
EVALUATION = DEMO_DIR / "eval.jsonl"


@dataclass
class DemoResult:
    """What the demo made, and where.

    Attributes:
        silver: The bootstrapped silver tasks.
        counts: What the patterns found in the comments.
    """

    silver: Path
    counts: MatchCounts


def run_demo(output: str | Path) -> DemoResult:
    """Run the workflow on the demo corpus, writing everything under ``output``."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    silver = folder / "silver.jsonl"
    counts = bootstrap_files(COMMENTS, PATTERNS, silver)
    return DemoResult(silver, counts)
