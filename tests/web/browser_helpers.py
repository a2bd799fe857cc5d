"""Serving a review app on a free local port for the browser tests, and skipping without a browser."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"  # Debian's package: playwright can't download a browser on these machines


def require_browser() -> Any:
    """Playwright's sync API, or skip the test saying what is missing."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        pytest.skip("playwright is not installed: pip install playwright (the dev extra has it)")
    return sync_api


@contextlib.contextmanager
def browser_page(
    sync_api: Any, address: str, *, width: int, height: int
) -> Iterator[tuple[Any, Any, list[str]]]:
    """Chromium open at the app's page for session "ana".

    Yields the browser, the page, and the page's script errors as they happen; the browser
    closes on exit.
    """
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            errors: list[str] = []
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.goto(f"{address}/?session=ana")
            yield browser, page, errors
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(app: Any, port: int | None = None) -> Iterator[str]:
    """Run the app with uvicorn in a thread (on ``port``, else a free one); yield its base address."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the review server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
