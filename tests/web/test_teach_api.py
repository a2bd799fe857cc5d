"""The teach API through Starlette's TestClient: binary cards, answers in the store, updates, safety."""

from __future__ import annotations

import json
from collections import Counter

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")
from page_helpers import with_page_token
from starlette.testclient import TestClient

from nerforge.errors import DataError, ParameterError
from nerforge.io import read_tasks
from nerforge.storage import Store
from nerforge.web.teach import create_teach_app

TEXTS = [
    "my zorbo 3 died today",
    "is the zorbo 4 worth it ?",
    "<script>alert(1)</script> my zorbo 5 <img src=x onerror=alert(2)>",
    "selling my zorbo 7 cheap",
    "the weather is awful",
]
PATTERNS = '{"label": "GADGET", "pattern": [{"LOWER": "zorbo"}, {"IS_DIGIT": true}], "id": "zorbo-n"}\n'


@pytest.fixture
def make_server(tmp_path):
    source = tmp_path / "source.jsonl"
    source.write_text("\n".join(json.dumps({"text": text}) for text in TEXTS) + "\n")
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(PATTERNS)

    def make(**options):
        settings = {
            "label": "GADGET",
            "patterns": patterns,
            "db": tmp_path / "n.db",
            "warm_start": None,
            "update_every": 100,
        } | options
        server = create_teach_app("teach", "blank:en", source, **settings)
        return server, with_page_token(TestClient(server.app, base_url="http://127.0.0.1"))

    return make


def _answer(client, card, answer="accept", session="ana", **extra):
    body = {"task_id": card["id"], "answer": answer} | extra
    return client.post(f"/api/answer?session={session}", json=body)


def test_the_first_cards_are_pattern_matches_with_a_score_of_one_half(make_server):
    _, client = make_server()
    page = client.get("/")
    assert page.status_code == 200 and "teach.js" in page.text
    assert "innerHTML" not in client.get("/static/teach.js").text
    state = client.get("/api/state?session=ana").json()
    card = state["task"]
    assert card["text"] == TEXTS[0] and card["score"] == 0.5
    assert card["span"] == {"start": 3, "end": 10, "label": "GADGET", "source": "zorbo-n"}
    assert state["label"] == "GADGET" and state["model"]["patterns_only"] is True


def test_answers_are_stored_as_binary_incomplete_tasks_that_train_as_such(make_server, tmp_path):
    _, client = make_server()
    card = client.get("/api/state?session=ana").json()["task"]
    second = _answer(client, card, "accept").json()["task"]
    third = _answer(client, second, "reject").json()["task"]
    reply = _answer(client, third, "ignore").json()
    assert reply["progress"]["done"] == 3 and [h["answer"] for h in reply["history"]] == [
        "ignore",
        "reject",
        "accept",
    ]
    with Store(tmp_path / "n.db") as store:
        accepted, rejected, ignored = list(store.iter_answers("teach"))
    assert not accepted.complete and [(s.start, s.end, s.answer) for s in accepted.spans] == [
        (3, 10, "accept")
    ]
    assert rejected.answer == "reject" and rejected.spans[0].answer == "reject"
    assert ignored.answer == "ignore" and accepted.extra["_view_id"] == "ner"
    read = list(read_tasks("db:teach", db=tmp_path / "n.db"))
    assert [(t.answer, t.complete) for t in read] == [("accept", False), ("reject", False), ("ignore", False)]


def test_undo_gives_the_card_back_first(make_server):
    _, client = make_server()
    card = client.get("/api/state?session=ana").json()["task"]
    _answer(client, card, "reject")
    reply = client.post("/api/undo?session=ana", json={}).json()
    assert reply["undone"]["answer"] == "reject" and reply["task"]["id"] == card["id"]
    assert reply["progress"]["done"] == 0


def test_the_model_is_updated_in_the_background_every_n_answers(make_server):
    server, client = make_server(update_every=2)
    before = server.parts.scorer.nlp
    card = client.get("/api/state?session=ana").json()["task"]
    card = _answer(client, card, "accept").json()["task"]
    _answer(client, card, "reject")
    server.parts.learner.wait(timeout=60)
    assert server.parts.learner.n_updates_ == 1 and server.parts.scorer.nlp is not before
    assert client.get("/api/state?session=ana").json()["model"]["updates"] == 1


