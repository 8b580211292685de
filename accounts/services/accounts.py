"""Accounts by phone: sign-up, sign-in by code, password reset by code, change of phone.

The account's username is its phone number in E.164 at sign-up; `user_for_phone` finds the one
active account a number signs in to (None if there is none or it is ambiguous). Every event is
audited without a case: account.signed_up, account.signed_in (web_client signs in; the audit is
the `user_logged_in` receiver in accounts/signals.py), account.password_reset,
account.phone_changed.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.codes import masked_phone, normalise_phone
from accounts.models import CodePurpose
from accounts.services.phone import phone_code_check, phone_code_send
from case_core.audit import audit_record
from case_core.errors import DomainError, invalid
from case_core.models import User


def user_for_phone(phone: str) -> User | None:
    users = list(User.objects.filter(phone=phone, is_active=True)[:5])
    if len(users) == 1:
        return users[0]
    return next((u for u in users if u.username == phone), None)


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise invalid(" ".join(exc.messages), details={"field": "password"}) from None


def account_code_send(*, phone: str, purpose: str, client_ip: str | None = None) -> None:
    """Send a sign-up, sign-in or reset code; the answer is the same whoever owns the number."""
    phone = normalise_phone(phone)
    exists = user_for_phone(phone) is not None
    deliver = not exists if purpose == CodePurpose.SIGNUP else exists
    phone_code_send(phone=phone, purpose=purpose, deliver=deliver, client_ip=client_ip)


def account_signup(*, phone: str, code: str, name: str, password: str = "") -> User:
    """Create an account for a phone that proved itself with its code."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise invalid(_("Enter your name (at most 100 characters)."), details={"field": "name"})
    if password:
        _check_password(password)
    phone = phone_code_check(phone=phone, purpose=CodePurpose.SIGNUP, code=code)
    try:
        with transaction.atomic():
            if user_for_phone(phone) is not None or User.objects.filter(username=phone).exists():
                raise IntegrityError
            user = User.objects.create_user(
                username=phone, phone=phone, display_name=name, password=password or None
            )
            audit_record(
                actor=user,
                case=None,
                action="account.signed_up",
                data={"user": user.pk, "phone": masked_phone(phone), "password": bool(password)},
            )
    except IntegrityError:
        raise DomainError(
            "account_exists",
            _("This number already has an account. Sign in instead."),
            status=409,
            details={"field": "phone"},
        ) from None
    return user


def account_code_signin(*, phone: str, code: str) -> User:
    """The account a sign-in code proves; the caller signs it in."""
    phone = phone_code_check(phone=phone, purpose=CodePurpose.SIGNIN, code=code)
    user = user_for_phone(phone)
    if user is None:  # the code was never texted, so this cannot be reached with a right code
        raise invalid(_("The code is not right."), details={"field": "code"})
    return user


def account_password_reset(*, phone: str, code: str, password: str) -> User:
    phone = normalise_phone(phone)
    user = user_for_phone(phone)
    _check_password(password, user)
    phone_code_check(phone=phone, purpose=CodePurpose.RESET, code=code)
    if user is None:
        raise invalid(_("The code is not right."), details={"field": "code"})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            case=None,
            action="account.password_reset",
            data={"user": user.pk, "phone": masked_phone(phone)},
        )
    return user


def account_phone_change_send(*, actor: User, phone: str, client_ip: str | None = None) -> None:
    phone = normalise_phone(phone)
    taken = user_for_phone(phone)
    phone_code_send(
        phone=phone,
        purpose=CodePurpose.PHONE_CHANGE,
        deliver=taken is None or taken == actor,
        client_ip=client_ip,
        scope=str(actor.pk),
    )


def account_phone_change(*, actor: User, phone: str, code: str) -> User:
    """Change the phone that signing codes go to, after the new number proved itself."""
    phone = phone_code_check(
        phone=phone, purpose=CodePurpose.PHONE_CHANGE, code=code, scope=str(actor.pk)
    )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        old = user.phone
        user.phone = phone
        user.save(update_fields=["phone"])
        audit_record(
            actor=actor,
            case=None,
            action="account.phone_changed",
            data={
                "user": user.pk,
                "old": masked_phone(old) if old else "",
                "new": masked_phone(phone),
            },
        )
    return user
