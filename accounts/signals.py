"""Account events audited from Django's auth signals (connected in AccountsConfig.ready):
every successful sign-in, by password or by code, on the page, the API or the admin."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from case_core.audit import audit_record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    if request is None or not request.path:  # not over HTTP (a test client's force_login)
        return
    method = getattr(request, "accounts_signin_method", "password")
    audit_record(
        actor=user,
        case=None,
        action="account.signed_in",
        data={"user": user.pk, "method": method, "path": request.path[:255]},
    )
