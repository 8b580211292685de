"""What goes into a hearing's minutes, collected from the case, the event log and the transcript.

`minutes_record(hearing)` returns plain data (already translated: call it inside
`translation.override(hearing.language)`); minutes.pdf lays it out.

The minutes are read and signed by both sides and shown to observers, so they hold only what
everyone present saw: the procedural events of the hearing (each one broadcast to all present,
described by a fixed sentence, never by text someone typed) and the chat of the main room. Chat in
a private room (a caucus) was delivered to that room alone; it stays in the event log for the
record and never enters the minutes. The transcript is of the main room's recording only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.models import Hearing, Invitee, InviteeRole
from case_core.models.hearings import HEARING_TRIBUNAL_ROLES
from minutes.hearing_log import MAIN_ROOM, WAITING_ROOM, hearing_events, identity_checks
from signaling.models import IdentityMethod
from transcription.exports import role_label
from transcription.transcript_models import Transcript, TranscriptStatus


@dataclass
class Person:
    user_id: int
    name: str
    role: str
    role_label: str
    present: bool = False
    first_seen: datetime | None = None
    identity: str = ""  # how the identity was checked, or "" if it was not


@dataclass
class MinutesRecord:
    case_number: str
    case_title: str
    tribunal: str
    hearing_kind: str
    language: str
    scheduled: datetime
    started: datetime | None
    ended: datetime | None
    parties: list[tuple[str, str]] = field(default_factory=list)  # (side label, name)
    people: list[Person] = field(default_factory=list)  # every invitee, tribunal first
    proceedings: list[tuple[datetime, str]] = field(default_factory=list)
    chat: list[tuple[datetime, str, str]] = field(default_factory=list)  # at, who, text: main room
    transcript: Transcript | None = None
    transcript_rows: list[tuple[float, str, str]] = field(default_factory=list)  # t, who, text

    @property
    def present(self) -> list[Person]:
        return [p for p in self.people if p.present]


def clock(value: datetime | None, with_date: bool = False) -> str:
    if value is None:
        return "—"
    value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def offset(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def tribunal_name() -> str:
    return settings.TRIBUNAL_NAME or _("Labour Dispute Arbitration Committee")


def _room_label(key: str, labels: dict[str, str]) -> str:
    if key == MAIN_ROOM:
        return _("main room")
    if key == WAITING_ROOM:
        return _("waiting room")
    return labels.get(key) or key


def _describe(event: dict, labels: dict[str, str]) -> str | None:
    """One line of the record for an event, or None for events the minutes leave out."""
    kind, who, actor = event["kind"], event["subject_name"], event["actor_name"]
    data = event["data"]
    room = _room_label(event["room"], labels)
    lines = {
        "hearing.open": _("%(actor)s opened the waiting room."),
        "hearing.start": _("%(actor)s opened the hearing."),
        "hearing.pause": _("%(actor)s paused the hearing."),
        "hearing.resume": _("%(actor)s resumed the hearing."),
        "hearing.adjourn": _("%(actor)s adjourned the hearing."),
        "hearing.close": _("%(actor)s closed the hearing."),
        "presence.joined": _("%(who)s joined."),
        "presence.left": _("%(who)s left."),
        "presence.grace_expired": _("%(who)s lost the connection and did not return."),
        "identity.verified": _("%(actor)s checked the identity of %(who)s (%(method)s)."),
        "participant.admitted": _("%(actor)s admitted %(who)s to the hearing."),
        "participant.refused": _("%(actor)s refused to admit %(who)s."),
        "participant.removed": _("%(actor)s removed %(who)s from the hearing."),
        "room.opened": _("%(actor)s opened the private room “%(room)s”."),
        "room.closed": _("%(actor)s closed the private room “%(room)s”."),
        "room.moved": _("%(who)s was moved to the %(room)s."),
        "recording.started": _("%(actor)s started the recording."),
        "recording.stopped": _("The recording stopped."),
    }
    template = lines.get(kind)
    if template is None:
        return None
    method = data.get("method", "")
    if method:
        method = str(dict(IdentityMethod.choices).get(method, method))
    if kind == "room.moved" and event["room"] not in (MAIN_ROOM, WAITING_ROOM):
        template = _("%(who)s was moved to the private room “%(room)s”.")
    return template % {
        "actor": actor or _("The system"),
        "who": who or _("someone"),
        "room": room,
        "method": method,
    }


def _people(hearing: Hearing, events: list[dict]) -> list[Person]:
    checks = identity_checks(hearing)
    seen: dict[int, datetime] = {}
    for event in events:
        present = event["kind"] == "participant.admitted" or (
            event["kind"] in ("presence.joined", "presence.rejoined") and event["room"] == MAIN_ROOM
        )
        if present and event["subject_id"] and event["subject_id"] not in seen:
            seen[event["subject_id"]] = event["at"]
    order = {role: i for i, role in enumerate(InviteeRole.values)}
    invitees = sorted(
        Invitee.objects.filter(hearing=hearing).select_related("user"),
        key=lambda inv: (inv.role not in HEARING_TRIBUNAL_ROLES, order.get(inv.role, 99), inv.pk),
    )
    people = []
    for inv in invitees:
        check = checks.get(inv.user_id)
        people.append(
            Person(
                user_id=inv.user_id,
                name=inv.user.name,
                role=inv.role,
                role_label=role_label(inv.role),
                present=inv.user_id in seen,
                first_seen=seen.get(inv.user_id),
                identity=check["method_label"] if check else "",
            )
        )
    return people


def latest_transcript(hearing: Hearing) -> Transcript | None:
    return hearing.transcripts.order_by("-created_at", "-id").first()


def minutes_record(hearing: Hearing) -> MinutesRecord:
    case = hearing.case
    events = hearing_events(hearing)
    labels = {e["room"]: e["data"].get("label", "") for e in events if e["kind"] == "room.opened"}
    record = MinutesRecord(
        case_number=case.number or f"#{case.pk}",
        case_title=case.title,
        tribunal=tribunal_name(),
        hearing_kind=str(hearing.get_kind_display()),
        language=hearing.language,
        scheduled=hearing.scheduled_start,
        started=hearing.started_at,
        ended=hearing.ended_at,
    )
    for party in case.parties.all():
        record.parties.append((str(party.get_side_display()), party.name))
    record.people = _people(hearing, events)
    for event in events:
        if event["kind"] == "chat.message":
            if event["room"] == MAIN_ROOM:  # caucus chat reached its room only: never here
                who = event["subject_name"] or event["actor_name"]
                record.chat.append((event["at"], who, event["data"].get("text", "")))
            continue
        line = _describe(event, labels)
        if line:
            record.proceedings.append((event["at"], line))
    transcript = latest_transcript(hearing)
    if transcript is not None and transcript.status == TranscriptStatus.REVIEWED:
        record.transcript = transcript
        for seg in transcript.segments.order_by("order", "id"):
            who = f"{seg.speaker_name} ({role_label(seg.speaker_role)})"
            record.transcript_rows.append((seg.start, who, seg.text))
    return record
