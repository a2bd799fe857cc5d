"""The shipped demo corpus: readable, consistent with itself, and as the README describes."""

from __future__ import annotations

from nerforge.demo import COMMENTS, EVALUATION, GLUED, PATTERNS, REVIEWED
from nerforge.io import read_tasks
from nerforge.patterns import load_patterns


def test_files_read_and_match_up():
    comments = [t.text for t in read_tasks(COMMENTS)]
    reviewed = list(read_tasks(REVIEWED))
    evaluation = list(read_tasks(EVALUATION))
    assert len(comments) >= 400 and len(evaluation) >= 150
    assert [t.text for t in reviewed] == comments
    assert all(t.complete for t in reviewed + evaluation)
    assert not set(comments) & {t.text for t in evaluation}
    assert {s.label for t in evaluation for s in t.spans} == {"GADGET", "PERSON", "ORG", "GPE"}
    assert sum(not t.spans for t in reviewed) > 0.3 * len(reviewed)  # texts without entities
    assert len(load_patterns(PATTERNS)) >= 10


def test_glued_comments_are_new_and_labelled_as_reviewed():
    glued = list(read_tasks(GLUED))
    others = {t.text for t in read_tasks(REVIEWED)} | {t.text for t in read_tasks(EVALUATION)}
    assert len(glued) >= 3 and not {t.text for t in glued} & others
    assert all(t.complete and t.spans for t in glued)
    assert {s.label for t in glued for s in t.spans} == {"GADGET"}
