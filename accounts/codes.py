"""Secrets the front door hands out: texted digit codes and case access codes, stored only as
salted HMACs and compared in constant time; phone numbers normalised with `phonenumbers`."""

from __future__ import annotations

import secrets

import phonenumbers
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from case_core.errors import invalid

# Access codes: 12 characters without look-alikes (no 0/O, 1/I/L), printed as XXXX-XXXX-XXXX.
ACCESS_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ACCESS_LENGTH = 12


def hash_secret(secret: str, *, purpose: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    digest = salted_hmac(f"accounts.{purpose}", f"{salt}:{secret}", algorithm="sha256")
    return f"{salt}${digest.hexdigest()}"


def secret_matches(secret: str, stored: str, *, purpose: str) -> bool:
    salt, _sep, _digest = stored.partition("$")
    return constant_time_compare(hash_secret(secret, purpose=purpose, salt=salt), stored)


def new_digit_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def new_access_code() -> str:
    raw = "".join(secrets.choice(ACCESS_ALPHABET) for _ in range(ACCESS_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, ACCESS_LENGTH, 4))


def normalise_access_code(text: str) -> str:
    """What the person typed, in the printed form (case, spaces and dashes forgiven)."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())[:64]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def normalise_phone(text: str, *, field: str = "phone") -> str:
    """A mobile number in E.164 (+8613800000000); mainland numbers may omit +86."""
    text = (text or "").strip()
    if not text or len(text) > 32:
        raise invalid(_("Enter a mobile phone number."), details={"field": field})
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise invalid(
            _("This is not a valid mobile number (for example 13800138000 or +85291234567)."),
            details={"field": field},
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise invalid(_("Codes are sent by SMS: enter a mobile number."), details={"field": field})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked_phone(phone: str) -> str:
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "****"