def test_a_restart_shows_no_card_answered_before(make_server):
    _, client = make_server()
    card = client.get("/api/state?session=ana").json()["task"]
    _answer(client, card, "accept")
    _, restarted = make_server()
    again = restarted.get("/api/state?session=bob").json()["task"]
    assert (again["text"], again["span"]) != (card["text"], card["span"])


def test_two_sessions_never_get_the_same_card(make_server):
    _, client = make_server()
    ana = client.get("/api/state?session=ana").json()["task"]
    bob = client.get("/api/state?session=bob").json()["task"]
    assert ana["id"] != bob["id"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"answer": "accept", "spans": [{"start": 0, "end": 2, "label": "GADGET"}]}, 422, "spans"),
        ({"answer": "maybe"}, 422, "answer"),
        ({"answer": "accept", "task_id": "12345"}, 409, "task_id"),
    ],
)
def test_bad_answers_get_a_4xx_naming_the_field(make_server, body, status, field):
    _, client = make_server()
    card = client.get("/api/state?session=ana").json()["task"]
    reply = client.post("/api/answer?session=ana", json={"task_id": card["id"]} | body)
    assert reply.status_code == status and reply.json()["field"] == field


def test_a_token_is_required_beyond_loopback(make_server):
    server, _ = make_server(token="s3cret")
    client = TestClient(server.app, base_url="http://127.0.0.1")
    assert client.get("/api/state").status_code == 401
    assert client.get("/api/state?token=s3cret").status_code == 200


def test_bad_settings_and_an_empty_source_are_coded_errors(make_server, tmp_path):
    with pytest.raises(ParameterError, match=r"\[E403\]"):
        make_server(order="sideways")
    with pytest.raises(ParameterError, match=r"\[E351\]"):
        make_server(label=" ")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(DataError, match=r"\[E017\]"):
        create_teach_app("teach", "blank:en", empty, label="GADGET", db=tmp_path / "n.db", warm_start=None)


def test_the_answers_train_with_nerforge_train_from_the_store(make_server, tmp_path, monkeypatch):
    from nerforge.training import Trainer

    _, client = make_server()
    card = client.get("/api/state?session=ana").json()["task"]
    for answer in ["accept", "reject", "accept"]:
        card = _answer(client, card, answer).json()["task"]
    dev = tmp_path / "dev.jsonl"
    dev.write_text(
        json.dumps({"text": "my zorbo 9 died", "spans": [{"start": 3, "end": 10, "label": "GADGET"}]})
    )
    monkeypatch.setenv("NERFORGE_DB", str(tmp_path / "n.db"))
    trainer = Trainer(warm_start=None, max_steps=2, force=True).fit("db:teach", dev, output=tmp_path / "m")
    assert (tmp_path / "m" / "model-best").is_dir()
    assert trainer.report_.data.train.n_rejected_spans == 1 and trainer.report_.data.train.n_complete == 0


NUMBER_WORD = '{"label": "GADGET", "pattern": [{"IS_DIGIT": true}, {"IS_ALPHA": true}], "id": "n-word"}\n'


def _overlapping_matches(tmp_path):
    """Patterns matching "zorbo 3" and "3 died" in each text: two cards that overlap.

    (Of nested matches only the longest is asked, so these two cross.)
    """
    patterns = tmp_path / "overlapping.jsonl"
    patterns.write_text(PATTERNS + NUMBER_WORD)
    return patterns


def _span(card):
    return card["text"], card["span"]["start"], card["span"]["end"]


def _offered_until_done(client, card):
    """The spans of this card and of every card after it, each rejected."""
    offered = []
    while card is not None:
        offered.append(_span(card))
        card = _answer(client, card, "reject").json()["task"]
    return offered


def test_a_span_overlapping_an_accepted_one_is_never_offered(make_server, tmp_path):
    _, client = make_server(patterns=_overlapping_matches(tmp_path))
    card = client.get("/api/state?session=ana").json()["task"]
    assert _span(card) == (TEXTS[0], 3, 10)
    offered = _offered_until_done(client, _answer(client, card, "accept").json()["task"])
    assert (TEXTS[0], 9, 15) not in offered
    assert (TEXTS[1], 7, 14) in offered and (TEXTS[1], 13, 20) in offered  # other texts: both asked


