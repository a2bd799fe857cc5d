"""The README's Python section runs as written, on the shipped demo corpus."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"


def python_section() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Python API") :]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_python_section_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(python_section(), "README.md", "exec"), {})
    output = printed.getvalue()
    assert "silver tasks" in output and "GADGET F" in output
    assert (tmp_path / "gadget-model" / "model-best" / "meta.json").exists()
