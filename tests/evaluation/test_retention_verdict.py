"""Training's retention scores carry the forgetting report's verdict: one rule, not a CLI copy."""

from __future__ import annotations

import pytest

from nerforge.evaluation.forgetting import retention_report
from nerforge.evaluation.scoring import PRF, Scores
from nerforge.training.report import EvaluationRecord


def retention(**per_label: PRF) -> Scores:
    return Scores(per_label=dict(per_label))


@pytest.mark.parametrize(
    ("prf", "verdict"),
    [
        (PRF(tp=18, fp=2, fn=2), "dropped"),  # 90% agreement on 20 base entities
        (PRF(tp=20, fp=0, fn=0), "kept"),
        (PRF(tp=5, fp=5, fn=5), "too_few"),  # 10 base entities: too few to judge
    ],
)
def test_each_old_label_gets_the_forgetting_verdict(prf, verdict):
    (row,) = retention_report(retention(ORG=prf)).rows
    assert (row.label, row.support, row.verdict) == ("ORG", prf.tp + prf.fn, verdict)


def test_a_label_the_base_never_predicted_is_left_out():
    assert retention_report(retention(ORG=PRF(fp=3))).rows == ()


def test_a_record_carries_its_judged_retention():
    scores = Scores(retention=retention(ORG=PRF(tp=18, fp=2, fn=2)))
    record = EvaluationRecord(step=1, epoch=0, words=10, seconds=1.0, losses={}, is_best=True, scores=scores)
    assert record.retained is not None and [row.label for row in record.retained.dropped] == ["ORG"]
