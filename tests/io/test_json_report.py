"""The one writer of JSON reports: indented, ending in a newline, written whole or not at all."""

from __future__ import annotations

import json

from nerforge.io.files import write_json_report


def test_a_report_is_written_indented_with_a_final_newline(tmp_path):
    path = tmp_path / "report.json"
    write_json_report({"f": 0.5, "labels": ["GADGET"]}, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "f":0.5' in text
    assert json.loads(text) == {"f": 0.5, "labels": ["GADGET"]}
