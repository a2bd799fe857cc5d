"""The layers hold (import-linter's contract in pyproject.toml) and no module imports itself back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parents[1]


def imports_in_cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Each direct import ``a -> b`` (type-only ones included) from which a chain leads back to ``a``."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )


def test_no_module_of_nerforge_imports_itself_back():
    assert imports_in_cycles(grimp.build_graph("nerforge", cache_dir=None)) == []


def test_a_cycle_is_found_where_there_is_one():
    graph = grimp.ImportGraph()
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.c")
    graph.add_import(importer="p.c", imported="p.a")
    graph.add_import(importer="p.c", imported="p.d")
    assert imports_in_cycles(graph) == [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a")]


def test_the_layer_contract_is_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
