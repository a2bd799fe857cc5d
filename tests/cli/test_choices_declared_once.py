"""An option's choices are declared once (nerforge.formats) and shared by the CLI and the library."""

from __future__ import annotations

import subprocess
import sys

import pytest

from nerforge import formats


@pytest.mark.parametrize(
    ("module", "name", "declared"),
    [
        ("nerforge.cli._common", "ANSWER_KINDS", formats.ANSWER_KINDS),
        ("nerforge.task_json", "ANSWER_KINDS", formats.ANSWER_KINDS),
        ("nerforge.cli.teach", "ORDERS", formats.ORDERS),
        ("nerforge.active.ordering", "ORDERS", formats.ORDERS),
        ("nerforge.cli.train", "SELECTIONS", formats.SELECTIONS),
        ("nerforge.training.parameters", "SELECTIONS", formats.SELECTIONS),
        ("nerforge.cli.train", "TEXTCAT_MODES", formats.TEXTCAT_MODES),
        ("nerforge.training.textcat", "TEXTCAT_MODES", formats.TEXTCAT_MODES),
    ],
)
def test_the_cli_and_the_library_check_against_one_tuple(module, name, declared):
    assert getattr(__import__(module, fromlist=[name]), name) is declared


def test_the_choices_load_without_spacy():
    code = "import sys, nerforge.formats; print('spacy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert result.stdout.strip() == "False"
