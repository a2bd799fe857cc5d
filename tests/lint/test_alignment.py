"""Alignment checks (L1xx) and reader errors (L001), over every input format."""

from __future__ import annotations

import json

import pytest
import spacy
from lint_helpers import codes, lint_records, task, with_code
from spacy.tokens import DocBin

from nerforge.lint import lint, lint_tasks
from nerforge.records import Span, Task

ALIGNMENT = {"L101", "L102", "L103"}


def test_span_one_character_off_gets_contract_and_expand_fixes(tmp_path):
    record = {"text": "Tim Cook visited Berlin", "spans": [{"start": 0, "end": 7, "label": "PERSON"}]}
    [finding] = with_code(lint_records(tmp_path, [record]), "L101")
    assert finding.severity == "error" and finding.line == 1
    assert "Span 0-7 PERSON 'Tim Coo'" in finding.message
    assert "contract to 0-3 'Tim'" in finding.message
    assert "expand to 0-8 'Tim Cook'" in finding.message


def test_span_inside_one_token_can_only_expand(tmp_path):
    record = {"text": "the Berlinale opens", "spans": [{"start": 4, "end": 10, "label": "GPE"}]}
    [finding] = with_code(lint_records(tmp_path, [record]), "L101")
    assert "contract to nothing" in finding.message and "expand to 4-13 'Berlinale'" in finding.message


def test_trailing_whitespace_suggests_stripped_offsets(tmp_path):
    record = {"text": "I love Berlin and Paris", "spans": [{"start": 7, "end": 14, "label": "GPE"}]}
    report = lint_records(tmp_path, [record])
    [finding] = with_code(report, "L102")
    assert "stripped offsets 7-13 ('Berlin')" in finding.message
    assert not with_code(report, "L101")  # the stripped span is aligned: one finding, one fix


def test_overlapping_spans_of_tasks_built_in_python():
    overlapping = Task("New York City", (Span(0, 8, "GPE"), Span(4, 13, "GPE")))
    [finding] = with_code(lint_tasks([overlapping]), "L103")
    assert "0-8 GPE 'New York'" in finding.message and "4-13 GPE 'York City'" in finding.message


def test_aligned_spans_have_no_alignment_findings(tmp_path):
    records = [
        task("Tim Cook visited Berlin", ("Tim Cook", "PERSON"), ("Berlin", "GPE")),
        task("Berlin's museums, says Tim Cook.", ("Berlin", "GPE"), ("Tim Cook", "PERSON")),
    ]
    assert not codes(lint_records(tmp_path, records)) & ALIGNMENT


def test_reader_error_becomes_a_finding_and_reading_goes_on(write_file):
    path = write_file(
        "data.jsonl",
        json.dumps(task("Tim Cook visited Berlin", ("Tim Cook", "PERSON"))) + "\n"
        '{"text": "short", "spans": [{"start": 0, "end": 50, "label": "X"}]}\n'
        '{"text": "Tim Cook", "spans": [{"start": 0, "end": 2, "label": "PERSON"}]}\n',
    )
    report = lint(path)
    [finding] = with_code(report, "L001")
    assert finding.severity == "error" and finding.line == 2 and "[E005]" in finding.message
    assert "read on" in finding.message
    assert [f.line for f in with_code(report, "L101")] == [3]  # the line after it was read
    assert (report.corpora[0].n_tasks, report.corpora[0].n_rejected) == (2, 1)


def test_a_strict_reader_stops_at_its_error(write_file):
    good = json.dumps(task("Tim Cook visited Berlin", ("Tim Cook", "PERSON")))
    path = write_file("data.json", f'[{good},\n{{"text": "short", "spans": [{{"start": 0, "end": 50}}]}}]\n')
    report = lint(path)
    [finding] = with_code(report, "L001")
    assert "stopped reading" in finding.message
    assert report.corpora[0].n_tasks == 1


def test_reader_overlap_error_is_reported_with_its_line(write_file):
    path = write_file(
        "data.jsonl",
        '{"text": "New York City", "spans": [{"start": 0, "end": 8, "label": "GPE"}, '
        '{"start": 4, "end": 13, "label": "GPE"}]}\n',
    )
    [finding] = with_code(lint(path), "L001")
    assert "[E008]" in finding.message and finding.location.endswith("data.jsonl, line 1")


def _conll(path):
    path.write_text(
        "Tim\tB-PERSON\nCook\tI-PERSON\nvisited\tO\nBerlin\tB-GPE\n\nhello\tO\n", encoding="utf-8"
    )


def _seed(path):
    path.write_text(
        json.dumps([["Tim Cook visited Berlin", {"entities": [[0, 7, "PERSON"]]}]]), encoding="utf-8"
    )


def _docbin(path):
    nlp = spacy.blank("en")
    doc = nlp("Tim Cook visited Berlin")
    doc.ents = [doc.char_span(0, 8, "PERSON")]
    DocBin(docs=[doc, nlp("hello there")]).to_disk(path)


def _raw(path):
    path.write_text("Tim Cook visited Berlin\nhello there\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "write", "expected"),
    [
        ("data.conll", _conll, {"PERSON": 1, "GPE": 1}),
        ("seed.json", _seed, {"PERSON": 1}),
        ("data.spacy", _docbin, {"PERSON": 1}),
        ("data.txt", _raw, {}),
    ],
)
def test_every_reader_format_is_linted(tmp_path, name, write, expected):
    path = tmp_path / name
    write(path)
    report = lint(path)
    assert dict(report.corpora[0].label_counts) == expected
    if name == "seed.json":  # 0-7 'Tim Coo' cuts a token
        [finding] = with_code(report, "L101")
        assert finding.location.endswith("seed.json, line 1")


def test_docbin_findings_count_docs_not_lines(tmp_path):
    nlp = spacy.blank("en")
    docs = [nlp("Tim Cook visited Berlin"), nlp("Tim Cook visited Berlin")]
    docs[0].ents = [docs[0].char_span(0, 8, "PERSON")]
    docs[1].ents = []
    DocBin(docs=docs).to_disk(tmp_path / "data.spacy")
    [finding] = with_code(lint(tmp_path / "data.spacy"), "L601")
    assert finding.unit == "doc" and finding.location.endswith("data.spacy, doc 1")


def test_overlapping_spans_under_a_spans_key_are_a_note_not_an_error(tmp_path):
    spans = [{"start": 3, "end": 10, "label": "GADGET"}, {"start": 3, "end": 8, "label": "PRODUCT_LINE"}]
    records = [{"text": "my zorbo 3", "spans": spans, "spans_key": "sc"}]
    findings = lint_records(tmp_path, records)
    [note] = with_code(findings, "L104")
    assert note.severity == "info" and "spans_key (sc" in note.message
    assert not with_code(findings, "L103")
