"""Small things a newcomer tripped over: patterns, pipelines (issue 16, items 8, 9, 11)."""

from __future__ import annotations

import pytest

from nerforge.errors import PatternError, PipelineError
from nerforge.patterns import load_patterns
from nerforge.pipelines import load_pipeline


def test_custom_attribute_patterns_get_a_coded_error(write_file):
    path = write_file("p.jsonl", '{"label": "DRUG", "pattern": [{"_": {"is_drug": true}}]}\n')
    with pytest.raises(
        PatternError, match=r'\[E106\][\s\S]*line 1: Token pattern matches custom attributes \("_": is_drug\)'
    ):
        load_patterns(path)


def test_pattern_messages_show_single_braces(write_file):
    path = write_file("p.jsonl", '{"label": "X", "pattern": []}\n')
    with pytest.raises(PatternError) as caught:
        load_patterns(path)
    assert '[{"LOWER": "iphone"}]' in str(caught.value) and "{{" not in str(caught.value)


def test_a_training_folder_given_as_a_model_names_model_best(tmp_path):
    (tmp_path / "model-best").mkdir()
    (tmp_path / "model-best" / "config.cfg").write_text("")
    with pytest.raises(PipelineError, match=r"\[E430\].*Did you mean '.*model-best'"):
        load_pipeline(tmp_path)
