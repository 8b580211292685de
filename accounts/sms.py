"""Texting a phone that may have no account yet, through the configured SMS backend.

case_core.notifications.notify keeps its outbox per user; a sign-up code goes to a number that
is no one's yet, so it is handed to the same backend (TRIBUNAL_SMS_BACKEND) as an unsaved
Notification. A gateway failure is logged and returns False; it never raises."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from case_core.models import Notification

log = logging.getLogger(__name__)


def text_phone(*, phone: str, subject: str, body: str) -> bool:
    note = Notification(channel="sms", address=phone, subject=subject, body=body)
    try:
        import_string(settings.TRIBUNAL_SMS_BACKEND)().send(note)
    except Exception as exc:  # a gateway failure is reported, not raised
        log.warning("SMS to %s failed: %s", phone[:4], exc)
        return False
    return True
