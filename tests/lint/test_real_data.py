"""Lint on real third-party data: WNUT-17 (read in place from ../shared/data; skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_helpers import codes, with_code

from nerforge.lint import lint

WNUT17 = Path(__file__).resolve().parents[3] / "shared" / "data" / "wnut17"
pytestmark = pytest.mark.needs_data


@pytest.fixture(scope="module")
def report():
    if not (WNUT17 / "train.jsonl").exists():
        pytest.skip(f"WNUT-17 not found at {WNUT17}")
    return lint(WNUT17 / "train.jsonl", dev=WNUT17 / "dev.jsonl")


def test_only_real_problems_are_errors(report):
    """Its spans all sit on token boundaries; its only errors are texts it annotates twice, differently."""
    assert {f.code for f in report.with_severity("error")} == {"L601"}
    assert len(with_code(report, "L601")) == 12
    assert not codes(report) & {"L001", "L101", "L102", "L103", "L405", "L505", "L506", "L603"}


def test_known_conflict_and_inconsistency_are_found(report):
    conflict = with_code(report, "L601")[0]
    assert conflict.line == 3 and "'Pxleyes' corporation; line 113 has no entities" in conflict.message
    twitter = with_code(report, "L201")[0]
    assert twitter.details["surface"] == "Twitter" and twitter.details["n_unlabelled"] == 5


def test_all_six_labels_are_below_the_advice_for_new_labels(report):
    assert {f.details["label"] for f in with_code(report, "L402")} == {
        "person", "location", "group", "corporation", "product", "creative-work",
    }  # fmt: skip
