"""Request body limits, enforced while the body streams in, before Django reads any of it.

Every HTTP request may carry at most TRIBUNAL_HTTP_MAX_BODY_BYTES of body (1 MiB by default);
the evidence uploads (UPLOAD_PATHS) may carry TRIBUNAL_EVIDENCE_MAX_BYTES plus that much again for
the form around the file. A request whose Content-Length declares more is answered 413
`too_large` before any of its body is read; one without a declared length (chunked) is answered
as soon as the bytes received pass the limit. The file's own limit stays with the evidence
service, which counts the stored bytes (case_core.services.evidence).

Two layers apply the same `body_limit()` and answer with the same `too_large_response()`:

* `hearing_server.daphne_limit`, inside Daphne, which otherwise receives and spools a whole body
  before the application is even called;
* `BodyLimitMiddleware`, around the ASGI application (hearing_server.asgi), for any ASGI server.

The answer is the API's error shape under /api/ and a small page for people, in the request's
language (language cookie, then Accept-Language), with `Connection: close`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

# The evidence upload endpoints: the API's (case_core.api.evidence) and the case page's form
# (web_client.urls "evidence_upload"). tests/case_core/test_hardening_http.py checks both match.
UPLOAD_PATHS = (
    re.compile(r"^/api/cases/\d+/evidence$"),
    re.compile(r"^/cases/\d+/evidence/$"),
    # A power of attorney (accounts.services.attorney) and the scans of a letter (portal), each
    # with its own smaller limit in its service.
    re.compile(r"^/attorney/$"),
    re.compile(r"^/workbench/mail/$"),
)

Headers = Iterable[tuple[bytes, bytes]]


class BodyTooLarge(Exception):
    """Raised from the wrapped `receive` when a streamed body passes its limit."""


def is_upload(path: str) -> bool:
    return any(pattern.match(path) for pattern in UPLOAD_PATHS)


def body_limit(path: str) -> int:
    """The largest body, in bytes, a request to `path` may carry."""
    general = settings.TRIBUNAL_HTTP_MAX_BODY_BYTES
    if is_upload(path):
        return settings.TRIBUNAL_EVIDENCE_MAX_BYTES + general
    return general


def declared_length(headers: Headers) -> int | None:
    """The Content-Length header as a number; None when absent or not a number."""
    for name, value in headers:
        if name.lower() == b"content-length":
            value = value.strip()
            return int(value) if value.isdigit() else None
    return None


def _language(headers: Headers) -> str:
    request = HttpRequest()
    for name, value in headers:
        name = name.lower()
        if name == b"cookie":
            request.COOKIES = parse_cookie(value.decode("latin-1"))
        elif name == b"accept-language":
            request.META["HTTP_ACCEPT_LANGUAGE"] = value.decode("latin-1")
    return translation.get_language_from_request(request)


def too_large_response(path: str, headers: Headers) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """(status, headers, body) of the 413 answer for a request to `path` with these headers."""
    limit = body_limit(path)
    language = _language(headers)
    with translation.override(language):
        if is_upload(path):
            shown = settings.TRIBUNAL_EVIDENCE_MAX_BYTES
            message = _("The file is larger than %(limit)s.") % {"limit": filesizeformat(shown)}
        else:
            message = _("The request body is too large.")
        if path.startswith("/api/"):
            error = {"code": "too_large", "message": message, "details": {"limit": limit}}
            body = json.dumps({"error": error}, ensure_ascii=False).encode()
            content_type = b"application/json"
        else:
            page = render_to_string(
                "hearing_server/body_too_large.html",
                {"message": message, "LANGUAGE_CODE": language},
            )
            body = page.encode()
            content_type = b"text/html; charset=utf-8"
    return (
        413,
        [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
            (b"content-language", language.encode()),
            (b"connection", b"close"),
        ],
        body,
    )


class BodyLimitMiddleware:
    """ASGI middleware: refuse a declared oversize body unread, and stop a streamed one at the
    limit (the application's `receive` raises BodyTooLarge before Django has built a request)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        limit = body_limit(path)
        declared = declared_length(scope.get("headers", ()))
        if declared is not None and declared > limit:
            return await self._refuse(scope, send)
        received = 0

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(path)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except BodyTooLarge:
            await self._refuse(scope, send)

    @staticmethod
    async def _refuse(scope, send) -> None:
        status, headers, body = too_large_response(scope.get("path", ""), scope.get("headers", ()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
