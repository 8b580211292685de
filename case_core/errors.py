"""The one domain error type, and the one place it is rendered for HTTP.

Services raise DomainError; views, API endpoints, consumers and commands render it. The JSON
shape is documented in docs/architecture.md:

    {"error": {"code": "invalid_transition", "message": "...", "details": {...}}}
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render


class DomainError(Exception):
    """A refusal by the domain: bad input, a forbidden action or an impossible transition."""

    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, details=None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        if status is not None:
            self.status = status
        self.details = details or {}

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def not_found(message=None) -> DomainError:
    from django.utils.translation import gettext as _

    return DomainError("not_found", message or _("Not found."), status=404)


def forbidden(message=None) -> DomainError:
    from django.utils.translation import gettext as _

    return DomainError("forbidden", message or _("You may not do this."), status=403)


def invalid(message, *, details=None) -> DomainError:
    return DomainError("invalid", message, status=400, details=details)


def conflict(code: str, message) -> DomainError:
    return DomainError(code, message, status=409)


def render_error_json(error: DomainError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)


class DomainErrorMiddleware:
    """Renders a DomainError escaping a view: JSON for the API, a page for people."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return render_error_json(exception)
        return render(
            request, "web_client/error.html", {"error": exception}, status=exception.status
        )
