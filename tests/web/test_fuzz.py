"""The HTTP API of both pages under generated requests: never a 5xx, and a refused request changes nothing."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

pytest.importorskip("hypothesis", reason="the dev extra's hypothesis is not installed")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

N_EXAMPLES = 300  # per page: a few seconds, enough to reach every refusal path
SESSIONS = st.one_of(st.sampled_from([None, "ana", "ana", "bob", ""]), st.text(max_size=8))
HELD = "held"  # replaced, when sent, by the id of the task session "ana" holds
EDGE_IDS = [
    HELD,
    HELD,
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 20,
    "-" + "9" * 20,
]
IDS = st.one_of(
    st.sampled_from(EDGE_IDS),  # SQLite's INTEGER ends at 2**63 - 1
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(alphabet="0123456789-", max_size=24),
    st.text(max_size=8),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
SPANS = st.lists(
    st.fixed_dictionaries(
        {"start": st.integers(-3, 40), "end": st.integers(-3, 40), "label": st.sampled_from(["GADGET", "X"])}
    ),
    max_size=3,
)
ANSWERS = st.fixed_dictionaries(
    {"task_id": IDS, "answer": st.sampled_from(["accept", "reject", "ignore", "maybe"])},
    optional={"spans": SPANS | JSON_VALUES, "request_id": st.text(max_size=10), "session": SESSIONS},
)
BODIES = st.one_of(
    ANSWERS.map(lambda body: ("json", body)),
    JSON_VALUES.map(lambda body: ("json", body)),
    st.binary(max_size=64).map(lambda raw: ("raw", raw)),
)
CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "Application/JSON; charset=utf-8",
        "text/plain; x=application/json",
        "text/plain",
        "application/jsonp",
        "multipart/form-data",
        "",
    ]
)
ORIGINS = st.sampled_from(
    [None, "http://127.0.0.1:8080", "http://127.0.0.1:9999", "null", "http://evil.example"]
)
FETCH_SITES = st.sampled_from([None, "same-origin", "same-site", "cross-site", "none"])
TOKENS = st.sampled_from(["page", "page", None, "wrong"])
ROUTES = st.one_of(
    st.tuples(st.just("POST"), st.sampled_from(["/api/answer", "/api/undo"])),
    st.tuples(st.sampled_from(["GET", "POST"]), IDS.map(lambda i: f"/api/answers/{quote(i, safe='')}")),
    st.tuples(st.sampled_from(["GET", "POST"]), st.sampled_from(["/api/state", "/favicon.ico", "/"])),
)

REQUESTS = st.fixed_dictionaries(
    {
        "route": ROUTES,
        "session": SESSIONS,
        "body": BODIES,
        "content_type": CONTENT_TYPES,
        "origin": ORIGINS,
        "fetch_site": FETCH_SITES,
        "token": TOKENS,
    }
)


def _foreign(request):
    """Whether another web page (or a non-JSON form) could have sent it: it must change nothing."""
    own_origin = request["origin"] in (None, "http://127.0.0.1:8080")
    own_site = request["fetch_site"] in (None, "same-origin", "none")
    json_type = request["content_type"].split(";")[0].strip().lower() == "application/json"
    return not (own_origin and own_site and json_type and request["token"] == "page")


def _send(page, request, held):
    token = page.client.headers.get("x-nerforge-token") or ""
    headers = {"content-type": request["content_type"]}
    headers |= {"origin": request["origin"]} if request["origin"] else {}
    headers |= {"sec-fetch-site": request["fetch_site"]} if request["fetch_site"] else {}
    headers["x-nerforge-token"] = {"page": token, "wrong": "wrong", None: ""}[request["token"]]
    kind, body = request["body"]
    content = body if kind == "raw" else json.dumps(body).encode()
    content = content.replace(f'"{HELD}"'.encode(), f'"{held}"'.encode())
    params = {} if request["session"] is None else {"session": request["session"]}
    method, path = request["route"]
    return page.client.request(
        method, path.replace(HELD, held), params=params, content=content, headers=headers
    )


def test_generated_requests_never_get_a_5xx_and_refused_ones_change_nothing(page, record_property):
    tried = []

    @settings(
        max_examples=N_EXAMPLES,
        deadline=None,
        database=None,  # no .hypothesis folder: a test writes under its tmp_path only
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(REQUESTS)
    def check(request):
        before = page.snapshot()
        reply = _send(page, request, page.task("ana")["id"] if page.task("ana") else "0")
        tried.append(reply.status_code)
        assert reply.status_code < 500, (request, reply.text)
        if reply.status_code >= 400 or _foreign(request):
            assert page.snapshot() == before, (request, reply.status_code, reply.text)

    check()
    n_refused = sum(status >= 400 for status in tried)
    record_property("requests", len(tried))  # the figures, in --junitxml's report
    record_property("refused", n_refused)
    assert len(tried) >= N_EXAMPLES // 2
