"""The registered reader: what each kind of task teaches."""

from __future__ import annotations

import json

import pytest
import spacy

from nerforge.records import Task
from nerforge.training.readers import create_tasks_reader, split_tasks

TASKS = [
    {"text": "my Pixel 7 died", "spans": [{"start": 3, "end": 10, "label": "GADGET"}]},
    {"text": "no gadget here", "spans": []},
    {"text": "silver Pixel match", "spans": [{"start": 7, "end": 12, "label": "GADGET"}], "complete": False},
    {"text": "galaxy brain", "spans": [{"start": 0, "end": 6, "label": "GADGET"}], "answer": "reject"},
    {"text": "skip me", "answer": "ignore", "spans": []},
    {"text": "rejected, no spans", "answer": "reject", "spans": []},
]


def read(write_file, **options):
    path = write_file("train.jsonl", "\n".join(json.dumps(t) for t in TASKS))
    return list(create_tasks_reader(str(path), **options)(spacy.blank("en")))


def test_each_kind_of_task(write_file):
    examples = read(write_file)
    assert [eg.reference.text for eg in examples] == [
        "my Pixel 7 died",
        "no gadget here",
        "silver Pixel match",
        "galaxy brain",
    ]
    gold, negative, silver, rejected = (eg.reference for eg in examples)
    assert [t.ent_iob_ for t in gold] == ["O", "B", "I", "O"]
    assert [t.ent_iob_ for t in negative] == ["O", "O", "O"]  # a negative example, not skipped
    assert [t.ent_iob_ for t in silver] == ["", "B", ""]  # missing, not outside
    assert [(s.text, s.label_) for s in rejected.spans["incorrect_spans"]] == [("galaxy", "GADGET")]
    assert all(t.ent_iob_ == "" for t in rejected)


def test_other_labels_become_missing(write_file, tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": "Tim likes the Pixel",
                "spans": [
                    {"start": 0, "end": 3, "label": "PERSON"},
                    {"start": 14, "end": 19, "label": "GADGET"},
                ],
            }
        )
    )
    (example,) = create_tasks_reader(str(path), labels=["GADGET"])(spacy.blank("en"))
    assert [t.ent_iob_ for t in example.reference] == ["", "O", "O", "B"]


def test_holdout_split_is_seeded_and_disjoint(write_file):
    train = {eg.reference.text for eg in read(write_file, split="train", holdout=0.5, seed=3)}
    dev = {eg.reference.text for eg in read(write_file, split="dev", holdout=0.5, seed=3)}
    assert not train & dev and len(train | dev) == 4


@pytest.mark.parametrize(
    ("n_tasks", "holdout", "n_dev"), [(60, 0.2, 12), (65, 0.2, 13), (7, 0.5, 4), (4, 0.1, 0)]
)
def test_holdout_holds_out_the_share_asked_for(n_tasks, holdout, n_dev):
    tasks = [Task(f"text {i}") for i in range(n_tasks)]
    train, dev = split_tasks(tasks, holdout, seed=0)
    assert len(dev) == n_dev and len(train) == n_tasks - n_dev
    assert split_tasks(tasks, holdout, seed=0) == (train, dev)  # seeded: the same split every run
    assert split_tasks(tasks, holdout, seed=1)[1] != dev or n_dev == 0


def test_an_exported_config_reads_answers_of_the_kind_train_was_told(tiny_data, tmp_path):
    from thinc.api import Config
    from typer.testing import CliRunner

    from nerforge.cli import app

    train, dev = tiny_data
    config_path = tmp_path / "binary.cfg"
    args = ["train", str(train), "--dev", str(dev), "--answer-kind", "binary", "-o", str(tmp_path / "m")]
    # --force: the tiny data repeats texts, and binary answers to one text merge into one task (28)
    result = CliRunner().invoke(
        app, [*args, "--force", "--warm-start", "none", "--export-config", str(config_path)]
    )
    assert result.exit_code == 0, result.output
    config = Config().from_disk(config_path)
    assert config["corpora"]["train"]["answer_kind"] == config["corpora"]["dev"]["answer_kind"] == "binary"
    # an accepted answer without "complete": binary, so its unmarked tokens are missing, not outside
    answer = {
        "text": "my Pixel 7 died",
        "spans": [{"start": 3, "end": 10, "label": "GADGET"}],
        "answer": "accept",
    }
    (tmp_path / "answers.jsonl").write_text(json.dumps(answer) + "\n")
    config["corpora"]["train"]["path"] = str(tmp_path / "answers.jsonl")
    reader = spacy.util.registry.resolve(config.interpolate()["corpora"])["train"]
    (example,) = reader(spacy.blank("en"))
    assert [t.ent_iob_ for t in example.reference] == ["", "B", "I", ""]
