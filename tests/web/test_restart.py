"""After a server restart, an open page's answer to the task on its screen is stored, once."""

from __future__ import annotations


def test_the_task_on_screen_before_a_restart_is_answered_after_it(page):
    page.answer(page.task("ana"), "ana")
    on_screen = page.task("ana")
    after = page.restarted()
    reply = after.answer(on_screen, "ana", request_id="r-1")
    assert reply.status_code == 200 and reply.json()["saved"]["task_id"] == on_screen["id"]
    assert after.answer(on_screen, "ana", request_id="r-1").json()["saved"] == reply.json()["saved"]
    assert page.n_stored() == 2


def test_a_task_another_session_holds_after_a_restart_is_a_409(page):
    on_screen = page.task("ana")
    after = page.restarted()
    assert after.task("bob")["id"] == on_screen["id"]  # the restarted server gave it to bob
    reply = after.answer(on_screen, "ana")
    assert reply.status_code == 409 and reply.json()["field"] == "task_id" and page.n_stored() == 0


def test_a_page_token_of_the_run_before_a_restart_is_refused(page):
    before = page.client.headers["x-nerforge-token"]
    after = page.restarted()
    assert after.client.headers["x-nerforge-token"] != before
