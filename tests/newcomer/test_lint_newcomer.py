"""Lint says what a newcomer needs to hear, once (issue 16, items 7 and 11)."""

from __future__ import annotations

import json

from nerforge import lint
from nerforge.records import Span, Task


def codes(report):
    return [finding.code for finding in report.findings]


def labelled(label, n, start=0):
    return [Task(f"took aspirin {i}", (Span(5, 12, label),)) for i in range(start, start + n)]


def test_case_variant_labels_are_one_error_not_too_specific():
    tasks = labelled("DRUG", 5) + labelled("Drug", 3, 10) + labelled("drug", 2, 20)
    report = lint(tasks)
    assert codes(report).count("L507") == 1
    assert "L501" not in codes(report)
    finding = next(f for f in report.findings if f.code == "L507")
    assert "DRUG (5), Drug (3), drug (2)" in finding.message and "(DRUG)" in finding.message


def test_counts_are_not_judged_after_a_bad_record(tmp_path):
    path = tmp_path / "data.jsonl"
    good = [json.dumps({"text": f"took aspirin {i}", "spans": []}) for i in range(4)]
    path.write_text("\n".join([*good, "{not json", *good]) + "\n")
    found = codes(lint(path))
    assert "L001" in found
    assert not {"L401", "L402", "L405", "L406"} & set(found)


def test_rejected_binary_answers_count_as_negatives():
    accepted = [Task(f"took aspirin {i}", (Span(5, 12, "DRUG"),)) for i in range(60)]
    rejected = [
        Task(f"took aspirin {i}", (Span(0, 4, "DRUG", "reject"),), "reject", False) for i in range(60)
    ]
    found = codes(lint(accepted + rejected))
    assert "L405" not in found


def test_lint_says_how_it_read_binary_answers(tmp_path):
    path = tmp_path / "teach.jsonl"
    rows = [
        {
            "text": "took aspirin",
            "spans": [{"start": 5, "end": 12, "label": "DRUG"}],
            "answer": a,
            "_view_id": "ner",
        }
        for a in ("accept", "reject", "ignore")
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = lint(path)
    summary = next(f for f in report.findings if f.code == "L002")
    assert "1 accept, incomplete" in summary.message and "1 ignore" in summary.message
    assert "L601" not in codes(report)
