"""The runner and its report: ordering, counts, verdict, JSON, bad parameters, whole-file errors."""

from __future__ import annotations

import json

import pytest
import spacy
from lint_helpers import lint_records, negatives, task

from nerforge.errors import DataError, ParameterError
from nerforge.lint import CATALOGUE, Finding, LintReport, lint, lint_tasks, write_report
from nerforge.lint.findings import describe_lines, make_finding
from nerforge.records import Span, Task


def report_of(*severities: str) -> LintReport:
    codes = {"error": "L101", "warning": "L201", "info": "L602"}
    return LintReport(tuple(Finding(codes[s], s, "m", "p") for s in severities))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("severities", "verdict"),
    [
        ((), "No errors or warnings: the data is ready to train on."),
        (("info",), "No errors or warnings: the data is ready to train on. 1 note for information."),
        (("error",), "1 error: fix it before training."),
        (("error", "error", "warning"), "2 errors: fix them before training. 1 warning worth a look."),
        (("warning", "warning", "info"),
         "No errors: the data can be trained on. 2 warnings worth a look. 1 note for information."),
    ],
)  # fmt: skip
def test_verdict(severities, verdict):
    report = report_of(*severities)
    assert report.verdict == verdict
    assert report.has_errors == ("error" in severities)


def test_counts_every_severity():
    assert report_of("warning", "warning").counts == {"error": 0, "warning": 2, "info": 0}


def test_findings_come_errors_first_then_by_code(tmp_path):
    records = [
        task("Pixel 7 or Galaxy S9?", ("Pixel 7", "GADGET")),
        {"text": "the Pixel 7", "spans": [{"start": 5, "end": 11, "label": "GADGET"}]},
        task("Pixel 7 or Galaxy S9?"),
    ]
    report = lint_records(tmp_path, records)
    severities = [f.severity for f in report.findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert [f.code for f in report.findings][:3] == ["L101", "L401", "L601"]


def test_to_dict_and_write_report(tmp_path):
    report = lint_records(tmp_path, [task("Pixel 7 is here", ("Pixel 7", "GADGET")), *negatives(2)])
    out = tmp_path / "report.json"
    write_report(report, out)
    written = json.loads(out.read_text())
    assert set(written) == {"findings", "counts", "verdict", "summary"}
    assert written["counts"] == report.counts and written["verdict"] == report.verdict
    assert written["findings"][0] == report.findings[0].to_dict()
    assert written["summary"][0]["label_counts"] == {"GADGET": 1}
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind


def test_lint_tasks_names_its_inputs_and_counts_tasks():
    tasks = [Task("hello there"), Task("Pixel 7", (Span(0, 4, "GADGET"),))]
    report = lint_tasks(tasks, dev=[Task("hello")])
    assert {corpus.path for corpus in report.corpora} == {"<tasks>", "<dev>"}
    assert [f.location for f in report.findings if f.code == "L101"] == ["<tasks>, task 2"]


def test_missing_file_raises_its_coded_error(tmp_path):
    with pytest.raises(DataError, match=r"\[E001\]"):
        lint(tmp_path / "nope.jsonl")


def test_unknown_format_raises_its_coded_error(write_file):
    with pytest.raises(DataError, match=r"\[E013\]"):
        lint(write_file("data.csv", "a,b\n"))


def test_unknown_language():
    with pytest.raises(ParameterError, match=r"\[E403\].*'lang' parameter of lint.*Got 'zz'"):
        lint_tasks([], lang="zz")


@pytest.mark.parametrize("batch_size", [0, -3, 1.5, True])
def test_bad_batch_size(batch_size):
    with pytest.raises(ParameterError, match=r"\[E403\].*'batch_size'"):
        lint_tasks([], batch_size=batch_size)


def test_base_without_ner_gives_its_tokenizer_and_a_note(tmp_path):
    spacy.blank("en").to_disk(tmp_path / "blank")
    report = lint_tasks([], base=tmp_path / "blank")
    assert [f.severity for f in report.findings if f.code == "L303"] == ["info"]


def test_other_languages_tokenize_with_their_tokenizer():
    report = lint_tasks([Task("Angela Merkel besuchte Berlin", (Span(0, 13, "PER"),))], lang="de")
    assert report.corpora[0].label_counts == {"PER": 1}


def test_every_catalogue_message_says_what_to_do():
    """A message names the problem and a fix: an imperative or a suggestion in every template."""
    fixes = ("Add", "Annotate", "Check", "Decide", "Delete", "Fix", "Keep", "Label", "Look", "Mark",
             "Merge", "Move", "Nearest", "Pick", "Remove", "Review", "Split", "Use", "Write", "{fix}",
             "Deduplicate", "label them", "fix it")  # fmt: skip
    for code, rule in CATALOGUE.items():
        assert rule.severity in ("error", "warning", "info"), code
        assert any(word in rule.template for word in fixes), code


def test_make_finding_keeps_its_fields_as_details():
    finding = make_finding("L404", "data.jsonl")
    assert finding.severity == "error" and finding.location == "data.jsonl" and finding.details == {}
    finding = make_finding("L608", "data.jsonl", 7, unit="doc")
    assert finding.location == "data.jsonl, doc 7"


@pytest.mark.parametrize(
    ("lines", "n", "expected"),
    [([3], 1, "line 3"), ([3, 8], 2, "lines 3, 8"), ([1, 2, 3, 4, 5], 9, "lines 1, 2, 3, 4, 5 and 4 more")],
)
def test_describe_lines(lines, n, expected):
    assert describe_lines(lines, n) == expected
