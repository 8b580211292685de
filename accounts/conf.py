"""The front door's settings, each overridable in hearing_server/settings.py (or by tests)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    "TRIBUNAL_PHONE_CODE_TTL_MINUTES": 10,
    "TRIBUNAL_PHONE_CODE_MAX_ATTEMPTS": 5,
    "TRIBUNAL_PHONE_CODE_RESEND_SECONDS": 60,
    "TRIBUNAL_PHONE_CODE_PER_PHONE_HOUR": 5,  # codes texted to one number per hour
    "TRIBUNAL_PHONE_CODE_PER_ADDRESS_HOUR": 20,  # codes asked from one client address per hour
    "TRIBUNAL_CLAIM_FAILURES_PER_HOUR": 5,  # wrong access codes per account (and per address)
    "TRIBUNAL_IDENTITY_VERIFIER": "accounts.identity.ClerkCheckVerifier",
    "TRIBUNAL_ATTORNEY_MAX_BYTES": 10 * 1024 * 1024,
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
