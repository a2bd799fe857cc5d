"""One token-alignment rule for stored spans: `db import` refuses what the review page refuses."""

from __future__ import annotations

import json

import pytest
import spacy
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.errors import StorageError
from nerforge.io import read_tasks
from nerforge.records import Span, Task
from nerforge.spans import misalignment, token_offsets
from nerforge.storage import Store, import_tasks

TEXT = "I love my iphone13 a lot"  # spaCy's English tokenizer keeps "iphone13" whole
CUT = {"start": 10, "end": 16, "label": "GADGET"}  # "iphone": inside the token


def _write(tmp_path, *spans):
    path = tmp_path / "answers.jsonl"
    records = [{"text": "fine", "spans": [], "answer": "accept"}, {"text": TEXT, "spans": list(spans)}]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_import_refuses_a_span_inside_a_token_naming_line_span_and_fix(tmp_path):
    path, db = _write(tmp_path, CUT), tmp_path / "n.db"
    with pytest.raises(StorageError, match=r"\[E310\]") as caught:
        import_tasks(db, "d", read_tasks(str(path)))
    message = str(caught.value)
    assert f"{path}, line 2: span 10-16 GADGET 'iphone'" in message
    assert "expand to 10-18 'iphone13'" in message and "nerforge tokenizer add" in message
    with Store(db, read_only=True) as store:
        assert store.count_answers("d") == 0  # all or nothing


def test_a_tokenizer_that_splits_there_lets_the_span_in(tmp_path):
    nlp = spacy.blank("en")
    nlp.tokenizer.add_special_case("iphone13", [{"ORTH": "iphone"}, {"ORTH": "13"}])
    assert import_tasks(tmp_path / "n.db", "d", read_tasks(str(_write(tmp_path, CUT))), nlp=nlp) == 2


def test_the_review_page_refuses_with_the_same_rule_and_fix():
    from nerforge.web.requests import RequestError, check_spans
    from nerforge.web.suggest import Question

    tokens = token_offsets(spacy.blank("en")(TEXT))
    span = Span(10, 16, "GADGET")
    question = Question(Task(TEXT, complete=False), tokens, 0, 0)
    with pytest.raises(RequestError) as caught:
        check_spans((span,), question)
    fix = misalignment(span, tokens)
    assert caught.value.status == 422 and fix is not None and fix.fix(TEXT) in caught.value.message


def test_db_import_reports_e310_without_a_traceback(tmp_path):
    path = _write(tmp_path, CUT)
    result = CliRunner().invoke(app, ["db", "import", "d", str(path), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 1 and "[E310]" in result.output and "Traceback" not in result.output
    assert "line 2: span 10-16 GADGET 'iphone'" in result.output


@pytest.mark.parametrize(
    ("start", "end", "contract", "expand"),
    [
        (9, 18, (10, 18), (10, 18)),  # " iphone13": whitespace in front
        (11, 17, None, (10, 18)),  # "phone1": inside one token
        (7, 16, (7, 9), (7, 18)),  # "my iphone": ends inside a token
    ],
)
def test_the_nearest_aligned_spans(start, end, contract, expand):
    off = misalignment(Span(start, end, "GADGET"), token_offsets(spacy.blank("en")(TEXT)))
    assert off is not None and (off.contract, off.expand) == (contract, expand)
