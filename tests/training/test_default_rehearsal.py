"""Rehearsal on the default corpus: on by default, off on request, cached, new-label texts dropped.

An entity ruler stands in for the base where only its predictions matter; a tiny NER trained
here on a few sentences stands in where an update needs a base with an NER. The cache of the
base's predictions goes to a folder of the test's own.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.training import Example
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.records import Span, Task
from nerforge.rehearsal_corpus import CACHE_ENV, DOMAINS, iter_default_texts
from nerforge.training import Trainer
from nerforge.training.default_rehearsal import (
    HELD_OUT_SHARE,
    default_rehearsal,
    is_held_out,
    new_label_pattern,
    new_label_strings,
)


def ruler_base() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns(
        [{"label": "GPE", "pattern": "London"}, {"label": "DATE", "pattern": "Monday"}]
    )
    return nlp


def count_pipe_calls(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original: Callable[..., Iterator[Any]] = nlp.pipe

    def pipe(texts: Iterable[str], **kwargs: Any) -> Iterator[Any]:
        calls.append(1)
        return original(texts, **kwargs)

    monkeypatch.setattr(nlp, "pipe", pipe)
    return calls


def gadget_task(text: str, gadget: str) -> Task:
    start = text.index(gadget)
    return Task(text, (Span(start, start + len(gadget), "GADGET"),), complete=True)


def test_the_corpus_splits_into_rehearsal_and_a_fixed_held_out_tenth(tmp_path: Path) -> None:
    split = default_rehearsal(ruler_base(), [], ["GADGET"], cache_dir=tmp_path)
    n_texts = sum(1 for _ in iter_default_texts())
    assert len(split.rehearsal) + len(split.held_out) == n_texts and split.n_dropped == 0
    assert abs(len(split.held_out) / n_texts - HELD_OUT_SHARE) < 0.03
    assert all(is_held_out(task.text) for task in split.held_out)
    assert not any(is_held_out(task.text) for task in split.rehearsal)
    assert set(split.held_out_by_domain()) == set(DOMAINS)
    assert all(task.complete for task in split.rehearsal)


def test_texts_holding_a_new_label_string_are_dropped(tmp_path: Path) -> None:
    train = [gadget_task("my london 3 is great", "london")]  # a gadget named like the city
    split = default_rehearsal(ruler_base(), train, ["GADGET"], cache_dir=tmp_path)
    holding = sum(bool(re.search(r"\blondon\b", text, re.IGNORECASE)) for _, text in iter_default_texts())
    assert holding > 0 and split.n_dropped == holding
    assert not any("london" in task.text.casefold() for task in split.rehearsal + split.held_out)


def test_only_accepted_spans_of_new_labels_give_strings() -> None:
    tasks = [
        gadget_task("the Kindle  Paperwhite is nice", "Kindle  Paperwhite"),
        Task("Tim is here", (Span(0, 3, "PERSON"),), complete=True),
        gadget_task("an x", "x"),  # too short to drop texts by
    ]
    assert new_label_strings(tasks, frozenset({"GADGET"})) == {"kindle paperwhite"}
    pattern = new_label_pattern({"kindle paperwhite"})
    assert pattern is not None and pattern.search("My KINDLE\tpaperwhite died")
    assert not pattern.search("kindle paperwhites")  # whole words only
    assert new_label_pattern(()) is None


def test_the_base_predicts_the_corpus_once_then_the_cache_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ruler_base()
    calls = count_pipe_calls(base, monkeypatch)
    first = default_rehearsal(base, [], ["GADGET"], cache_dir=tmp_path)
    second = default_rehearsal(base, [gadget_task("my zorbo", "zorbo")], ["GADGET"], cache_dir=tmp_path)
    assert len(calls) == 1
    assert first.held_out == second.held_out


# a tiny NER base, trained here: the update needs a base with an NER
BASE_SENTENCES = [
    ("Anna Berg flew to Oslo.", [(0, 9, "PERSON"), (18, 22, "GPE")]),
    ("Tom Reed lives in Paris.", [(0, 8, "PERSON"), (18, 23, "GPE")]),
    ("We met in Berlin with Eva Holm.", [(10, 16, "GPE"), (22, 30, "PERSON")]),
    ("Nothing happened today.", []),
]


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": ents}) for t, ents in BASE_SENTENCES]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(15):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer)
    path = tmp_path_factory.mktemp("base") / "tiny-base"
    nlp.to_disk(path)
    return path


@pytest.fixture
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.getbasetemp() / "rehearsal-cache"  # shared: one prediction run per base
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def fit(base: Path, data: tuple[Path, Path], output: Path, **options: Any) -> Trainer:
    train, dev = data
    return Trainer(base=str(base), max_steps=6, seed=0, **options).fit(train, dev, output=output)


def test_an_update_rehearses_the_default_corpus_by_default(
    tiny_base: Path, tiny_data: tuple[Path, Path], cache: Path, tmp_path: Path
) -> None:
    trainer = fit(tiny_base, tiny_data, tmp_path)
    update, report = trainer.plan_.update_data, trainer.report_  # type: ignore[union-attr]
    assert update is not None and report is not None and update.rehearsal and update.held_out
    assert {task.meta["domain"] for task in update.rehearsal} == set(DOMAINS)
    assert report.parameters.update is not None and report.parameters.update.rehearse_default
    assert report.parameters.update.update_data["held_out"] == len(update.held_out)
    assert report.domains is not None
    names = [domain.domain for domain in report.domains.domains]
    assert names[0] == "dev" and set(DOMAINS) <= set(names)
    saved = json.loads((tmp_path / "training.json").read_text())
    assert saved["domains"]["new_labels"] == ["GADGET"]


def test_rehearse_default_off_keeps_to_the_users_texts(
    tiny_base: Path, tiny_data: tuple[Path, Path], cache: Path, tmp_path: Path
) -> None:
    trainer = fit(tiny_base, tiny_data, tmp_path, rehearse_default=False)
    update, report = trainer.plan_.update_data, trainer.report_  # type: ignore[union-attr]
    assert update is not None and update.rehearsal is None and update.held_out == ()
    assert report is not None and report.parameters.update is not None
    assert not report.parameters.update.rehearse_default
    assert report.domains is not None and [d.domain for d in report.domains.domains] == ["dev"]


def test_the_cli_turns_it_off_and_prints_where_it_measured(
    tiny_base: Path, tiny_data: tuple[Path, Path], cache: Path, tmp_path: Path
) -> None:
    train, dev = tiny_data
    args = ["train", str(train), "--dev", str(dev), "-o", str(tmp_path), "--base", str(tiny_base)]
    result = CliRunner().invoke(app, [*args, "--max-epochs", "1", "--rehearse-default", "on"])
    assert result.exit_code == 0, result.output
    assert "measured on" in result.output and "news" in result.output and "GADGET/1k words" in result.output
    off = CliRunner().invoke(app, [*args, "--overwrite", "--max-epochs", "1", "--rehearse-default", "off"])
    assert off.exit_code == 0, off.output
    assert json.loads((tmp_path / "training.json").read_text())["parameters"]["rehearse_default"] is False
    bad = CliRunner().invoke(app, [*args, "--overwrite", "--rehearse-default", "maybe"])
    assert bad.exit_code == 2 and "--rehearse-default" in bad.output
