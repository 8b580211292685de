"""The media library's refusals as the wire's error: same code, a translated message.

`MediaError` (media/errors.py) is English and knows nothing of the project; the client gets a
DomainError rendered as an `error` frame with the same code. The library's own words go into
``details.detail`` (for developers), its details (``reason`` of a refused candidate) stay.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from case_core.errors import DomainError
from media.errors import MediaError

MESSAGES = {
    "not_admitted": _("Audio and video start once you are admitted from the waiting room."),
    "no_session": _("There is no media connection to apply this to: send media.offer first."),
    "wrong_session": _("This ICE candidate belongs to another media connection."),
    "bad_sdp": _("The media offer was refused: its SDP cannot be used."),
    "unsupported_codec": _("The media offer has no VP8 video or no Opus audio."),
    "bad_candidate": _("This ICE candidate was refused."),
    "publish_forbidden": _(
        "Your role in this hearing receives audio and video but may not send them."
    ),
    "invalid": _("The media command is not valid."),
}


def wire_error(exc: MediaError) -> DomainError:
    message = MESSAGES.get(exc.code)
    details = dict(exc.details)
    if message is None:
        text = exc.message
    else:
        text = str(message)
        details["detail"] = exc.message
    return DomainError(exc.code, text, status=exc.status, details=details)
