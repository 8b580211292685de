"""Signing in and out with the Django session (see case_core.api.security for CSRF)."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router, Status

from case_core.api.schemas import CsrfOut, LoginIn, MeOut, with_errors
from case_core.api.security import enforce_csrf
from case_core.errors import DomainError

router = Router(tags=["auth"])


@router.get("/csrf", auth=None, response=CsrfOut)
def csrf(request):
    """Set the `csrftoken` cookie and return the token to send as `X-CSRFToken`."""
    return {"csrf_token": get_token(request)}


@router.post("/login", auth=None, response=with_errors({200: MeOut}))
def login_(request, payload: LoginIn):
    """Start a session. Needs the CSRF token like any other unsafe request."""
    enforce_csrf(request)
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise DomainError(
            "invalid_credentials", _("The username or password is wrong."), status=401
        )
    login(request, user)
    return user


@router.post("/logout", response=with_errors({204: None}))
def logout_(request):
    logout(request)
    return Status(204, None)


@router.get("/me", response=with_errors({200: MeOut}))
def me(request):
    return request.auth
