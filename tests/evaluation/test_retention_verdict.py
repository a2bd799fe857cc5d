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


@pytest.mark.parametrize(
    ("prf", "verdict"),
    [
        (PRF(tp=19, fp=1, fn=1), "kept"),  # 95% agreement: at the threshold, kept
        (PRF(tp=17, fp=2, fn=3), "dropped"),  # below it
    ],
)
def test_the_agreement_threshold_is_compared_as_a_fraction(prf, verdict):
    (row,) = retention_report(retention(ORG=prf)).rows
    assert row.base_f == 1.0 and row.updated_f == pytest.approx(prf.f) and row.verdict == verdict


def test_the_tables_print_percentages_of_fraction_records(capsys):
    from nerforge.cli._train_report import _show_retention
    from nerforge.cli.evaluate import show_forgetting
    from nerforge.evaluation.forgetting import ForgettingReport, LabelRetention

    show_forgetting(ForgettingReport((LabelRetention("ORG", 0.9, 0.855, "gold", 28, "dropped"),)), "base")
    _show_retention(retention_report(retention(ORG=PRF(tp=18, fp=2, fn=2))))
    printed = capsys.readouterr().out
    assert "90.0" in printed and "85.5" in printed and "-4.5" in printed
    assert "Below 95% on dev: ORG" in printed
