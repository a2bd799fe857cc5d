"""The adjudication page in real Chromium: pick a version by its number, edit it, accept, undo, reload."""

from __future__ import annotations

import pytest
from browser_helpers import browser_page, require_browser, serving
from page_helpers import gold_tasks

from nerforge.records import Span, Task
from nerforge.storage import Store

DISPUTED = "my zorbo 3 died today"
OTHER = "is the zorbo 4 worth it ?"


@pytest.fixture
def adjudication(tmp_path):
    require_browser()
    from nerforge.web.adjudicate import create_adjudication_app

    db = tmp_path / "n.db"
    with Store(db) as store:
        store.add_answers("d", [Task(DISPUTED, (Span(3, 10, "GADGET"),)), Task(OTHER)], annotator="ana")
        store.add_answers("d", [Task(DISPUTED), Task(OTHER, (Span(7, 14, "GADGET"),))], annotator="bob")
    with serving(create_adjudication_app("d", "gold", db=db).app) as address:
        yield address, db


def _gold(db) -> list[tuple[str, tuple[Span, ...], str]]:
    return [(t.text, t.spans, t.extra["_adjudicator"]) for t in gold_tasks(db)]


def _provenance(db) -> list[tuple[str | None, bool]]:
    return [(t.extra["_picked"], t.extra["_edited"]) for t in gold_tasks(db)]


def test_pick_by_key_undo_and_reload(adjudication):
    sync_api = require_browser()
    expect = sync_api.expect
    address, db = adjudication
    with browser_page(sync_api, address, width=1100, height=900) as (_, page, errors):
        expect(page.locator("#text")).to_have_text(DISPUTED)
        expect(page.locator("#versions li")).to_have_text(["1 ana: “zorbo 3” GADGET", "2 bob: no entities"])
        page.keyboard.press("a")  # nothing picked yet: nothing is stored
        expect(page.locator("#status")).to_contain_text("Pick a version first")
        page.keyboard.press("2")
        expect(page.locator("#versions li.picked")).to_have_attribute("data-version", "2")
        page.keyboard.press("a")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(page.locator("#text")).to_have_text(OTHER)
        assert _gold(db) == [(DISPUTED, (), "ana")]
        page.keyboard.press("u")
        expect(page.locator("#status")).to_contain_text("Undone")
        expect(page.locator("#text")).to_have_text(DISPUTED)
        assert _gold(db) == []
        page.reload()
        expect(page.locator("#text")).to_have_text(DISPUTED)
        page.keyboard.press("1")
        expect(page.locator("#text mark")).to_have_text("zorbo 3GADGET")
        page.keyboard.press("Enter")
        expect(page.locator("#text")).to_have_text(OTHER)
    assert _gold(db) == [(DISPUTED, (Span(3, 10, "GADGET"),), "ana")]
    assert not errors


def test_pick_by_key_edit_its_spans_accept_undo_and_reload(adjudication):
    sync_api = require_browser()
    expect = sync_api.expect
    address, db = adjudication
    with browser_page(sync_api, address, width=1100, height=900) as (_, page, errors):
        expect(page.locator("#labels button")).to_have_text(["1 GADGET"])
        page.keyboard.press("1")  # nothing selected: the number picks ana's version
        expect(page.locator("#versions li.picked")).to_have_attribute("data-version", "1")
        expect(page.locator("#text mark")).to_have_text("zorbo 3GADGET")
        page.keyboard.press("]")  # pick the span, and remove it
        expect(page.locator("#text mark.picked")).to_have_count(1)
        page.keyboard.press("Delete")
        expect(page.locator("#text mark")).to_have_count(0)
        expect(page.locator("#edited")).to_be_visible()
        page.locator("#text .tok", has_text="zorbo").click()  # select one word, label it
        page.keyboard.press("1")
        expect(page.locator("#text mark")).to_have_text("zorboGADGET")
        expect(page.locator("#versions li.picked")).to_have_attribute("data-version", "1")  # still ana's
        page.keyboard.press("a")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(page.locator("#text")).to_have_text(OTHER)
        assert _gold(db) == [(DISPUTED, (Span(3, 8, "GADGET"),), "ana")]
        assert _provenance(db) == [("ana", True)]
        expect(page.locator("#history li").first).to_contain_text("edited")
        page.keyboard.press("u")  # the text comes back as first shown: no version picked, no edits
        expect(page.locator("#status")).to_contain_text("Undone")
        expect(page.locator("#text")).to_have_text(DISPUTED)
        expect(page.locator("#text mark")).to_have_count(0)
        expect(page.locator("#edited")).to_be_hidden()
        assert _gold(db) == []
        page.keyboard.press("y")  # redo: the edited answer again, with its provenance
        expect(page.locator("#status")).to_contain_text("Saved: redo accept")
        assert _gold(db) == [(DISPUTED, (Span(3, 8, "GADGET"),), "ana")]
        assert _provenance(db) == [("ana", True)]
        page.keyboard.press("u")
        expect(page.locator("#text")).to_have_text(DISPUTED)
        assert _gold(db) == []
        page.locator("#text .tok", has_text="3").click()  # an edit, then a reload: it is gone
        page.keyboard.press("1")
        expect(page.locator("#text mark")).to_have_text("3GADGET")
        page.reload()
        expect(page.locator("#text")).to_have_text(DISPUTED)
        expect(page.locator("#text mark")).to_have_count(0)
        assert _gold(db) == []
    assert not errors


