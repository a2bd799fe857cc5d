"""What the review and teach pages share on the server: who may call, what a body is, the page.

Every request passes the host guard: with a token (any ``--host`` but loopback), 401 without
it; without one, 403 unless addressed to a loopback name (DNS rebinding). Every write (a POST)
also passes :class:`WriteGuard`: 403 unless it comes from the page itself (no foreign
``Origin`` or ``Sec-Fetch-Site``) and carries the page's token in ``X-Nerforge-Token``, a
header no other web page can set without a CORS preflight, which this server never answers.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import NerforgeError
from .requests import MAX_BODY_BYTES, RequestError, parse_id

STATIC = Path(__file__).parent / "static"
PART = re.compile(r"^<!-- part: (\w+) -->", re.MULTILINE)  # a slot's content in a page's parts file
TOKEN_HEADER = "x-nerforge-token"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})  # same-site: another port of this host

SECURITY_HEADERS = {
    # the page's own script and style only: injected markup could not run a script anyway
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def build_app(routes: Sequence[BaseRoute], *, page_token: str, host_token: str | None) -> ASGIApp:
    """A page's app: its routes, the static files and the favicon, behind the guards.

    Args:
        routes: The page's own routes (``/``, ``/api/...``).
        page_token: The token every write must carry in ``X-Nerforge-Token``.
        host_token: The token every request must carry (None: loopback hosts only).
    """
    shared = [
        Route("/favicon.ico", _favicon),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    handlers: dict[Any, Callable[..., Any]] = {RequestError: request_error, NerforgeError: store_error}
    app: ASGIApp = Starlette(routes=[*routes, *shared], exception_handlers=handlers)
    app = WriteGuard(app, page_token)
    return TokenGuard(app, host_token) if host_token is not None else LoopbackGuard(app)


def page_token(host_token: str | None) -> str:
    """The token a page's writes carry: the host token if there is one, else a fresh one per run."""
    return host_token if host_token is not None else secrets.token_urlsafe(24)


def page_response(parts: str, *, page_token: str, host_token: str | None) -> Response:
    """The skeleton filled from ``static/PARTS``, with its token and headers forbidding foreign scripts."""
    page = assemble_page(parts)
    query = f"?token={host_token}" if host_token else ""
    page = page.replace("{{query}}", query).replace("{{page_token}}", page_token)
    return HTMLResponse(page, headers=SECURITY_HEADERS | {"cache-control": "no-store"})


def assemble_page(parts: str) -> str:
    """``static/page.html`` with each ``{{name}}`` slot filled from ``<!-- part: name -->`` in PARTS."""
    pieces = PART.split((STATIC / parts).read_text(encoding="utf-8"))[1:]
    page = (STATIC / "page.html").read_text(encoding="utf-8")
    for name, body in zip(pieces[::2], pieces[1::2], strict=True):
        page = page.replace("{{" + name + "}}", body.strip("\n"))
    return page


async def _favicon(_: Request) -> Response:
    return Response(status_code=204)  # no icon: the browser stops asking, the log stays quiet


async def request_error(_: Request, err: Exception) -> Response:
    """A request the page can't act on: its status, the message and the field."""
    assert isinstance(err, RequestError)
    return JSONResponse(err.to_dict(), status_code=err.status)


async def store_error(_: Request, err: Exception) -> Response:
    """A store that is locked, read-only or broken: the coded message, and nothing was saved."""
    message = f"the store could not be written ({err}); try again in a moment"
    return JSONResponse({"error": message, "field": "store"}, status_code=503)


def path_id(request: Request, name: str) -> int:
    """An id from the path, in SQLite's range (404 outside it: no such answer can exist)."""
    value = parse_id(request.path_params[name])
    if value is None:
        raise RequestError(404, name, "is not an answer of this session")
    return value


async def json_body(request: Request) -> Any:
    """The request's JSON, read no further than ``MAX_BODY_BYTES`` (413 past it).

    The media type must be exactly ``application/json`` (parameters aside): a browser sends
    any other type from a foreign page without asking this server first.
    """
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise RequestError(415, "content-type", "must be application/json")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise RequestError(413, "body", f"is larger than {MAX_BODY_BYTES} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(413, "body", f"is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise RequestError(400, "body", "is not valid JSON") from None


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, field: str, message: str) -> None:
    await JSONResponse({"error": message, "field": field}, status_code=status)(scope, receive, send)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers") or [])


class WriteGuard:
    """Refuses (403) a write that another web page could have sent: a foreign origin, or no token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass safe methods and the page's own writes on; refuse any other write."""
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            refusal = self._refusal(scope)
            if refusal is not None:
                await _refuse(scope, receive, send, 403, *refusal)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[str, str] | None:
        headers = _headers(scope)
        fetch_site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
        origin = headers.get(b"origin")
        if fetch_site in FOREIGN_FETCH_SITES or (origin is not None and not _same_origin(origin, headers)):
            return "origin", "Refused: this request came from another web page. Answer on the nerforge page."
        given = headers.get(TOKEN_HEADER.encode(), b"")
        if not hmac.compare_digest(given, self.token.encode()):
            message = "Refused: the page's token is missing or old (the server restarted?). Reload the page."
            return "token", message
        return None


def _same_origin(origin: bytes, headers: dict[bytes, bytes]) -> bool:
    """Whether ``Origin`` names the host the request was sent to (``null``, a file page, never does)."""
    parts = urlsplit(origin.decode("latin-1"))
    return parts.scheme in ("http", "https") and parts.netloc == headers.get(b"host", b"").decode("latin-1")


class TokenGuard:
    """Answers 401 to any request without the token (query ``token``, or the header)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request with the token on; answer 401 to any other."""
        if scope["type"] == "http" and not self._allowed(scope):
            message = "A token is required: open the address nerforge printed when it started."
            await _refuse(scope, receive, send, 401, "token", message)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        given = _headers(scope).get(TOKEN_HEADER.encode(), b"").decode("latin-1")
        if not given:
            values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", [""])
            given = values[0]
        return hmac.compare_digest(given.encode(), self.token.encode())


class LoopbackGuard:
    """Without a token, answer only requests addressed to this machine by name or loopback address.

    A web page elsewhere can point its own domain at 127.0.0.1 (DNS rebinding) and read the
    answers of a page that trusts any Host header; a loopback Host can't be faked that way.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request addressed to a loopback name on; answer 403 to any other."""
        if scope["type"] == "http" and _host_name(scope) not in LOOPBACK_NAMES:
            message = "Open the page at 127.0.0.1 or localhost (with another --host, use its token)."
            await _refuse(scope, receive, send, 403, "host", message)
            return
        await self.app(scope, receive, send)


def _host_name(scope: Scope) -> str:
    host = _headers(scope).get(b"host", b"").decode("latin-1")
    if host.startswith("["):  # [::1]:8080
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
