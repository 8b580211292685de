"""Outbound frames of the hearing protocol, built in one place (inbound ones: protocol.py).

The JSON shapes of a seat, a room and the hearing (`seat_json`, `room_json`, `hearing_json`)
live here too. Every frame the server sends has "type" and "v" (protocol.VERSION); broadcasts of logged events
also carry "seq", "event" and "at" (`event_frame`), replies carry the request's "ref". Services
and consumers call these builders instead of writing dicts, so the shapes in docs/protocol.md
live here.

Notices are written once, in the hearing's language (the event log keeps that), and each
connection re-renders the ones named in NOTICE_TEXTS in its own page's language
(`notice_localized`), so a recipient reads a server notice in the language of their page.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from case_core.models import Hearing
from signaling.models import HearingLive, HearingRoom, Seat
from signaling.protocol import VERSION


def seat_json(seat: Seat) -> dict:
    user = seat.user
    return {
        "user": seat.user_id,
        "name": user.name,
        "role": seat.role,
        "room": seat.room.key if seat.room_id else None,
        "admission": seat.admission,
        "presence": seat.presence,
        "verified": seat.verified,
        "muted": seat.muted,
        "mute_locked": seat.mute_locked,
        "hand_raised": seat.hand_raised,
        "floor": seat.has_floor,
    }


def room_json(room: HearingRoom) -> dict:
    return {
        "key": room.key,
        "kind": room.kind,
        "label": room.label,
        "locked": room.locked,
        "open": room.is_open,
    }


def hearing_json(hearing: Hearing, live: HearingLive | None = None) -> dict:
    live = live or HearingLive.objects.filter(hearing=hearing).first()
    return {
        "id": hearing.pk,
        "kind": hearing.kind,
        "status": hearing.status,
        "scheduled_start": hearing.scheduled_start.isoformat(),
        "started_at": hearing.started_at.isoformat() if hearing.started_at else None,
        "ended_at": hearing.ended_at.isoformat() if hearing.ended_at else None,
        "language": hearing.language,
        "recording": bool(live and live.recording),
        "captions": bool(live and live.captions),
        "case": {"id": hearing.case_id, "number": hearing.case.number, "title": hearing.case.title},
    }


def _frame(type_: str, **fields) -> dict:
    return {"type": type_, "v": VERSION, **fields}


def seat_frame(seat) -> dict:
    return _frame("seat", seat=seat_json(seat))


def room_frame(room) -> dict:
    return _frame("room", room=room_json(room))


def hearing_frame(hearing, live=None) -> dict:
    return _frame("hearing", hearing=hearing_json(hearing, live))


def notice_frame(message: str, data: dict | None = None, **fields) -> dict:
    return _frame("notice", message=str(message), data=data or {}, **fields)


# Notice event -> its text (no placeholders): each recipient's connection renders it in its
# language. A notice whose event is not here keeps the hearing-language message it was built with.
NOTICE_TEXTS = {
    "recording.started": gettext_lazy("This hearing is now being recorded."),
    "recording.stopped": gettext_lazy("Recording has stopped."),
    "notice.unmute_requested": gettext_lazy("You are asked to unmute your microphone."),
    "recording.empty": gettext_lazy(
        "The recording held no audio or video (nobody's microphone or camera reached it), "
        "so nothing was added to the case file."
    ),
}


def notice_localized(frame: dict, language: str | None) -> dict:
    """A notice frame with its message in `language` (other frames are returned as they are)."""
    text = NOTICE_TEXTS.get(frame.get("event") or "") if frame.get("type") == "notice" else None
    if text is None or not language:
        return frame
    with translation.override(language):
        return {**frame, "message": str(text)}


def event_frame(frame: dict, *, seq: int, event: str, at: datetime) -> dict:
    """A logged event's broadcast: the frame stamped with the event log's seq, kind and time."""
    return {**frame, "v": VERSION, "seq": seq, "event": event, "at": at.isoformat()}


def addressed(frame: dict, *, hearing: int, ref: str | None = None) -> dict:
    """A frame sent outside a reply (from a worker or a notice): the hearing and a null ref."""
    return {**frame, "v": VERSION, "hearing": int(hearing), "ref": ref}


def error_frame(code: str, message: str, ref=None, details: dict | None = None) -> dict:
    frame = _frame("error", code=code, message=str(message), ref=ref)
    if details:
        frame["details"] = details
    return frame


def ack_frame(ref, of: str, result=None) -> dict:
    return _frame("ack", ref=ref, of=of, result=result)


def pong_frame(ref) -> dict:
    return _frame("pong", ref=ref, ts=timezone.now().timestamp())


def roster_frame(ref, roster: dict) -> dict:
    return _frame("roster", ref=ref, **roster)
