"""The course's example data and the fixture folder, for test modules to import by name.

Test modules import shared names from here, never from a conftest: tests/web has a conftest
of its own, and a run that collects it first would shadow the module ``conftest``.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"

# The iPhone example of the spaCy course's training chapter, in our own words.
COURSE_TEXTS = [
    "How to preorder the iPhone X",
    "iPhone X is coming",
    "Should I pay $1,000 for the iPhone X?",
    "The iPhone 8 reviews are here",
    "iPhone 11 vs iPhone 8: What's the difference?",
    "I need a new phone! Any tips?",
]
COURSE_PATTERNS = (
    '{"label": "GADGET", "pattern": [{"LOWER": "iphone"}, {"LOWER": "x"}]}\n'
    '{"label": "GADGET", "pattern": [{"LOWER": "iphone"}, {"IS_DIGIT": true}]}\n'
)
COURSE_MATCHES = [
    ["iPhone X"],
    ["iPhone X"],
    ["iPhone X"],
    ["iPhone 8"],
    ["iPhone 11", "iPhone 8"],
    [],
]
