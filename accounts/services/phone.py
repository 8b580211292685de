"""Texted one-time codes for sign-up, sign-in, password reset, progress lookup and a change of
phone. The answer to "send me a code" never tells whether the number has an account (or is a
party to the case): a code is recorded either way and texted only where it can be used.

Errors (DomainError codes): invalid (a bad number), code_recently_sent (429, details.retry_after),
code_flood (429: too many codes to one number or from one address in an hour), no_code,
code_expired, wrong_code (details.attempts_left), too_many_attempts (429).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import (
    hash_secret,
    masked_phone,
    new_digit_code,
    normalise_phone,
    secret_matches,
)
from accounts.conf import setting
from accounts.models import CodePurpose, PhoneCode
from accounts.sms import text_phone
from case_core.audit import audit_record
from case_core.errors import DomainError, invalid

PURPOSE = "phone_code"


def _wait_error(seconds: int) -> DomainError:
    return DomainError(
        "code_recently_sent",
        _("A code was just sent. You can ask for another in %(n)d seconds.") % {"n": seconds},
        status=429,
        details={"retry_after": seconds},
    )


def _flood_error() -> DomainError:
    return DomainError(
        "code_flood",
        _("Too many codes were asked for. Try again in an hour."),
        status=429,
        details={"retry_after": 3600},
    )


def _message(purpose: str, code: str, minutes: int) -> tuple[str, str]:
    texts = {
        CodePurpose.SIGNUP: _("Your OpenTribunal sign-up code is %(code)s."),
        CodePurpose.SIGNIN: _("Your OpenTribunal sign-in code is %(code)s."),
        CodePurpose.RESET: _("Your OpenTribunal password reset code is %(code)s."),
        CodePurpose.PROGRESS: _("Your code to look up the case's progress is %(code)s."),
        CodePurpose.PHONE_CHANGE: _("Your code to confirm this new phone number is %(code)s."),
    }
    body = (
        texts[purpose] % {"code": code}
        + " "
        + _("It expires in %(minutes)d minutes. Do not share it.") % {"minutes": minutes}
    )
    return _("Verification code"), body


def phone_code_send(
    *, phone: str, purpose: str, deliver: bool, client_ip: str | None = None, scope: str = ""
) -> PhoneCode:
    """Record a code for (phone, purpose, scope) and text it if `deliver`; limits first.

    `deliver` is decided by the caller (does an account, or the case's party, have this
    number?) and never changes the answer, only whether an SMS goes out.
    """
    if purpose not in CodePurpose.values:
        raise invalid(_("Unknown purpose."), details={"field": "purpose"})
    phone = normalise_phone(phone)
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    recent = PhoneCode.objects.filter(created_at__gte=hour_ago)
    wait = setting("TRIBUNAL_PHONE_CODE_RESEND_SECONDS")
    last = recent.filter(phone=phone, purpose=purpose).order_by("-created_at").first()
    if last is not None and (now - last.created_at).total_seconds() < wait:
        raise _wait_error(int(wait - (now - last.created_at).total_seconds()) + 1)
    if recent.filter(phone=phone).count() >= setting("TRIBUNAL_PHONE_CODE_PER_PHONE_HOUR"):
        raise _flood_error()
    if client_ip and recent.filter(client_ip=client_ip).count() >= setting(
        "TRIBUNAL_PHONE_CODE_PER_ADDRESS_HOUR"
    ):
        raise _flood_error()
    code = new_digit_code()
    minutes = setting("TRIBUNAL_PHONE_CODE_TTL_MINUTES")
    with transaction.atomic():
        PhoneCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True).update(
            superseded=True
        )
        row = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            scope=scope[:64],
            code_hash=hash_secret(code, purpose=PURPOSE),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            max_attempts=setting("TRIBUNAL_PHONE_CODE_MAX_ATTEMPTS"),
            client_ip=client_ip,
            sent=deliver,
        )
        audit_record(
            actor=None,
            case=None,
            action="account.code_sent",
            data={
                "phone": masked_phone(phone),
                "purpose": purpose,
                "delivered": deliver,
                "ip_address": client_ip,
            },
        )
    if deliver:
        subject, body = _message(purpose, code, minutes)
        text_phone(phone=phone, subject=subject, body=body)
    return row


def phone_code_check(*, phone: str, purpose: str, code: str, scope: str = "") -> str:
    """Use up the latest code for (phone, purpose, scope); return the normalised phone.

    A wrong code counts against the code (not inside a rolled-back transaction); after
    max_attempts the code is dead and a new one must be asked for."""
    phone = normalise_phone(phone)
    code = "".join((code or "").split())[:12]
    if not code:
        raise invalid(_("Enter the code we texted you."), details={"field": "code"})
    row = (
        PhoneCode.objects.filter(
            phone=phone, purpose=purpose, scope=scope[:64], used_at__isnull=True, superseded=False
        )
        .order_by("-created_at")
        .first()
    )
    if row is None:
        raise invalid(
            _("No code is waiting for this number. Ask for a code first."),
            details={"field": "code", "code": "no_code"},
        )
    if row.expires_at <= timezone.now():
        raise DomainError(
            "code_expired",
            _("This code has expired. Ask for a new one."),
            status=400,
            details={"field": "code"},
        )
    if row.attempts >= row.max_attempts:
        raise DomainError(
            "too_many_attempts",
            _("Too many wrong codes. Ask for a new one."),
            status=429,
            details={"field": "code"},
        )
    if not row.sent or not secret_matches(code, row.code_hash, purpose=PURPOSE):
        PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
        left = row.max_attempts - row.attempts - 1
        audit_record(
            actor=None,
            case=None,
            action="account.code_wrong",
            data={"phone": masked_phone(phone), "purpose": purpose, "attempts_left": left},
        )
        if left <= 0:
            raise DomainError(
                "too_many_attempts",
                _("Too many wrong codes. Ask for a new one."),
                status=429,
                details={"field": "code"},
            )
        raise DomainError(
            "wrong_code",
            _("The code is not right. %(n)d tries left.") % {"n": left},
            status=400,
            details={"field": "code", "attempts_left": left},
        )
    used = PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
    if not used:  # another request used it at the same moment
        raise invalid(
            _("No code is waiting for this number. Ask for a code first."),
            details={"field": "code", "code": "no_code"},
        )
    return phone
