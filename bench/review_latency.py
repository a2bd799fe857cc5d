"""How fast the review page shows the next task after an answer, in Chromium, on the demo corpus.

The page times each answer from sending it to the next task rendered (``window.nerforgeTimings``):
the request, the store's commit, the feed's next question (suggestions from the patterns and
the model, computed a batch at a time) and the page's rendering. Without ``--model`` a GADGET
model is first trained on the demo's reviewed tasks (``--epochs``, a few minutes on 2 cores).

Needs the web extra, playwright and Debian's chromium at /usr/bin/chromium.

    python bench/review_latency.py [--model PATH] [--answers 200]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import expect, sync_playwright

from nerforge.training import Trainer
from nerforge.web import create_review_app

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "nerforge" / "demo"
CHROMIUM = "/usr/bin/chromium"
KEYS = "aaxi"  # accept, accept, reject, ignore: a mix, as a review goes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, help="A GADGET pipeline (default: train one on the demo)")
    parser.add_argument("--answers", type=int, default=200, help="answers to time")
    parser.add_argument("--epochs", type=int, default=10, help="epochs of the model trained without --model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        model = args.model or train_demo_model(Path(folder), args.epochs)
        timings = time_answers(model, Path(folder) / "review.db", args.answers)
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"model: {model}")
    print(
        f"next task after an answer, {len(timings)} answers: median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"
    )


def train_demo_model(folder: Path, epochs: int) -> Path:
    started = time.perf_counter()
    Trainer(max_epochs=epochs).fit(DEMO / "reviewed.jsonl", output=folder / "model")
    print(f"trained a demo GADGET model in {time.perf_counter() - started:.0f} s")
    return folder / "model" / "model-best"


def time_answers(model: Path, db: Path, n_answers: int) -> list[float]:
    app = create_review_app(
        "bench",
        DEMO / "comments.txt",
        labels=["GADGET"],
        patterns=DEMO / "gadget_patterns.jsonl",
        model=model,
        db=db,
    )
    with serving(app) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{address}/?session=bench")
        text = page.locator("#text")
        expect(text.locator(".tok").first).to_be_visible()
        for index in range(n_answers):
            shown = text.inner_text()
            page.keyboard.press(KEYS[index % len(KEYS)])
            expect(text).not_to_have_text(shown)
        timings: list[float] = page.evaluate("window.nerforgeTimings")
        browser.close()
    return timings


class serving:
    """uvicorn in a thread on a free local port."""

    def __init__(self, app: Any) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


if __name__ == "__main__":
    main()
