"""Lint over files of any size: spooled records, hashed texts, bad lines read past, gzip."""

from __future__ import annotations

import gzip
import json
import tempfile

import pytest
import spacy
from lint_helpers import codes, lint_records, negatives, task, with_code, write_jsonl
from typer.testing import CliRunner

from nerforge import pipelines
from nerforge.cli import app
from nerforge.io.spool import CHUNK_ITEMS
from nerforge.lint import corpus as corpus_module
from nerforge.lint import lint, lint_tasks
from nerforge.lint.checks import hygiene
from nerforge.lint.corpus import Record, RecordSpool, with_docs
from nerforge.records import Span, Task

PIXEL = task("the Pixel 7 battery lasts two days", ("Pixel 7", "GADGET"))
GALAXY = task("my Galaxy S9 screen cracked again", ("Galaxy S9", "GADGET"))


def test_a_broken_line_is_reported_and_the_rest_is_read(tmp_path):
    path = tmp_path / "train.jsonl"
    lines = [json.dumps(PIXEL), json.dumps(GALAXY), '{"text": "broken', json.dumps(PIXEL)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = lint(path)
    [finding] = with_code(report, "L001")
    assert finding.line == 3 and "[E002]" in finding.message
    assert finding.location.endswith("train.jsonl, line 3")
    [repeat] = with_code(report, "L602")  # the copy after the broken line was read
    assert "line 1 = line 4" in repeat.message
    summary = report.corpora[0]
    assert (summary.n_tasks, summary.n_rejected) == (3, 1)
    assert report.to_dict()["summary"][0]["n_rejected"] == 1


def test_rejects_are_written_with_line_and_reason(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(f'{json.dumps(PIXEL)}\n{{"text": 3}}\n{json.dumps(GALAXY)}\n', encoding="utf-8")
    rejects = tmp_path / "rejects.jsonl"
    lint(path, rejects=rejects)
    [written] = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert written["line"] == 2 and written["original"] == '{"text": 3}' and "[E004]" in written["reason"]


def test_cli_rejects_option(tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text(f"{json.dumps(PIXEL)}\nnot json at all\n{json.dumps(GALAXY)}\n", encoding="utf-8")
    rejects = tmp_path / "bad.jsonl"
    result = CliRunner().invoke(app, ["lint", str(data), "--rejects", str(rejects)])
    assert result.exit_code == 1 and "train.jsonl, line 2" in result.output
    assert "1 unreadable record(s) left out" in result.output
    [written] = rejects.read_text(encoding="utf-8").splitlines()
    assert json.loads(written)["original"] == "not json at all"


def test_many_rejects_are_listed_up_to_twenty_then_counted(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(json.dumps(PIXEL) + "\n" + "{oops\n" * 25, encoding="utf-8")
    report = lint(path)
    assert [f.line for f in with_code(report, "L001")] == list(range(2, 22))
    [rest] = with_code(report, "L003")
    assert rest.details["n_more"] == 5 and "--rejects" in rest.message
    assert report.corpora[0].n_rejected == 25


def test_a_text_over_the_length_limit_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_module, "MAX_TEXT_CHARS", 20)
    report = lint_records(tmp_path, [PIXEL, task("short text")])
    [finding] = with_code(report, "L001")
    assert finding.line == 1 and "[E053]" in finding.message


def test_gzip_input_gives_the_same_report(tmp_path):
    records = [PIXEL, GALAXY, PIXEL, task("the Pixel 7 is here"), *negatives(3)]
    plain = write_jsonl(tmp_path / "train.jsonl", records)
    zipped = tmp_path / "train.jsonl.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))

    def without_paths(report):
        found = report.to_dict()
        for item in found["findings"] + found["summary"]:
            item.pop("path")
        return found

    assert without_paths(lint(zipped)) == without_paths(lint(plain))
    assert "L602" in codes(lint(zipped))


def test_spool_reads_its_records_again_and_again():
    records = [Record(f"text {i}", (Span(0, 4, "X"),), i % 2 == 0, i) for i in range(2 * CHUNK_ITEMS + 7)]
    with RecordSpool(records) as spool:
        assert len(spool) == len(records)
        assert list(spool) == records and list(spool) == records
        first, second = iter(spool), iter(spool)
        assert [next(first), next(first), next(second)] == [records[0], records[1], records[0]]
        spool.append(Record("late", (), True, None))
        assert list(spool)[-1].text == "late" and len(spool.hashes) == len(spool)
    assert spool.closed


@pytest.fixture
def opened_spools(monkeypatch):
    """Every temporary file a spool opens, recorded."""
    opened: list[tempfile.SpooledTemporaryFile[bytes]] = []
    real = tempfile.SpooledTemporaryFile

    def recording(*args, **kwargs):
        opened.append(real(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", recording)
    return opened


def test_spools_are_closed_when_lint_ends(tmp_path, opened_spools):
    opened = opened_spools
    lint_records(tmp_path, [PIXEL, *negatives(3)], dev=[GALAXY])
    lint_tasks([Task("Pixel 7", (Span(0, 7, "GADGET"),))])
    assert len(opened) == 8 and all(handle.closed for handle in opened)  # records, categories; 2 files, twice


def test_spools_are_closed_when_a_file_is_unreadable(tmp_path, opened_spools):
    opened = opened_spools
    path = tmp_path / "train.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps(PIXEL).encode() * 50)[:-20])  # a gzip cut short
    with pytest.raises(Exception, match=r"\[E052\]"):
        lint(path)
    assert opened and all(handle.closed for handle in opened)


def test_texts_sharing_a_hash_are_not_taken_for_copies(tmp_path, monkeypatch):
    records = [
        PIXEL,
        task("the Pixel 7 battery lasts two days", complete=False),  # an incomplete copy: no conflict
        GALAXY,
        task("my Galaxy S9 screen cracked again", ("Galaxy", "GADGET")),  # conflicting copy
        task("a Pixel 7 for sale", ("Pixel 7", "GADGET")),
        *negatives(5),
    ]
    honest = lint_records(tmp_path, records)
    monkeypatch.setattr(corpus_module, "text_hash", lambda text: 7)  # every text collides
    monkeypatch.setattr(hygiene, "text_hash", lambda text: 7)
    colliding = lint_records(tmp_path, records)
    assert colliding.to_dict() == honest.to_dict()
    [conflict] = with_code(colliding, "L601")
    assert conflict.line == 3 and "lines 3, 4" in conflict.message
    [repeats] = with_code(colliding, "L602")
    assert repeats.details["n"] == 1 and "line 1 = line 2" in repeats.message


def test_leakage_names_the_last_training_copy(tmp_path):
    train = [PIXEL, GALAXY, PIXEL, task("the pixel 8 camera is great"), *negatives(3)]
    dev = [PIXEL, task("RT @bob: The Pixel 8 camera is great!!"), task("the Pixel 9 is out now")]
    report = lint_records(tmp_path, train, dev=dev)
    [exact] = with_code(report, "L603")
    assert exact.details["n"] == 1 and "dev line 1 = train line 3" in exact.message
    [near] = with_code(report, "L604")
    assert near.details["n"] == 1 and "dev line 2 = train line 4" in near.message


def test_memory_zones_free_the_words_each_batch_adds(monkeypatch):
    monkeypatch.setattr(pipelines, "WARM_TEXTS", 2)
    nlp = spacy.blank("en")
    records = [Record(f"order number{i} shipped", (), True, i) for i in range(10)]
    tokens = [[token.text for token in doc] for _, doc in with_docs(records[:2], nlp, batch_size=2)]
    n_strings = len(nlp.vocab.strings)  # the warm batch's words stay
    tokens += [[token.text for token in doc] for _, doc in with_docs(records, nlp, batch_size=2)][2:]
    assert tokens == [["order", f"number{i}", "shipped"] for i in range(10)]
    assert "number1" in nlp.vocab and "number2" not in nlp.vocab and "number9" not in nlp.vocab
    assert len(nlp.vocab.strings) == n_strings


def test_findings_are_the_same_inside_memory_zones(tmp_path, monkeypatch):
    records = [
        *[task(f"my iphone{n} died", ("iphone", "GADGET")) for n in (11, 12, 13, 14)],
        *[task(f"the Pixel {n} is great", (f"Pixel {n}", "GADGET")) for n in range(5, 9)],
        task("Pixel 5 on sale", ("Pixel 5", "GADGET")),
        task("is the Pixel 5 any good"),  # a labelled string left unlabelled (L201)
        PIXEL,
        PIXEL,
        *negatives(6),
    ]
    plain = lint_records(tmp_path, records, batch_size=2)
    monkeypatch.setattr(pipelines, "WARM_TEXTS", 1)
    zoned = lint_records(tmp_path, records, batch_size=2)
    assert zoned.to_dict() == plain.to_dict()
    assert {"L101", "L110", "L201", "L602"} <= codes(zoned)
