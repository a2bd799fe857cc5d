"""Both pages are one skeleton with their own parts, their token, and a quiet favicon."""

from __future__ import annotations

from page_helpers import page_token


def test_the_favicon_is_an_empty_204(page):
    reply = page.client.get("/favicon.ico")
    assert reply.status_code == 204 and reply.content == b""


def test_the_page_is_the_shared_skeleton_with_its_own_script_and_token(page):
    html = page.client.get("/").text
    script = "app.js" if page.kind == "review" else "teach.js"
    assert "/static/common.js" in html and f"/static/{script}" in html and "{{" not in html
    assert page_token(html) == page.client.headers["x-nerforge-token"]
