"""The notification service: SMS and e-mail through pluggable backends, with an outbox record.

A backend is any class with `send(notification) -> None` that raises on failure. The defaults
write to the console (ConsoleBackend) or a file (FileBackend); a real SMS gateway or SMTP is a
dotted path in TRIBUNAL_SMS_BACKEND / TRIBUNAL_EMAIL_BACKEND.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from case_core.models import Notification

log = logging.getLogger(__name__)


class ConsoleBackend:
    """Writes each message to standard error (standard output stays clean for --json)."""

    def send(self, notification: Notification) -> None:
        sys.stderr.write(
            f"[{notification.channel} to {notification.address}] {notification.subject}: "
            f"{notification.body}\n"
        )


class FileBackend:
    def send(self, notification: Notification) -> None:
        with open(settings.TRIBUNAL_NOTIFICATION_FILE, "a", encoding="utf-8") as out:
            out.write(
                f"{timezone.now().isoformat()}\t{notification.channel}\t{notification.address}\t"
                f"{notification.subject}\t{notification.body}\n"
            )


class DjangoEmailBackend:
    """E-mail through Django's configured EMAIL_BACKEND (SMTP in a real deployment)."""

    def send(self, notification: Notification) -> None:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.address],
            fail_silently=False,
        )


def _backend(channel: str):
    path = settings.TRIBUNAL_SMS_BACKEND if channel == "sms" else settings.TRIBUNAL_EMAIL_BACKEND
    return import_string(path)()


def notify(
    *,
    user,
    subject: str,
    body: str,
    case=None,
    channels: tuple[str, ...] = ("sms", "email"),
    redact: tuple[str, ...] = (),
) -> list[Notification]:
    """Send to every address the user has (phone by SMS, e-mail); failures are kept, not raised.

    `channels` limits the channels used (a one-time code goes by SMS only); each string in
    `redact` is sent to the gateway but masked in the stored outbox record.
    """
    sent = []
    stored = body
    for secret in redact:
        stored = stored.replace(secret, "*" * len(secret))
    for channel, address in (("sms", user.phone), ("email", user.email)):
        if not address or channel not in channels:
            continue
        note = Notification.objects.create(
            case=case, user=user, channel=channel, address=address, subject=subject, body=stored
        )
        note.body = body  # the gateway gets the real text; the outbox row keeps `stored`
        try:
            _backend(channel).send(note)
            note.sent_at = timezone.now()
        except Exception as exc:  # a gateway failure must not undo the case action
            log.warning("notification %s failed: %s", note.pk, exc)
            note.error = str(exc)[:1000]
        note.body = stored
        note.save(update_fields=["sent_at", "error"])
        sent.append(note)
    return sent
