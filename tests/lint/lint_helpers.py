"""Building task records for lint tests without counting offsets by hand."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nerforge.lint import LintReport, lint


def task(text: str, *entities: tuple[str, str], complete: bool = True, **fields: Any) -> dict[str, Any]:
    """A task JSON object; each entity is (substring, label), found left to right in ``text``."""
    spans, position = [], 0
    for substring, label in entities:
        start = text.index(substring, position)
        spans.append({"start": start, "end": start + len(substring), "label": label})
        position = start + len(substring)
    return {"text": text, "spans": spans, "complete": complete, **fields}


def write_jsonl(path: Path, records: list[Any]) -> Path:
    """Write one JSON value a line."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def codes(report: LintReport) -> set[str]:
    """The set of finding codes of a report."""
    return {finding.code for finding in report.findings}


def with_code(report: LintReport, code: str) -> list[Any]:
    """The findings of one code."""
    return [finding for finding in report.findings if finding.code == code]


def negatives(n: int) -> list[dict[str, Any]]:
    """``n`` distinct complete texts without entities (no names, places, numbers or dates)."""
    openers = ["honestly", "well", "so", "anyway", "again", "still", "sadly", "luckily", "frankly", "oddly"]
    remarks = ["what a total waste", "the sound kept cutting out", "nothing new here",
               "it made my whole week", "the comments are the best part", "too long but worth it",
               "i laughed way too hard", "the ending felt rushed", "no idea what just happened",
               "please make more of these"]  # fmt: skip
    return [task(f"{openers[i % 10]}, {remarks[i // 10 % 10]}") for i in range(n)]


def lint_records(
    tmp_path: Path, records: list[Any], *, dev: list[Any] | None = None, **options: Any
) -> LintReport:
    """Write records (and dev records) as JSONL under ``tmp_path`` and lint them."""
    train_path = write_jsonl(tmp_path / "train.jsonl", records)
    dev_path = write_jsonl(tmp_path / "dev.jsonl", dev) if dev is not None else None
    return lint(train_path, dev=dev_path, **options)
