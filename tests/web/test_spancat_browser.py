"""The review page in spancat mode, in Chromium: nested spans added, picked, removed, stored, reopened."""

from __future__ import annotations

import json

import pytest
from browser_helpers import browser_page, require_browser, serving

from nerforge.storage import Store
from nerforge.web import create_review_app

TEXT = "my iphone 15 pro died today"
SCREENSHOT = "nerforge_review_spancat.png"  # under the test's tmp_path


@pytest.fixture
def spancat_review(tmp_path):
    require_browser()
    source = tmp_path / "source.jsonl"
    source.write_text(json.dumps({"text": TEXT}) + "\n" + json.dumps({"text": "the pixel 8 is fine"}) + "\n")
    db = tmp_path / "n.db"
    app = create_review_app("d", source, labels=["GADGET", "PRODUCT_LINE"], db=db, spans_key="sc")
    with serving(app) as address:
        yield address, db


def _center(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page, first, last):
    page.mouse.move(*_center(first))
    page.mouse.down()
    page.mouse.move(*_center(last), steps=4)
    page.mouse.up()


def test_nested_spans_are_added_picked_removed_stored_and_reopened(spancat_review, tmp_path):
    sync_api = require_browser()
    expect = sync_api.expect
    address, db = spancat_review
    with browser_page(sync_api, address, width=1100, height=900) as (_, page, errors):
        text = page.locator("#text")
        words = text.locator(".tok")
        tags = text.locator(".tag")
        expect(words.nth(1)).to_have_text("iphone")
        expect(page.locator("#stacked-help")).to_be_visible()

        _drag(page, words.nth(1), words.nth(3))  # "iphone 15 pro"
        page.keyboard.press("1")
        expect(tags).to_have_text(["GADGET"])
        words.nth(1).click()  # one word inside the span: selected, not the span picked
        expect(text.locator(".tok.sel")).to_have_count(1)
        page.keyboard.press("2")
        expect(tags).to_have_text(["GADGET", "PRODUCT_LINE"])
        # both stay visible: "iphone" is underlined twice, at two levels; "15" once
        assert text.locator('.seg:has(.tok[data-i="1"]) .underline').count() == 2
        assert text.locator('.seg:has(.tok[data-i="2"]) .underline').count() == 1
        page.screenshot(path=str(tmp_path / SCREENSHOT))

        # each span is picked by its label: removed, relabelled, added again
        tags.filter(has_text="PRODUCT_LINE").click()
        expect(text.locator(".underline.picked .tag")).to_have_text("PRODUCT_LINE")
        page.keyboard.press("Delete")
        expect(tags).to_have_text(["GADGET"])
        words.nth(1).click()
        page.keyboard.press("1")  # "iphone" as GADGET too: nested, same label
        expect(tags).to_have_text(["GADGET", "GADGET"])
        tags.nth(1).click()
        page.keyboard.press("2")  # relabelled: PRODUCT_LINE
        expect(tags).to_have_text(["GADGET", "PRODUCT_LINE"])
        assert text.locator('.seg:has(.tok[data-i="1"]) .underline').count() == 2

        page.keyboard.press("a")
        expect(page.locator("#status")).to_contain_text("Saved")
        expect(words.nth(1)).to_have_text("pixel")
        with Store(db, read_only=True) as store:
            (stored,) = store.iter_answers("d")
        assert stored.spans_key == "sc"
        assert [(TEXT[s.start : s.end], s.label) for s in stored.accepted_spans] == [
            ("iphone", "PRODUCT_LINE"),
            ("iphone 15 pro", "GADGET"),
        ]

        page.reload()  # the answer, reopened from the history, shows both spans
        page.locator("#history li button").first.click()
        expect(page.locator("#editing")).to_be_visible()
        expect(words.nth(1)).to_have_text("iphone")
        expect(tags).to_have_text(["GADGET", "PRODUCT_LINE"])
    assert not errors
