"""Authentication: the Django session, with Django's CSRF protection kept on.

A browser signs in with POST /api/auth/login (or the web sign-in page) and then sends the session
cookie; every unsafe request (POST, PUT, PATCH, DELETE) must also carry the CSRF token in the
`X-CSRFToken` header (read it from the `csrftoken` cookie or GET /api/auth/csrf). Requests
without a session get 401 `unauthenticated`; a missing or wrong token gets 403 `csrf_failed`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from case_core.errors import DomainError


def csrf_failed() -> DomainError:
    return DomainError(
        "csrf_failed",
        _("The request lacks a valid CSRF token; send the X-CSRFToken header."),
        status=403,
    )


def enforce_csrf(request) -> None:
    """Django's CSRF check, for endpoints without session auth (sign-in)."""
    if check_csrf(request) is not None:
        raise csrf_failed()


class TribunalSession(SessionAuth):
    """SessionAuth whose CSRF refusal is a DomainError, so it renders in the one error shape."""

    def _get_key(self, request):
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            enforce_csrf(request)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


session_auth = TribunalSession()