def test_a_span_overlapping_a_rejected_one_is_still_offered(make_server, tmp_path):
    _, client = make_server(patterns=_overlapping_matches(tmp_path))
    card = client.get("/api/state?session=ana").json()["task"]
    assert _span(_answer(client, card, "reject").json()["task"]) == (TEXTS[0], 9, 15)


def test_undoing_an_accept_offers_the_overlapping_span_again(make_server, tmp_path):
    _, client = make_server(patterns=_overlapping_matches(tmp_path))
    card = client.get("/api/state?session=ana").json()["task"]
    _answer(client, card, "accept")
    offered = _offered_until_done(client, client.post("/api/undo?session=ana", json={}).json()["task"])
    assert offered[0] == (TEXTS[0], 3, 10) and (TEXTS[0], 9, 15) in offered


def test_a_restart_skips_spans_overlapping_an_accept_stored_before(make_server, tmp_path):
    patterns = _overlapping_matches(tmp_path)
    _, client = make_server(patterns=patterns)
    _answer(client, client.get("/api/state?session=ana").json()["task"], "accept")
    _, restarted = make_server(patterns=patterns)
    offered = _offered_until_done(restarted, restarted.get("/api/state?session=ana").json()["task"])
    assert (TEXTS[0], 9, 15) not in offered and (TEXTS[1], 7, 14) in offered


def test_closing_stops_the_filler_even_while_it_scores_a_long_stream(tmp_path):
    source = tmp_path / "many.jsonl"  # more texts than one batch: the filler is still reading them
    source.write_text("".join(json.dumps({"text": f"the bus {i} was late"}) + "\n" for i in range(5000)))
    server = create_teach_app(
        "teach", "blank:en", source, label="GADGET", db=tmp_path / "n.db", warm_start=None
    )
    server.close(timeout=30)
    assert not server.parts.feed.filling


def _answer_in_turns(client, sessions, answers):
    """Each session in turn answers its card (``answers[session]``) until none gets one; what each saw."""
    seen = {name: [] for name in sessions}
    while True:
        states = {name: client.get(f"/api/state?session={name}").json() for name in sessions}
        holding = {name: state["task"] for name, state in states.items() if state["task"] is not None}
        if not holding:
            return seen
        for name, card in holding.items():
            seen[name].append(_span(card))
            assert _answer(client, card, answers[name], session=name).status_code == 200


def test_overlap_n_sends_each_card_to_n_different_sessions_and_no_more(make_server, tmp_path):
    _, client = make_server(patterns=_overlapping_matches(tmp_path), overlap=2)
    answers = {"ana": "accept", "bob": "reject", "cy": "reject"}
    seen = _answer_in_turns(client, answers, answers)
    counts = Counter(card for cards in seen.values() for card in cards)
    assert set(counts.values()) == {2}  # every card twice, none three times
    assert all(len(cards) == len(set(cards)) for cards in seen.values())  # no session sees a card twice
    # ana's accepts settle the overlapping cards for ana only: the others still judge them
    assert (TEXTS[0], 3, 10) in seen["ana"] and (TEXTS[0], 9, 15) not in seen["ana"]
    assert counts[(TEXTS[0], 9, 15)] == 2
    progress = client.get("/api/state?session=ana").json()["progress"]
    assert progress == {"mine": len(seen["ana"]), "done": sum(counts.values()), "overlap": 2}


def test_overlap_n_counts_the_cards_answered_before_a_restart(make_server):
    _, client = make_server(overlap=2)
    card = client.get("/api/state?session=ana").json()["task"]
    _answer(client, card, "accept", session="ana")
    _, restarted = make_server(overlap=2)
    seen = _answer_in_turns(restarted, ("ana", "bob"), {"ana": "reject", "bob": "accept"})
    assert _span(card) in seen["bob"] and _span(card) not in seen["ana"]  # one more, not ana again
    _, again = make_server(overlap=2)
    assert _span(card) not in _answer_in_turns(again, ("cy",), {"cy": "reject"})["cy"]  # it is full


def test_overlap_zero_sends_every_card_to_every_session(make_server):
    _, client = make_server(overlap=0)
    answers = {"ana": "accept", "bob": "reject"}
    seen = _answer_in_turns(client, answers, answers)
    assert len(seen["ana"]) == 4 and sorted(seen["ana"]) == sorted(seen["bob"])


def test_a_negative_overlap_is_refused(make_server):
    with pytest.raises(ParameterError, match=r"\[E403\].*overlap"):
        make_server(overlap=-1)
