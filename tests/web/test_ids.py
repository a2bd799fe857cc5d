"""Ids out of range are 4xx; a request id belongs to one session and one task."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("task_id", ["99999999999999999999", "-9999999999999999999", "9223372036854775808"])
def test_a_task_id_out_of_range_is_a_4xx(page, task_id):
    reply = page.answer({"id": task_id, "spans": []}, "ana")
    assert 400 <= reply.status_code < 500 and reply.json()["field"] == "task_id"


@pytest.mark.parametrize("answer_id", ["99999999999999999999", "-99999999999999999999", "0"])
def test_reopening_an_answer_id_out_of_range_is_a_404(page, answer_id):
    if page.kind == "teach":
        pytest.skip("the teach page reopens no answer")
    reply = page.client.get(f"/api/answers/{answer_id}?session=ana")
    assert reply.status_code == 404 and reply.json()["field"] == "answer_id"


def test_a_request_id_another_session_used_stores_this_sessions_answer(page):
    first = page.answer(page.task("ana"), "ana", request_id="same-id").json()["saved"]
    bobs = page.task("bob")
    saved = page.answer(bobs, "bob", request_id="same-id").json()["saved"]
    assert saved["id"] != first["id"] and saved["task_id"] == bobs["id"] and page.n_stored() == 2


def test_a_request_id_sent_again_with_another_task_is_a_409(page):
    page.answer(page.task("ana"), "ana", request_id="same-id")
    reply = page.answer(page.task("ana"), "ana", request_id="same-id")
    assert reply.status_code == 409 and reply.json()["field"] == "request_id" and page.n_stored() == 1
