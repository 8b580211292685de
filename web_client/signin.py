"""Signing in: the sign-in form, and the lockout after repeated wrong passwords (django-axes).

Axes counts failed sign-ins per account and per client address, on the page, the API
(POST /api/auth/login) and the admin alike (settings: AXES_*, TRIBUNAL_SIGNIN_*). Once either
count reaches the limit, sign-in is refused, even with the right password, until the cool-off
has passed. This module gives axes:

* `lockout_response`: the answer, 429 `locked_out` in the API's error shape under /api/ and
  the sign-in page with the message for people, with Retry-After;
* `attempted_username`: the name axes records, cut to what its table holds;
* the audit entry `account.locked_out` (no case) when a lockout begins;
* the reset on success, limited to the account's own failures from its own address.
"""

from __future__ import annotations

from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.core.validators import MaxLengthValidator
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from case_core.audit import audit_record
from case_core.errors import DomainError, render_error_json

USERNAME_MAX = 150  # case_core.User.username


class SignInForm(AuthenticationForm):
    """Django's sign-in form with its username length enforced (Django only sets the widget's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(MaxLengthValidator(USERNAME_MAX))
        self.fields["username"].label = _("Username or mobile number")
        self.fields["password"].validators.append(MaxLengthValidator(4096))


def _cool_off_minutes(request) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def locked_out_error(request) -> DomainError:
    minutes = _cool_off_minutes(request)
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return DomainError("locked_out", message, status=429, details={"retry_after": minutes * 60})


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the 429 answer to a sign-in refused by the lockout."""
    error = locked_out_error(request)
    if request.path.startswith("/api/"):
        response = render_error_json(error)
    else:
        form = SignInForm(request)
        response = render(
            request,
            "web_client/login.html",
            {"form": form, "locked_out": error, "next": request.POST.get("next", "")},
            status=error.status,
        )
    response["Retry-After"] = str(error.details["retry_after"])
    return response


def attempted_username(request, credentials=None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name tried, cut to the 255 characters axes stores."""
    if credentials:
        name = credentials.get("username")
    else:
        name = request.POST.get("username")
    return name[:255] if isinstance(name, str) else None


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs):
    """Audit the attempt that starts a lockout (axes counted it); refusals during it are not."""
    failures = getattr(request, "axes_failures_since_start", None)
    if not failures:
        return
    audit_record(
        actor=None,
        case=None,
        action="account.locked_out",
        data={
            "username": username,
            "ip_address": ip_address,
            "failures": failures,
            "path": request.path[:255],
        },
    )


@receiver(user_logged_in)
def clear_own_failures(sender, request, user, **kwargs):
    """A right password clears the account's failures from this address, and nothing else."""
    if request is None:
        return
    AccessAttempt.objects.filter(
        username=user.get_username(), ip_address=get_client_ip_address(request)
    ).delete()
