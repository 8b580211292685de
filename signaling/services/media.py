"""Media in the hearing, signaling side: pin a hearing to a media worker and keep the worker's
routing equal to the seat table.

* `media_attach` is called before a participant's `media.offer`/`media.restart`: it checks that
  they may have media (present, and admitted to a room, or waiting and allowed to publish: a
  waiting party's camera and microphone go one way to the clerk and the chair, who check the
  identity on camera; the engine forwards them to nobody else and records none of it), pins the hearing to a worker
  on its first media frame (or again when its worker died), and returns the worker's channel.
* `media_on_commit` runs at the end of every hearing service (signaling.services._common): for
  each seat the service changed it sends the worker the seat's routing state (room or none, mute,
  whether the role may publish, display name) after the commit, plus recording start/stop and the
  hearing's end, as typed commands (signaling/media_commands.py). Commands carry the event-log
  seq, so a worker never applies an older state over a newer one. Live captions
  (signaling.services.captions) start and stop the same way, and start again on a new worker.
* `recording_empty` is called by the worker when a stopped recording holds no media at all: the
  hearing's log records `recording.empty` and the tribunal gets a notice; nothing is filed.

Observers (the role matrix's `media.publish`) receive only: their seats are routed with
``publish: false`` and the engine refuses an offer of theirs that sends.

Recording takes the main room only: a caucus is never recorded, so it can never be heard in the
main room's recording or its composite.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from case_core.errors import DomainError, not_found
from case_core.models import Invitee
from signaling import media_commands as mc
from signaling import mediaworkers as mw
from signaling.models import WAITING, Admission, Presence, Seat
from signaling.services._common import (
    LIVE_STATUSES,
    PERMISSIONS,
    TRIBUNAL,
    Ctx,
    emit,
    hearing_action,
)

RECORDED_ROOMS = ("main",)
ROUTABLE_PRESENCE = (Presence.JOINED, Presence.RECONNECTING)
ROUTABLE_ADMISSION = (Admission.WAITING, Admission.ADMITTED)


def not_admitted() -> DomainError:
    return DomainError(
        "not_admitted",
        _("Audio and video start once you are admitted from the waiting room."),
        status=403,
    )


def media_unavailable() -> DomainError:
    return DomainError(
        "media_unavailable", _("No media server is available; try again shortly."), status=503
    )


def may_publish(role: str) -> bool:
    """Whether a hearing role may send audio and video (observers only receive)."""
    return role in PERMISSIONS["media.publish"]


def route_entry(seat: dict) -> mc.SeatRoute:
    """A seat (snapshot JSON) as the worker's routing state: room None means no media seat."""
    routable = (
        seat["presence"] in ROUTABLE_PRESENCE
        and seat["admission"] in ROUTABLE_ADMISSION
        and seat["room"] is not None
    )
    return mc.SeatRoute(
        participant=seat["user"],
        room=seat["room"] if routable else None,
        muted=bool(seat["muted"]),
        publish=may_publish(seat["role"]),
        watches_waiting=seat["role"] in PERMISSIONS["admit"],
        name=seat["name"],
        role=seat["role"],
    )


def _all_seats(ctx: Ctx) -> list[mc.SeatRoute]:
    from signaling.services.snapshot import seat_json

    seats = Seat.objects.filter(hearing=ctx.hearing).select_related("user", "room")
    return [route_entry(seat_json(s)) for s in seats]


def _pin(ctx: Ctx) -> tuple[str, bool]:
    """The hearing's worker; pins it (or re-pins it away from a dead worker). -> (channel, new)."""
    current = ctx.live.media_worker
    if current and mw.worker_alive(current):
        return current, False
    channel = mw.worker_choose()
    if channel is None:
        raise media_unavailable()
    ctx.live.media_worker = channel
    ctx.live.save(update_fields=["media_worker"])
    return channel, True


