"""The rules every request meets before a route sees it, and the form reader routes use.

* Host: only the addresses the server was started on (a page reached under another name,
  as a DNS-rebinding attack would, is refused).
* POST: an Origin (or, failing that, a Referer) of this very server, a CSRF token that
  matches the browser's cookie, and a body no larger than BODY_MAX.
* Every response: a Content-Security-Policy that allows nothing outside this server, no
  framing, no referrer to another site (the facilitator's URL carries its token; not
  "no-referrer", under which a browser posts a form with `Origin: null`), no caching.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matland.core.records import record

BODY_MAX = 16 * 1024  # an answer with a long note and a reason is well under 10 KiB
CSRF_COOKIE = "matland_csrf"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# The workshop report as `matland workshop --format html` writes it: one self-contained
# file, its style inline; still no script, nothing from outside.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class TooLarge(Exception):
    pass


@record
class Hosts:
    """The Host values this server answers to: each address it serves, with its port."""

    names: frozenset[str]

    @classmethod
    def of(cls, addresses: Iterable[str], port: int) -> Hosts:
        names = set()
        for address in addresses:
            shown = f"[{address}]" if ":" in address else address
            names |= {shown, f"{shown}:{port}"}
        return cls(frozenset(names))


class Guard:
    """ASGI middleware: the host check, the Origin check, the body cap and the headers."""

    def __init__(self, app: ASGIApp, hosts: Hosts) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        refusal = self._refusal(scope, headers, host)
        if refusal is not None:
            status, text = refusal
            await PlainTextResponse(text, status)(scope, receive, self._with_headers(send, CSP))
            return
        csp = REPORT_CSP if scope["path"].endswith("/report.html") else CSP
        await self.app(scope, receive, self._with_headers(send, csp))

    def _refusal(self, scope: Scope, headers: dict[str, str], host: str) -> tuple[int, str] | None:
        if host not in self.hosts.names:
            return 421, "This server does not answer to that address."
        if scope["method"] not in ("GET", "HEAD", "POST"):
            return 405, "Not allowed."
        if scope["method"] != "POST":
            return None
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > BODY_MAX):
            return 413, "That is too much to send at once."
        origin = headers.get("origin") or _origin_of(headers.get("referer", ""))
        if origin != f"http://{host}":
            return 403, "Refused: the form did not come from this server's page."
        return None

    @staticmethod
    def _with_headers(send: Send, csp: str) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [*HEADERS, (b"content-security-policy", csp.encode())]
                raw = list(message.get("headers", []))
                if not any(k.lower() == b"cache-control" for k, _ in raw):
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": raw + extra}
            await send(message)

        return sending


def _origin_of(referer: str) -> str:
    parts = urlsplit(referer)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded body as single values, read no further than BODY_MAX (a body sent
    without a length, or longer than it said, is cut off there)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_MAX:
            raise TooLarge
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=32)
    except ValueError:  # more fields than any form of ours has
        return {}
    return {key: values[-1] for key, values in fields.items()}


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's CSRF token (its cookie), and whether it is new and must be set."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) >= 20:
        return token, False
    if not hasattr(request.state, "csrf"):  # one new token for everything on one page
        request.state.csrf = secrets.token_urlsafe(24)
    return str(request.state.csrf), True


def csrf_ok(request: Request, form: dict[str, Any]) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = str(form.get("csrf", ""))
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode())
