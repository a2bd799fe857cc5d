"""The pages in real Chromium, by keyboard: undo, Enter on a focused control, spans, restarts, other pages."""

from __future__ import annotations

import json
import time

import pytest
from browser_helpers import CHROMIUM, free_port, require_browser, serving
from page_helpers import PATTERNS, TEXTS

from nerforge.storage import Store
from nerforge.web import create_review_app


@pytest.fixture
def review(tmp_path):
    """A review app factory over three texts with one suggested span each; the store's answers."""
    sync_api = require_browser()
    source, patterns, db = tmp_path / "source.txt", tmp_path / "patterns.jsonl", tmp_path / "n.db"
    source.write_text("\n".join(TEXTS) + "\n")
    patterns.write_text(PATTERNS)

    def make():
        return create_review_app("d", source, labels=["GADGET", "PERSON"], patterns=patterns, db=db)

    def stored():
        with Store(db, read_only=True) as store:
            return [
                (t.answer, [(t.text[s.start : s.end], s.label, s.answer) for s in t.spans])
                for t in store.iter_answers("d")
            ]

    return sync_api, make, stored


@pytest.fixture
def browser(review):
    sync_api = review[0]
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def _open(sync_api, browser, address):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{address}/?session=ana")
    sync_api.expect(page.locator("#text mark.ent")).to_have_count(1)
    return page, errors


def _saved(stored, n):
    """Wait until the store holds ``n`` answers (the page shows the next task once it does)."""
    deadline = time.monotonic() + 10
    while len(stored()) != n:
        assert time.monotonic() < deadline, stored()
        time.sleep(0.05)


def _showing(sync_api, page, index):
    """Wait until the page shows TEXTS[index] (the words after its span: the span's tag breaks the text)."""
    sync_api.expect(page.locator("#text")).to_contain_text(TEXTS[index].split(" zorbo ")[1][2:])


@pytest.mark.parametrize("keys", [["x"], ["i"], ["click", "Delete", "a"]])  # reject, ignore, an edited accept
def test_undo_shows_the_task_as_first_shown_whatever_the_answer(review, browser, keys):
    sync_api, make, stored = review
    with serving(make()) as address:
        page, errors = _open(sync_api, browser, address)
        for key in keys:
            if key == "click":  # pick the suggestion as a mouse user does
                page.locator("#text mark.ent .tag").click()
            else:
                page.keyboard.press(key)
        _saved(stored, 1)
        _showing(sync_api, page, 1)
        page.keyboard.press("u")
        _saved(stored, 0)
        _showing(sync_api, page, 0)
        sync_api.expect(page.locator("#text mark.ent")).to_have_count(1)
        page.keyboard.press("a")
        _saved(stored, 1)
    assert stored() == [("accept", [("zorbo 3", "GADGET", "accept")])] and not errors


def test_enter_on_a_focused_button_does_what_the_button_says(review, browser):
    sync_api, make, stored = review
    with serving(make()) as address:
        page, errors = _open(sync_api, browser, address)
        page.locator("#reject").focus()
        page.keyboard.press("Enter")
        _saved(stored, 1)
        _showing(sync_api, page, 1)
        page.locator("#history li button").first.focus()  # "reopen"
        page.keyboard.press("Enter")
        sync_api.expect(page.locator("#editing")).to_be_visible()
        page.locator("#ignore").focus()
        page.keyboard.press("Space")
        sync_api.expect(page.locator("#status")).to_contain_text("Saved: ignore")
    assert [answer for answer, _ in stored()] == ["ignore"] and not errors


def test_a_suggested_span_is_picked_relabelled_and_removed_by_keyboard(review, browser):
    sync_api, make, stored = review
    with serving(make()) as address:
        page, errors = _open(sync_api, browser, address)
        page.keyboard.press("]")
        sync_api.expect(page.locator("#text mark.ent.picked")).to_have_count(1)
        page.keyboard.press("2")  # relabel: PERSON
        sync_api.expect(page.locator("#text mark.ent .tag")).to_have_text("PERSON")
        page.keyboard.press("a")
        _saved(stored, 1)
        _showing(sync_api, page, 1)
        page.keyboard.press("[")
        page.keyboard.press("Delete")
        sync_api.expect(page.locator("#text mark.ent")).to_have_count(0)
        page.keyboard.press("a")
        _saved(stored, 2)
    assert stored() == [
        ("accept", [("zorbo 3", "GADGET", "reject"), ("zorbo 3", "PERSON", "accept")]),
        ("accept", [("zorbo 4", "GADGET", "reject")]),
    ]
    assert not errors


