"""`patterns report`: each pattern's matches judged by the review, counted as a person would."""

from __future__ import annotations

import json

import spacy
from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.patterns.report import family_of, report_patterns, wilson_interval
from nerforge.records import Pattern, Span, Task

PATTERNS = [
    Pattern("GADGET", ({"LOWER": "pixel"}, {"IS_DIGIT": True}), "pixel-n"),
    Pattern("GADGET", ({"LOWER": "kindle"},), "kindle"),
    Pattern("GADGET", "apple", "apple"),
]


def reviewed() -> list[Task]:
    def t(text: str, *spans: tuple[str, str], complete: bool = True) -> Task:
        found = []
        for surface, label in spans:
            start = text.index(surface)
            found.append(Span(start, start + len(surface), label))
        return Task(text, tuple(sorted(found)), complete=complete)

    return [
        t("my pixel 8 is great", ("pixel 8", "GADGET")),  # pixel-n kept
        t("the pixel 7 pro died", ("pixel 7 pro", "GADGET")),  # pixel-n extended
        t("pixel 6 forever", ("pixel 6", "GADGET")),  # pixel-n kept
        t("kindle paperwhite rocks", ("kindle paperwhite", "GADGET")),  # kindle extended
        t("kindle is fine", ("kindle", "GADGET")),  # kindle kept
        t("apple pie recipe"),  # apple rejected: complete, no span
        t("apple sued them", ("apple", "ORG")),  # apple relabelled
        t("apple again", complete=False),  # apple unknown: incomplete
        t("got a steam deck", ("steam deck", "GADGET")),  # no pattern reaches it
    ]


def test_outcomes_and_precision_match_a_hand_count():
    report = report_patterns(PATTERNS, reviewed(), nlp=spacy.blank("en"))
    rows = {row.pattern_id: row for row in report.patterns}
    assert rows["pixel-n"].outcomes == {"kept": 2, "extended": 1}
    assert rows["kindle"].outcomes == {"extended": 1, "kept": 1}
    assert rows["apple"].outcomes == {"rejected": 1, "relabelled": 1, "unknown": 1}
    assert round(rows["pixel-n"].precision, 3) == 0.667
    assert rows["kindle"].precision == 0.5
    assert rows["apple"].precision == 0.0 and rows["apple"].n_judged == 2


def test_coverage_and_the_families_no_pattern_reaches():
    report = report_patterns(PATTERNS, reviewed(), nlp=spacy.blank("en"))
    (gadget,) = [c for c in report.coverage if c.label == "GADGET"]
    assert (gadget.n_entities, gadget.n_found, gadget.n_partial) == (6, 3, 2)
    assert gadget.uncovered_families[0][:2] == ("steam deck", 1)


def test_wilson_interval_brackets_the_share():
    low, high = wilson_interval(8, 10)
    assert 0.44 < low < 0.8 < high < 0.97
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_family_stops_at_the_first_word_with_a_digit():
    assert family_of("Garmin Fenix 7") == "garmin fenix"
    assert family_of("OnePlus 12") == "oneplus"


def test_the_command_names_the_patterns_to_fix_and_writes_json(write_file, tmp_path):
    from nerforge.demo import PATTERNS as DEMO_PATTERNS
    from nerforge.demo import REVIEWED

    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["patterns", "report", str(DEMO_PATTERNS), "--on", str(REVIEWED), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "fix extent" in result.output and "Families no pattern reaches" in result.output
    assert "'steam deck'" in result.output  # a family the demo README leaves out on purpose
    assert "\x1b[" not in result.output
    assert json.loads(out.read_text())["coverage"][0]["label"] == "GADGET"


def test_a_match_a_longer_pattern_wins_is_no_evidence_against_its_extent():
    patterns = [
        Pattern("CAR", "civic", "civic"),
        Pattern("CAR", ({"LOWER": "civic"}, {"LOWER": "type"}, {"LOWER": "r"}), "civic-type-r"),
    ]
    tasks = [Task(f"my civic type r no. {n}", (Span(3, 15, "CAR"),)) for n in range(5)]
    tasks += [Task(f"civic no. {n}", (Span(0, 5, "CAR"),)) for n in range(5)]
    rows = {row.pattern_id: row for row in report_patterns(patterns, tasks, nlp=spacy.blank("en")).patterns}
    assert rows["civic"].outcomes == {"kept": 5, "outranked": 5}  # was extended 5: "fix extent"
    assert rows["civic"].advice == "" and rows["civic-type-r"].outcomes == {"kept": 5}
