"""Two sessions answer at once, the server is SIGKILLed and restarted: no acknowledged answer is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

pytest.importorskip("httpx", reason="the test client needs httpx")
pytest.importorskip("uvicorn", reason="the web extra is not installed")
import httpx
from browser_helpers import free_port
from page_helpers import TOKEN_HEADER, page_token

from nerforge.storage import Store

N_TEXTS = 300
KILL_AFTER = 100  # acknowledged answers before the kill
RETRY_FOR = 60.0  # seconds a client keeps resending while the server is down


def _start(source: Path, db: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from nerforge.cli import app; app()", "annotate", "load", str(source)]
    command += ["--labels", "THING", "--db", str(db), "--port", str(port)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Annotator(threading.Thread):
    """Answers every task it is given; resends on a lost connection, with the same request id."""

    def __init__(self, session: str, address: str) -> None:
        super().__init__(daemon=True)
        self.session, self.address = session, address
        self.acked: list[tuple[int, str, float]] = []  # answer id, text, when
        self.error: str | None = None

    def run(self) -> None:
        try:
            with httpx.Client(base_url=self.address, timeout=5) as client:
                task = self._call(client, "GET", "/api/state")["task"]
                while task is not None:
                    body = {
                        "task_id": task["id"],
                        "answer": "accept",
                        "spans": [],
                        "request_id": uuid.uuid4().hex,
                    }
                    reply = self._call(client, "POST", "/api/answer", body)
                    if "saved" in reply:
                        self.acked.append((reply["saved"]["id"], task["text"], time.monotonic()))
                    task = reply["task"]
        except Exception as err:  # noqa: BLE001 - reported by the test, with the session's name
            self.error = f"{self.session}: {err!r}"

    def _call(self, client, method: str, path: str, body: dict | None = None) -> dict:
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                response = client.request(method, f"{path}?session={self.session}", json=body)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
                continue
            if response.status_code == 403 and response.json()["field"] == "token":  # a restarted server
                client.headers[TOKEN_HEADER] = page_token(client.get("/").text) or ""
                continue  # as the page does: the new page token, then the same request again
            if response.status_code == 409:  # a task the restarted server never showed: not stored
                return self._call(client, "GET", "/api/state")
            response.raise_for_status()
            return response.json()


def test_answers_survive_a_sigkill(tmp_path):
    source, db = tmp_path / "texts.jsonl", tmp_path / "n.db"
    source.write_text(
        "\n".join(json.dumps({"text": f"text number {i} is here"}) for i in range(N_TEXTS)) + "\n"
    )
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    server = _start(source, db, port)
    annotators = [Annotator(name, address) for name in ("ana", "bob")]
    try:
        for annotator in annotators:
            annotator.start()
        while sum(len(a.acked) for a in annotators) < KILL_AFTER:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        killed_at = time.monotonic()
        server = _start(source, db, port)
        for annotator in annotators:
            annotator.join(timeout=120)
    finally:
        server.kill()
        server.wait()
    assert [a.error for a in annotators] == [None, None]
    acked = {answer_id: text for a in annotators for answer_id, text, _ in a.acked}
    with Store(db, read_only=True) as store:
        stored = {
            answer.id: answer.task.text for answer in store.recent_answers("load", annotator="ana", n=1000)
        }
        stored |= {
            answer.id: answer.task.text for answer in store.recent_answers("load", annotator="bob", n=1000)
        }
        assert store.count_answers("load") == len(stored)
    assert acked == stored  # every acknowledged answer once, and nothing stored that was not acknowledged
    assert len(set(stored.values())) == len(stored) == N_TEXTS  # no text answered twice, none left out
    for annotator in annotators:  # both went on after the restart, with tasks nobody had answered
        assert any(when > killed_at for _, _, when in annotator.acked)


def test_a_server_beyond_loopback_answers_401_without_the_token(tmp_path):
    source = tmp_path / "texts.txt"
    source.write_text("one text\nanother text\n")
    port = free_port()
    command = [sys.executable, "-c", "from nerforge.cli import app; app()", "annotate", "d", str(source)]
    command += ["--labels", "THING", "--db", str(tmp_path / "n.db"), "--host", "0.0.0.0", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed = [server.stdout.readline() for _ in range(3)] if server.stdout else []
        line = next((line for line in printed if "?token=" in line), "")
        assert line, printed
        token = line.split("?token=")[1].split()[0]
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                refused = httpx.get(f"{address}/api/state")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert refused.status_code == 401 and "token" in refused.json()["error"]
        assert httpx.get(f"{address}/").status_code == 401
        assert httpx.get(f"{address}/?token={token}").status_code == 200
        assert httpx.get(f"{address}/api/state", headers={"x-nerforge-token": token}).status_code == 200
    finally:
        server.kill()
        server.wait()