def media_attach(*, actor, hearing_id: int) -> dict:
    """Before an offer: may `actor` have media now? Returns {"worker": channel, "room": key}."""
    with hearing_action(hearing_id, actor) as ctx:
        if ctx.role is None:
            raise not_found()
        seat = Seat.objects.select_related("room").filter(hearing=ctx.hearing, user=actor).first()
        waiting = (
            seat is not None
            and seat.admission == Admission.WAITING
            and seat.room_id is not None
            and seat.room.key == WAITING
            and may_publish(ctx.role)
        )
        admitted = (
            seat is not None
            and seat.admission == Admission.ADMITTED
            and seat.room_id is not None
            and seat.room.key != WAITING
        )
        if seat is None or seat.presence != Presence.JOINED or not (waiting or admitted):
            raise not_admitted()
        if ctx.hearing.status not in LIVE_STATUSES:
            raise DomainError(
                "hearing_not_open",
                _("Media is available only while the hearing is open."),
                status=409,
            )
        channel, new = _pin(ctx)
        ctx.media_resync = True  # the worker gets every seat's state before this offer
        ctx.media_repinned = new
        return {"worker": channel, "room": seat.room.key}


def _captions_start(ctx: Ctx) -> mc.CaptionsStart:
    return mc.CaptionsStart(hearing=ctx.hearing.pk, language=ctx.hearing.language)


def media_on_commit(ctx: Ctx) -> None:
    """Queue the routing commands for what this service changed (see the module docstring)."""
    kinds = {item["frame"].get("event") for item in ctx.outbox}
    resync = getattr(ctx, "media_resync", False)
    channel = ctx.live.media_worker
    if "recording.started" in kinds:
        channel, new = _pin(ctx)
        resync = resync or new
    if not channel:
        return
    hearing_id = ctx.hearing.pk
    seq = ctx.live.last_seq
    commands: list[mc.MediaCommand] = []
    if resync:
        commands.append(mc.Route(hearing=hearing_id, seq=seq, seats=_all_seats(ctx)))
    else:
        seats = [
            route_entry(item["frame"]["seat"])
            for item in ctx.outbox
            if item["frame"].get("type") == "seat"
        ]
        if seats:
            commands.append(mc.Route(hearing=hearing_id, seq=seq, seats=seats))
    actor = (
        getattr(ctx.actor, "pk", None) if getattr(ctx.actor, "is_authenticated", False) else None
    )
    for item in ctx.outbox:
        event = item["frame"].get("event")
        if event == "recording.started":
            commands.append(mc.RecordStart(hearing=hearing_id, rooms=list(RECORDED_ROOMS)))
        elif event == "recording.stopped":
            commands.append(mc.RecordStop(hearing=hearing_id, actor=actor))
        elif event == "hearing.close":
            commands.append(mc.Close(hearing=hearing_id, actor=actor))
        elif event == "captions.enabled" and getattr(ctx, "captions_ready", False):
            commands.append(_captions_start(ctx))
        elif event == "captions.disabled":
            commands.append(mc.CaptionsStop(hearing=hearing_id))
    if (
        getattr(ctx, "media_repinned", False)
        and ctx.live.recording
        and "recording.started" not in kinds
    ):
        # Moved off a dead worker while recording: the recording goes on at the live one.
        commands.append(mc.RecordStart(hearing=hearing_id, rooms=list(RECORDED_ROOMS)))
    if resync and ctx.live.captions and "captions.enabled" not in kinds:
        from signaling.caption_support import caption_problem

        if caption_problem(ctx.hearing.language) is None:  # a (new) worker: caption it there too
            commands.append(_captions_start(ctx))
    if commands:
        transaction.on_commit(lambda: mw.send_commands_sync(channel, commands))


def recording_empty(*, hearing_id: int, actor_id: int | None = None) -> dict:
    """A stopped recording held no media (nobody's microphone or camera reached it): nothing is
    filed. Logs `recording.empty` and builds the tribunal's notice.
    -> {"frame": notice frame, "users": [tribunal user ids]}."""
    with hearing_action(hearing_id, None) as ctx:
        emit(ctx, "recording.empty", data={"actor": actor_id})
        hearing = ctx.hearing
    with override(hearing.language):
        text = _(
            "The recording held no audio or video (nobody's microphone or camera reached it), "
            "so nothing was added to the case file."
        )
    users = list(
        Invitee.objects.filter(hearing=hearing, role__in=TRIBUNAL).values_list("user_id", flat=True)
    )
    frame = {
        "type": "notice",
        "v": 1,
        "hearing": hearing.pk,
        "ref": None,
        "event": "recording.empty",
        "at": timezone.now().isoformat(),
        "message": str(text),
        "data": {"recording": False, "code": "recording_empty"},
    }
    return {"frame": frame, "users": users}
