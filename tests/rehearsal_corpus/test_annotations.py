"""The base's predictions on the corpus: computed once per base, cached, and reused.

A blank English pipeline with an entity ruler stands in for the pretrained base.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language

from nerforge.errors import ParameterError
from nerforge.rehearsal_corpus import (
    CACHE_ENV,
    RehearsalCacheError,
    base_annotations,
    base_key,
    cached_annotations_path,
    default_cache_dir,
    iter_default_texts,
)

RULER_PATTERNS = [
    {"label": "GPE", "pattern": "London"},
    {"label": "DATE", "pattern": "Monday"},
]


def ruler_base(patterns: list[dict[str, Any]] = RULER_PATTERNS) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(patterns)
    return nlp


def count_pipe_calls(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Wrap ``nlp.pipe``; the returned list gets each call's batch size."""
    calls: list[int | None] = []
    original: Callable[..., Iterator[Any]] = nlp.pipe

    def pipe(texts: Iterable[str], **kwargs: Any) -> Iterator[Any]:
        calls.append(kwargs.get("batch_size"))
        return original(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    return calls


def test_every_text_becomes_one_complete_task_with_its_domain(tmp_path: Path) -> None:
    tasks = list(base_annotations(ruler_base(), cache_dir=tmp_path))
    pairs = list(iter_default_texts())
    assert [task.text for task in tasks] == [text for _, text in pairs]
    assert [task.meta["domain"] for task in tasks] == [domain for domain, _ in pairs]
    assert all(task.complete for task in tasks)
    assert len({task.meta["id"] for task in tasks}) == len(tasks)


def test_spans_are_the_base_entities(tmp_path: Path) -> None:
    tasks = list(base_annotations(ruler_base(), cache_dir=tmp_path))
    found = {(span.text_in(task.text), span.label) for task in tasks for span in task.spans}
    assert found == {("London", "GPE"), ("Monday", "DATE")}
    assert {span.source for task in tasks for span in task.spans} == {"en_pipeline"}


def test_the_cache_is_written_once_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nlp = ruler_base()
    calls = count_pipe_calls(nlp, monkeypatch)
    first = list(base_annotations(nlp, cache_dir=tmp_path, batch_size=64))
    second = list(base_annotations(nlp, cache_dir=tmp_path, batch_size=64))
    assert calls == [64]  # one nlp.pipe over the whole corpus, in batches
    assert first == second
    assert len(list((tmp_path / "rehearsal").iterdir())) == 1


def test_a_different_base_gets_its_own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    list(base_annotations(ruler_base(), cache_dir=tmp_path))
    other = ruler_base([{"label": "GPE", "pattern": "Paris"}])
    calls = count_pipe_calls(other, monkeypatch)
    tasks = list(base_annotations(other, cache_dir=tmp_path))
    assert len(calls) == 1
    assert {span.label for task in tasks for span in task.spans} == {"GPE"}
    assert len(list((tmp_path / "rehearsal").iterdir())) == 2


def test_the_key_follows_the_base_and_not_the_instance() -> None:
    assert base_key(ruler_base()) == base_key(ruler_base())
    assert base_key(ruler_base()) != base_key(ruler_base(RULER_PATTERNS[:1]))


def test_the_cache_is_one_task_jsonl_file_named_after_the_base(tmp_path: Path) -> None:
    path = cached_annotations_path(ruler_base(), cache_dir=tmp_path)
    assert path.parent == tmp_path / "rehearsal"
    assert path.name.startswith("en_pipeline-") and path.suffix == ".jsonl"
    assert sum(1 for _ in path.open(encoding="utf-8")) == sum(1 for _ in iter_default_texts())


def test_the_default_folder_follows_xdg_and_the_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "nerforge"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    path = cached_annotations_path(ruler_base())
    assert path.parent == tmp_path / "mine" / "rehearsal"


def test_an_unusable_cache_folder_says_how_to_fix_it(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(RehearsalCacheError, match=r"\[E251\].*cache_dir="):
        cached_annotations_path(ruler_base(), cache_dir=blocker)


@pytest.mark.parametrize("batch_size", [0, -1, True])
def test_a_bad_batch_size_is_refused(tmp_path: Path, batch_size: int) -> None:
    with pytest.raises(ParameterError, match=r"\[E403\].*batch_size"):
        cached_annotations_path(ruler_base(), cache_dir=tmp_path, batch_size=batch_size)
