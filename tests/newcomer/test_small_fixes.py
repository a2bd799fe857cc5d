"""Small things a newcomer tripped over: patterns, pipelines (issue 16, items 8, 9, 11)."""

from __future__ import annotations

import pytest

from nerforge.errors import PatternError, PipelineError
from nerforge.patterns import load_patterns
from nerforge.pipelines import load_pipeline


def test_custom_attribute_patterns_get_a_coded_error(write_file):
    path = write_file("p.jsonl", '{"label": "DRUG", "pattern": [{"_": {"is_drug": true}}]}\n')
    expected = r'\[E106\][\s\S]*line 1: \[E108\] Token pattern matches custom attributes \("_": is_drug\)'
    with pytest.raises(PatternError, match=expected):
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


def test_conllu_files_read_as_tasks_and_are_not_written(tmp_path):
    from nerforge.errors import DataError
    from nerforge.io import read_tasks, write_tasks

    path = tmp_path / "s.conllu"
    path.write_text(
        "# text = I saw Kim.\n1\tI\tI\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n"
        "2\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_\n"
        "3\tKim\tKim\tPROPN\tNNP\t_\t2\tobj\t_\tSpaceAfter=No\n4\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n"
    )
    assert [task.text for task in read_tasks(path)] == ["I saw Kim."]
    with pytest.raises(DataError, match=r"\[E016\]"):
        write_tasks([], tmp_path / "out.conllu")
