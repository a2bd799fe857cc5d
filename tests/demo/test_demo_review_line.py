"""The demo's review step prints what `annotate` needs after `make demo` (issue 27, item 5B-4)."""

from __future__ import annotations

from types import SimpleNamespace

from nerforge.cli.demo import _show_review


def test_the_review_step_prints_the_web_extra_install_line_with_the_command(capsys, tmp_path):
    result = SimpleNamespace(silver=tmp_path / "silver.jsonl", store=tmp_path / "demo.db", n_stored=3)
    _show_review(result)  # type: ignore[arg-type]
    printed = capsys.readouterr().out
    install = printed.index(".venv/bin/pip install 'nerforge[web]'")
    assert install < printed.index("nerforge annotate my-review")
