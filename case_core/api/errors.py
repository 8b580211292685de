"""Every API error in one JSON shape, the one DomainError renders:

    {"error": {"code": "invalid", "message": "...", "details": {...}}}

`code` is stable and machine-readable; `message` is for people, in the request's language;
`details` may name the offending input (`field`) or list schema errors (`errors`).
"""

from __future__ import annotations

import json
import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from case_core.errors import DomainError, render_error_json

logger = logging.getLogger("case_core.api")


def _field_path(loc) -> str:
    """("body", "payload", "applicants", 0, "name") -> "applicants[0].name"."""
    parts = list(loc[1:])  # drop the source: body, query, path, form, file
    if len(parts) > 1 and parts[0] in ("payload", "filters", "params", "data"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def validation_error(errors: list[dict]) -> DomainError:
    listed = [
        {"field": _field_path(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type")}
        for e in errors
    ]
    details = {"errors": listed}
    if listed:
        details["field"] = listed[0]["field"]
    return DomainError("invalid", _("Some of the input is not valid."), status=400, details=details)


def http_error(exc: HttpError) -> DomainError:
    status = exc.status_code
    if status == 400 and isinstance(exc.__cause__, ValueError | json.JSONDecodeError):
        return DomainError("malformed_json", _("The request body is not valid JSON."), status=400)
    codes = {
        401: ("unauthenticated", _("Sign in first.")),
        403: ("forbidden", _("You may not do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        429: ("throttled", _("Too many requests; try again later.")),
    }
    code, message = codes.get(status, ("bad_request", _("The request could not be understood.")))
    return DomainError(code, message, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return render_error_json(exc)

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return render_error_json(validation_error(exc.errors))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return render_error_json(http_error(exc))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return render_error_json(DomainError("not_found", _("Not found."), status=404))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return render_error_json(
            DomainError("too_large", _("The request body is too large."), status=413)
        )

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return render_error_json(
            DomainError("bad_request", _("The request could not be understood."), status=400)
        )

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return render_error_json(DomainError("forbidden", _("You may not do this."), status=403))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return render_error_json(
            DomainError("server_error", _("Something went wrong on our side."), status=500)
        )

    api.add_exception_handler(DomainError, on_domain_error)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(AuthenticationError, on_http_error)
    api.add_exception_handler(AuthorizationError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Exception, on_unexpected)


def api_not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Unknown paths under /api/ answer in the same shape."""
    return render_error_json(DomainError("not_found", _("Not found."), status=404))
