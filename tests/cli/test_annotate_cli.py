"""`nerforge annotate`: thin over create_review_app; --spans-key reaches the page's settings."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nerforge.cli import app

pytest.importorskip("uvicorn", reason="the web extra is not installed")


def _serve(tmp_path, monkeypatch, *options):
    source = tmp_path / "source.jsonl"
    source.write_text(json.dumps({"text": "my iphone 15 pro died"}) + "\n")
    served = []
    monkeypatch.setattr("uvicorn.run", lambda found, **settings: served.append(found))
    arguments = [
        "annotate",
        "d",
        str(source),
        "--labels",
        "GADGET,PRODUCT_LINE",
        "--db",
        str(tmp_path / "n.db"),
    ]
    result = CliRunner().invoke(app, [*arguments, *options])
    return result, served


@pytest.mark.parametrize(("options", "expected"), [(["--spans-key", "sc"], "sc"), ([], None)])
def test_annotate_spans_key_reaches_the_page_settings(tmp_path, monkeypatch, options, expected):
    result, served = _serve(tmp_path, monkeypatch, *options)
    assert result.exit_code == 0, result.output
    from starlette.testclient import TestClient

    client = TestClient(served[0], base_url="http://127.0.0.1:8080")  # a read: no page token needed
    assert client.get("/api/state?session=ana").json()["spans_key"] == expected


def test_annotate_with_an_empty_spans_key_exits_1(tmp_path, monkeypatch):
    result, served = _serve(tmp_path, monkeypatch, "--spans-key", "")
    assert result.exit_code == 1 and "E403" in result.output and not served
