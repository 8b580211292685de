"""Reading texted codes from the file outbox the suite's SMS backend writes (tests/conftest.py)."""

from __future__ import annotations

import re

from django.conf import settings


def texts_to(phone: str) -> list[str]:
    try:
        lines = open(settings.TRIBUNAL_NOTIFICATION_FILE, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return []
    return [line for line in lines if f"\tsms\t{phone}\t" in line]


def last_code(phone: str) -> str:
    """The last six-digit code texted to `phone` (E.164)."""
    for line in reversed(texts_to(phone)):
        match = re.search(r"(?<!\d)(\d{6})(?!\d)", line.split("\t", 4)[-1])
        if match:
            return match.group(1)
    raise AssertionError(f"no code was texted to {phone}")