def test_an_open_page_answers_across_a_server_restart(review, browser):
    sync_api, make, stored = review
    port = free_port()
    with serving(make(), port) as address:
        page, errors = _open(sync_api, browser, address)
    with serving(make(), port):
        page.keyboard.press("a")
        sync_api.expect(page.locator("#status")).to_contain_text("Saved: accept")
    assert stored() == [("accept", [("zorbo 3", "GADGET", "accept")])] and not errors


def test_no_more_tasks_disables_the_answer_buttons(review, browser):
    sync_api, make, stored = review
    with serving(make()) as address:
        page, _ = _open(sync_api, browser, address)
        for n in range(1, len(TEXTS) + 1):
            page.keyboard.press("a")
            _saved(stored, n)
            if n < len(TEXTS):
                _showing(sync_api, page, n)
        sync_api.expect(page.locator("#done")).to_be_visible()
        for button in ("accept", "reject", "ignore", "redo"):
            sync_api.expect(page.locator(f"#{button}")).to_be_disabled()
        sync_api.expect(page.locator("#undo")).to_be_enabled()  # the last answer can still be undone


ATTACK = """<!doctype html><title>attack</title><script>
const target = "TARGET";
const sneaky = {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain; x=application/json"}};
Promise.allSettled([
  fetch(target + "/api/undo?session=ana", {...sneaky, body: "{}"}),
  fetch(target + "/api/answer?session=ana", {...sneaky, body: JSON.stringify(ANSWER)}),
  fetch(target + "/api/undo?session=ana",
        {method: "POST", headers: {"Content-Type": "application/json"}, body: "{}"}),
]).then(() => { document.title = "sent"; });
</script>"""


@pytest.mark.parametrize("where", ["another-port", "file"])
def test_another_page_can_not_change_the_store(review, browser, tmp_path, where):
    sync_api, make, stored = review
    with serving(make()) as address:
        page, _ = _open(sync_api, browser, address)
        page.keyboard.press("a")
        _saved(stored, 1)
        _showing(sync_api, page, 1)
        task_id = page.evaluate("(typeof page === 'undefined' ? state : page).task.id")
        answer = {"task_id": task_id, "answer": "reject", "spans": []}
        html = ATTACK.replace("TARGET", address).replace("ANSWER", json.dumps(answer))
        attack = tmp_path / "attack.html"
        attack.write_text(html)
        other = browser.new_page()
        if where == "file":
            other.goto(attack.as_uri())
            sync_api.expect(other).to_have_title("sent", timeout=15_000)
        else:
            from starlette.applications import Starlette
            from starlette.responses import HTMLResponse
            from starlette.routing import Route

            evil = Starlette(routes=[Route("/", lambda _: HTMLResponse(html))])
            with serving(evil) as evil_address:
                other.goto(evil_address + "/")
                sync_api.expect(other).to_have_title("sent", timeout=15_000)
    assert stored() == [("accept", [("zorbo 3", "GADGET", "accept")])]


def test_enter_on_the_teach_pages_focused_no_button_says_no(review, browser, tmp_path):
    from nerforge.web.teach import create_teach_app

    sync_api, _, _ = review
    source, patterns, db = tmp_path / "source.txt", tmp_path / "patterns.jsonl", tmp_path / "teach.db"
    server = create_teach_app(
        "t", "blank:en", source, label="GADGET", patterns=patterns, db=db, warm_start=None
    )
    with serving(server.app) as address:
        page = browser.new_page()
        page.goto(f"{address}/?session=ana")
        sync_api.expect(page.locator("#text mark.ent")).to_be_visible()
        page.locator("#reject").focus()
        page.keyboard.press("Enter")
        sync_api.expect(page.locator("#status")).to_contain_text("Saved: reject")
    with Store(db, read_only=True) as store:
        assert [task.answer for task in store.iter_answers("t")] == ["reject"]
