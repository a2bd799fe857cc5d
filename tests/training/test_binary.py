"""Partial answers train as teach's updates read them: merged per text, some unknown tokens outside."""

from __future__ import annotations

import json
import random

import spacy
from thinc.api import Config
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.docs import task_to_example
from nerforge.records import Span, Task
from nerforge.training import Trainer
from nerforge.training.binary import merge_partial, with_outside_sample
from nerforge.training.defaults import OUTSIDE_RATE
from nerforge.training.plan import DEFAULT_DROPOUT, PARTIAL_DROPOUT

BINARY = {"_view_id": "ner"}


def binary(text, start, end, answer="accept"):
    span = Span(start, end, "GADGET", answer="reject" if answer == "reject" else "accept")
    return Task(text, (span,), answer, False, {}, BINARY)


def test_a_complete_example_is_left_as_it_is():
    nlp = spacy.blank("en")
    example = task_to_example(Task("my ipad died", (Span(3, 7, "GADGET"),)), nlp.make_doc)
    assert with_outside_sample(example, 1.0, random.Random(0)) is example


def test_unknown_tokens_are_sampled_outside_on_a_copy():
    nlp = spacy.blank("en")
    example = task_to_example(binary("my ipad died today", 3, 7), nlp.make_doc)
    sampled = with_outside_sample(example, 1.0, random.Random(0))
    assert [t.ent_iob_ for t in sampled.reference] == ["O", "B", "O", "O"]
    assert [t.ent_iob_ for t in example.reference] == ["", "B", "", ""]  # the original stays partial


def test_the_tokens_beside_an_accepted_span_are_outside_whatever_the_sample():
    nlp = spacy.blank("en")
    example = task_to_example(binary("so my ipad pro died today", 6, 14), nlp.make_doc)
    never = random.Random(0)
    never.random = lambda: 1.0  # no token sampled: only the answer's own boundaries
    marked = with_outside_sample(example, 0.5, never)
    assert [t.ent_iob_ for t in marked.reference] == ["", "O", "B", "I", "O", ""]


def test_a_rate_of_zero_leaves_every_unknown_token_missing():
    nlp = spacy.blank("en")
    example = task_to_example(binary("so my ipad pro died today", 6, 14), nlp.make_doc)
    assert with_outside_sample(example, 0.0, random.Random(0)) is example


def test_answers_to_one_text_merge_and_complete_tasks_stay():
    complete = Task("a kindle", (Span(2, 8, "GADGET"),))
    tasks = [binary("my ipad died", 3, 7), complete, binary("my ipad died", 0, 2, "reject")]
    merged = merge_partial(tasks)
    assert merged[1] is complete and len(merged) == 2
    assert [(s.start, s.end, s.answer) for s in merged[0].spans] == [(0, 2, "reject"), (3, 7, "accept")]
    assert not merged[0].complete


def write_answers(path, n=80):
    rng = random.Random(0)
    rows = []
    for i in range(n):
        gadget = rng.choice(["zorbo 3", "kalyx 9", "vantor x2"])
        text = f"day {i}: my {gadget} died"
        start = text.index(gadget)
        rows.append(
            {"text": text, "spans": [{"start": start, "end": start + len(gadget), "label": "GADGET"}]}
        )
        rows[-1] |= {"answer": "accept", "_view_id": "ner"}
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_partial_training_data_reads_a_share_of_unknown_tokens_as_outside(tmp_path):
    answers = write_answers(tmp_path / "answers.jsonl")
    Trainer(warm_start=None, max_epochs=1).export_config(answers, path=tmp_path / "partial.cfg")
    batcher = Config().from_disk(tmp_path / "partial.cfg")["training"]["batcher"]
    assert batcher["@batchers"] == "nerforge.OutsideSampler.v1" and batcher["rate"] == OUTSIDE_RATE
    Trainer(warm_start=None, outside_rate=0.0).export_config(answers, path=tmp_path / "off.cfg")
    assert Config().from_disk(tmp_path / "off.cfg")["training"]["batcher"]["@batchers"] != (
        "nerforge.OutsideSampler.v1"
    )


def test_complete_training_data_is_read_as_it_is(tmp_path):
    from tiny_data import write_tiny_data

    train, dev = write_tiny_data(tmp_path)
    Trainer(warm_start=None).export_config(train, dev, path=tmp_path / "complete.cfg")
    training = Config().from_disk(tmp_path / "complete.cfg")["training"]
    assert training["batcher"]["@batchers"] != "nerforge.OutsideSampler.v1"
    assert training["dropout"] == DEFAULT_DROPOUT


def test_a_new_model_on_partial_answers_trains_with_more_dropout(tmp_path):
    answers = write_answers(tmp_path / "answers.jsonl")
    Trainer(warm_start=None).export_config(answers, path=tmp_path / "partial.cfg")
    assert Config().from_disk(tmp_path / "partial.cfg")["training"]["dropout"] == PARTIAL_DROPOUT
    Trainer(warm_start=None, dropout=0.2).export_config(answers, path=tmp_path / "asked.cfg")
    assert Config().from_disk(tmp_path / "asked.cfg")["training"]["dropout"] == 0.2


def test_a_model_from_binary_answers_alone_says_its_precision_is_unmeasured(tmp_path):
    answers = write_answers(tmp_path / "answers.jsonl")
    args = ["train", str(answers), "-o", str(tmp_path / "m"), "--warm-start", "none", "--max-epochs", "2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "precision estimated on answered spans only" in output
    assert "precision is unmeasured" in output and "nerforge evaluate MODEL db:gold-check" in output
    report = json.loads((tmp_path / "m" / "training.json").read_text())
    assert report["dev_is_partial"] is True and report["precision_unmeasured"] is True


def test_evaluate_on_binary_answers_says_what_precision_means(tmp_path):
    from nerforge.evaluation.evaluate import evaluate

    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "GADGET", "pattern": "ipad"}])
    result = evaluate(nlp, [binary("my ipad died", 3, 7), binary("an ipad case", 3, 7, "reject")])
    assert result.n_partial_tasks == 2 and result.to_dict()["n_partial_tasks"] == 2
    assert result.scores.overall.tp == 1 and result.scores.overall.fp == 1


def test_text_categories_alone_take_no_outside_sample(tmp_path):
    words = ["good", "bad", "fine", "sad"] * 3
    cats = [{"POS": float(i % 2), "NEG": float(1 - i % 2)} for i in range(len(words))]
    rows = [{"text": f"a {word} day", "cats": c} for word, c in zip(words, cats, strict=True)]
    path = tmp_path / "cats.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    Trainer(warm_start=None, max_epochs=1).export_config(path, path=tmp_path / "cats.cfg")
    batcher = Config().from_disk(tmp_path / "cats.cfg")["training"]["batcher"]
    assert batcher["@batchers"] != "nerforge.OutsideSampler.v1"
