"""New labels learned beside the frozen base NER: the base's entities stay as they were."""

from __future__ import annotations

import json
import random

import numpy
import pytest
import spacy

from nerforge.pipelines import components_for, entity_components, entity_labels
from nerforge.spans import predict_spans
from nerforge.training import Trainer
from nerforge.training.beside import BLOCKED_BIAS, beside_component_name, place_before_ner

PETS = ["rex", "bella", "milo", "luna", "ziggy"]
PET_FRAMES = ["my dog {} ate my homework", "walked {} in the park", "{} sleeps all day", "took {} to the vet"]
DEV_FRAMES = ["{} chased the cat", "my puppy {} is cute"]
NEGATIVES = ["my zorbo 3 died today", "the weather is awful", "selling my kalyx 9 cheap", "lunch was great"]
DEV_NEGATIVES = ["the bus was late again", "my tea went cold"]
# texts the base (the session's tiny GADGET model) labels, with no pet in them
BASE_TEXTS = ["just got a zorbo 4 pro lol", "is the plexa mini worth it ?", "orbyn 12 battery is bad"]


def pet_tasks(n: int, frames: list[str], negatives: list[str]) -> list[dict]:
    rng = random.Random(0)
    rows = []
    for _ in range(n):
        frame, pet = rng.choice(frames), rng.choice(PETS)
        start = frame.index("{}")
        rows.append(
            {"text": frame.format(pet), "spans": [{"start": start, "end": start + len(pet), "label": "PET"}]}
        )
    return rows + [{"text": text, "spans": []} for text in negatives]


@pytest.fixture(scope="module")
def pets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pets")
    train, dev = folder / "train.jsonl", folder / "dev.jsonl"
    train.write_text("\n".join(json.dumps(row) for row in pet_tasks(60, PET_FRAMES, NEGATIVES)) + "\n")
    dev.write_text("\n".join(json.dumps(row) for row in pet_tasks(8, DEV_FRAMES, DEV_NEGATIVES)) + "\n")
    rehearse = folder / "rehearse.txt"
    rehearse.write_text("\n".join(BASE_TEXTS) + "\n")
    return train, dev, rehearse


@pytest.fixture(scope="module")
def beside(tiny_model, pets, tmp_path_factory):
    _, base = tiny_model
    train, dev, rehearse = pets
    output = tmp_path_factory.mktemp("beside")
    trainer = Trainer(
        base=str(base / "model-best"), max_epochs=3, rehearse=str(rehearse), rehearse_default=False
    )
    trainer.fit(train, dev, output=output)
    return trainer, base / "model-best", output / "model-best"


def test_new_labels_train_a_ner_of_their_own_before_the_frozen_base(beside):
    trainer, base_path, model_path = beside
    base, nlp = spacy.load(base_path), spacy.load(model_path)
    assert nlp.pipe_names == place_before_ner(base.pipe_names, "ner_pet")
    assert entity_components(nlp) == ["ner_pet", "ner"]
    assert nlp.get_pipe("ner_pet").labels == ("PET",)
    assert entity_labels(nlp) == ["GADGET", "PET"]
    # the base NER is the base's, weight for weight; the new label's actions are blocked
    ours, theirs = nlp.get_pipe("ner"), base.get_pipe("ner")
    assert ours.labels == ("GADGET", "PET")
    n_old = theirs.moves.n_moves
    for mine, its in zip(ours.model.walk(), theirs.model.walk(), strict=True):
        for name in its.param_names:
            if its.has_param(name):
                old_rows = (
                    mine.get_param(name)[:n_old]
                    if mine.name == "linear" and its is theirs.model.get_ref("upper")
                    else mine.get_param(name)
                )
                assert numpy.array_equal(old_rows, its.get_param(name))
    assert (ours.model.get_ref("upper").get_param("b")[n_old:] == BLOCKED_BIAS).all()
    update = trainer.report_.parameters.update
    assert update.trained_ner == "ner_pet" and "ner" in update.frozen_components
    assert update.new_labels == ("PET",) and update.old_labels == ("GADGET",)


def test_the_base_entities_survive_where_no_new_span_takes_them(beside):
    _, base_path, model_path = beside
    base, nlp = spacy.load(base_path), spacy.load(model_path)
    ours = list(predict_spans(nlp, BASE_TEXTS))
    theirs = list(predict_spans(base, BASE_TEXTS))
    assert any(theirs)  # the base finds its gadgets there
    for mine, its in zip(ours, theirs, strict=True):
        assert [s for s in mine if s.label != "PET"] == its or any(s.label == "PET" for s in mine)


def test_rehearsal_texts_become_negatives_for_the_new_ner(beside):
    trainer, _, _ = beside
    data = trainer.plan_.update_data
    assert data.component == "ner_pet"
    assert data.rehearsal and all(task.complete and not task.spans for task in data.rehearsal)
    assert all(span.label == "PET" for task in data.train for span in task.spans)


def test_shared_trains_the_base_ner_as_before(tiny_model, pets, tmp_path):
    _, base = tiny_model
    train, dev, _ = pets
    trainer = Trainer(
        base=str(base / "model-best"), max_steps=5, new_label_ner="shared", rehearse_default=False
    )
    trainer.fit(train, dev, output=tmp_path / "shared")
    nlp = spacy.load(tmp_path / "shared" / "model-best")
    assert entity_components(nlp) == ["ner"] and set(nlp.get_pipe("ner").labels) == {"GADGET", "PET"}
    assert trainer.report_.parameters.update.trained_ner == "ner"


def test_a_second_update_with_the_same_labels_resumes_their_ner(beside, pets, tmp_path):
    _, _, model_path = beside
    train, dev, _ = pets
    trainer = Trainer(base=str(model_path), max_steps=5, rehearse_default=False)
    trainer.fit(train, dev, output=tmp_path / "again")
    nlp = spacy.load(tmp_path / "again" / "model-best")
    assert entity_components(nlp) == ["ner_pet", "ner"]
    assert trainer.report_.parameters.update.trained_ner == "ner_pet"


def test_data_with_old_labels_trains_the_base_ner(tiny_model, pets, tmp_path):
    _, base = tiny_model
    train, dev, _ = pets
    rows = [json.loads(line) for line in train.read_text().splitlines()]
    rows.append({"text": "my zorbo 3 died today", "spans": [{"start": 3, "end": 10, "label": "GADGET"}]})
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    trainer = Trainer(base=str(base / "model-best"), max_steps=5, rehearse_default=False, force=True)
    trainer.fit(mixed, dev, output=tmp_path / "mixed")
    assert trainer.report_.parameters.update.trained_ner == "ner"


def test_the_new_label_ner_runs_wherever_the_ner_runs(beside):
    _, _, model_path = beside
    nlp = spacy.load(model_path)
    assert {"ner_pet", "ner"} <= set(components_for(nlp, "ner"))


@pytest.mark.parametrize(
    ("labels", "name"),
    [(["GADGET"], "ner_gadget"), (["DRUG", "GADGET"], "ner_drug_gadget"), (["Model-No."], "ner_model_no")],
)
def test_component_names(labels, name):
    assert beside_component_name(labels) == name