def test_reopen_a_settled_text_from_the_history_and_settle_it_again(adjudication):
    sync_api = require_browser()
    expect = sync_api.expect
    address, db = adjudication
    with browser_page(sync_api, address, width=1100, height=900) as (_, page, errors):
        expect(page.locator("#text")).to_have_text(DISPUTED)
        page.keyboard.press("1")  # ana's version
        page.keyboard.press("a")
        expect(page.locator("#text")).to_have_text(OTHER)
        page.keyboard.press("2")  # bob's
        page.keyboard.press("a")
        expect(page.locator("#done")).to_be_visible()
        line = page.locator("#history li", has_text=DISPUTED)
        line.get_by_role("button", name="reopen").click()
        expect(page.locator("#status")).to_contain_text("Reopened")
        expect(page.locator("#text")).to_have_text("my zorbo 3GADGET died today")
        expect(page.locator("#text mark")).to_have_text("zorbo 3GADGET")  # the gold spans
        expect(page.locator("#versions li.picked")).to_have_attribute("data-version", "1")  # ana's, as picked
        expect(page.locator("#editing")).to_contain_text("answer again to replace it")
        page.keyboard.press("2")  # bob's version this time: no entities
        expect(page.locator("#text mark")).to_have_count(0)
        page.keyboard.press("a")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(page.locator("#done")).to_be_visible()
        expect(page.locator("#editing")).to_be_hidden()
    stored = gold_tasks(db)
    assert len(stored) == 2  # replaced, not added
    settled = {t.text: (t.spans, t.extra["_picked"], t.extra["_edited"]) for t in stored}
    assert settled == {DISPUTED: ((), "bob", False), OTHER: ((Span(7, 14, "GADGET"),), "bob", False)}
    assert not errors


SPANCAT_TEXT = "my iphone 15 pro died today"


@pytest.fixture
def spancat_adjudication(tmp_path):
    require_browser()
    from nerforge.web.adjudicate import create_adjudication_app

    db = tmp_path / "n.db"
    gadget, line, sc = Span(3, 16, "GADGET"), Span(3, 9, "PRODUCT_LINE"), {"spans_key": "sc"}
    with Store(db) as store:
        store.add_answers("d", [Task(SPANCAT_TEXT, (line, gadget), extra=sc)], annotator="ana")
        store.add_answers("d", [Task(SPANCAT_TEXT, (gadget,), extra=sc)], annotator="bob")
    with serving(create_adjudication_app("d", "gold", db=db).app) as address:
        yield address, db


def test_spancat_versions_nest_a_span_in_a_pick_and_reopen_it(spancat_adjudication):
    sync_api = require_browser()
    expect = sync_api.expect
    address, db = spancat_adjudication
    with browser_page(sync_api, address, width=1100, height=900) as (_, page, errors):
        text = page.locator("#text")
        words, tags = text.locator(".tok"), text.locator(".tag")
        expect(words.nth(1)).to_have_text("iphone")
        expect(page.locator("#stacked-help")).to_be_visible()
        page.keyboard.press("2")  # bob's version: GADGET only
        expect(tags).to_have_text(["GADGET"])
        words.nth(1).click()  # a word inside the span: selected, and labelled as a nested span
        expect(text.locator(".tok.sel")).to_have_count(1)
        page.keyboard.press("2")
        expect(tags).to_have_text(["GADGET", "PRODUCT_LINE"])
        assert text.locator('.seg:has(.tok[data-i="1"]) .underline').count() == 2
        page.keyboard.press("a")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(page.locator("#done")).to_be_visible()
        page.locator("#history li").first.get_by_role("button", name="reopen").click()
        expect(page.locator("#editing")).to_be_visible()
        expect(tags).to_have_text(["GADGET", "PRODUCT_LINE"])
        expect(page.locator("#versions li.picked")).to_have_attribute("data-version", "2")
    (stored,) = gold_tasks(db)
    assert stored.spans_key == "sc" and (stored.extra["_picked"], stored.extra["_edited"]) == ("bob", True)
    assert [(SPANCAT_TEXT[s.start : s.end], s.label) for s in stored.accepted_spans] == [
        ("iphone", "PRODUCT_LINE"),
        ("iphone 15 pro", "GADGET"),
    ]
    assert not errors
