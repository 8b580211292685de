"""The shape every hearing service shares: lock the hearing, check the role, change, log, publish.

`hearing_action` opens one transaction, locks the hearing's live row (so the services of one
hearing run one at a time on any number of server processes), and collects the frames to publish.
`emit` appends to the hearing's hash-chained event log, writes the case audit entry, and queues a
broadcast that is sent to the hearing's channel-layer group after the transaction commits.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.chain import chain_append
from case_core.errors import DomainError, forbidden, not_found
from case_core.models import Hearing, HearingStatus, Invitee, InviteeRole
from case_core.models.hearings import (
    HEARING_CHAIR_ROLES,
    HEARING_CONTROLLER_ROLES,
    HEARING_OBSERVER_ROLES,
    HEARING_TRIBUNAL_ROLES,
    HEARING_VERIFIABLE_ROLES,
)
from signaling.broadcast import publish_on_commit
from signaling.frames import event_frame
from signaling.models import (
    MAIN,
    WAITING,
    Admission,
    HearingEvent,
    HearingLive,
    HearingRoom,
    RoomKind,
    Seat,
)

R = InviteeRole
# Short names for the hearing-role sets, which are defined beside InviteeRole (see there).
TRIBUNAL = frozenset(HEARING_TRIBUNAL_ROLES)
CONTROLLERS = frozenset(HEARING_CONTROLLER_ROLES)
CHAIRS = frozenset(HEARING_CHAIR_ROLES)
VERIFIABLE = frozenset(HEARING_VERIFIABLE_ROLES)

# Which hearing roles may do what. One matrix, checked by `require`.
PERMISSIONS: dict[str, frozenset[str] | set[str]] = {
    "hearing.open": CONTROLLERS,
    "hearing.start": CHAIRS,
    "hearing.pause": CHAIRS,
    "hearing.resume": CHAIRS,
    "hearing.adjourn": CHAIRS,
    "hearing.close": CHAIRS,
    "hearing.reschedule": CONTROLLERS,
    "admit": CONTROLLERS,
    "refuse": CONTROLLERS,
    "invite": CONTROLLERS,  # a witness, interpreter, agent or observer during the hearing
    "identity.verify": {R.CLERK},
    "link.send": {R.CLERK},  # a party's personal hearing link (signaling/services/links.py)
    "link.revoke": {R.CLERK},
    "room.open": CHAIRS,
    "room.close": CHAIRS,
    "room.move": CHAIRS,
    "room.lock": CONTROLLERS,
    "participant.mute": CONTROLLERS,
    "participant.ask_unmute": CONTROLLERS,
    "participant.remove": CONTROLLERS,
    "floor.grant": CHAIRS,
    "recording.start": CONTROLLERS,
    "recording.stop": CONTROLLERS,
    "captions.set": CONTROLLERS,
    "hand.raise": {R.ARBITRATOR, *HEARING_VERIFIABLE_ROLES},
    "chat.send": set(R.values) - set(HEARING_OBSERVER_ROLES),
    "self.mute": set(R.values),
    # send audio/video (observers only receive; the media engine refuses their sending offers)
    "media.publish": set(R.values) - set(HEARING_OBSERVER_ROLES),
}

LIVE_STATUSES = (HearingStatus.OPEN, HearingStatus.IN_SESSION, HearingStatus.PAUSED)


@dataclass
class Ctx:
    hearing: Hearing
    live: HearingLive
    actor: object | None
    role: str | None  # the actor's invitee role, if any
    outbox: list = field(default_factory=list)

    def seat(self, user_id: int) -> Seat:
        seat = (
            Seat.objects.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(hearing=self.hearing, user_id=user_id)
            .first()
        )
        if seat is None:
            raise DomainError("no_such_participant", _("That person is not in this hearing."))
        return seat

    def room(self, key: str) -> HearingRoom:
        room = HearingRoom.objects.filter(hearing=self.hearing, key=key, is_open=True).first()
        if room is None:
            raise DomainError("no_such_room", _("There is no such room in this hearing."))
        return room


def invitee_role(hearing: Hearing, user) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Invitee.objects.filter(hearing=hearing, user=user).values_list("role", flat=True).first()


def require(ctx: Ctx, action: str) -> None:
    if ctx.role is None:
        raise not_found()
    if ctx.role not in PERMISSIONS[action]:
        raise forbidden(_("Your role in this hearing may not do this."))


def _ensure_live(hearing: Hearing) -> HearingLive:
    live, created = HearingLive.objects.get_or_create(hearing=hearing)
    if created:
        HearingRoom.objects.get_or_create(
            hearing=hearing, key=MAIN, defaults={"kind": RoomKind.MAIN, "label": ""}
        )
        HearingRoom.objects.get_or_create(
            hearing=hearing, key=WAITING, defaults={"kind": RoomKind.WAITING, "label": ""}
        )
    return live


@contextmanager
def hearing_action(hearing_id: int, actor, action: str | None = None):
    """One transaction holding the hearing's lock; yields a Ctx. Raises not_found for outsiders."""
    with transaction.atomic():
        hearing = Hearing.objects.select_related("case").filter(pk=hearing_id).first()
        if hearing is None:
            raise not_found()
        live = HearingLive.objects.select_for_update().filter(hearing=hearing).first()
        if live is None:
            _ensure_live(hearing)
            live = HearingLive.objects.select_for_update().get(hearing=hearing)
        ctx = Ctx(hearing=hearing, live=live, actor=actor, role=invitee_role(hearing, actor))
        if action is not None:
            require(ctx, action)
        yield ctx
        if ctx.outbox:
            publish_on_commit(hearing.pk, ctx.outbox)
        from signaling.services.media import media_on_commit

        media_on_commit(ctx)  # tells the hearing's media worker about seat and recording changes


def ensure_seat(ctx: Ctx, user, role: str) -> Seat:
    seat, _created = Seat.objects.select_for_update(of=("self",)).get_or_create(
        hearing=ctx.hearing,
        user=user,
        defaults={
            "role": role,
            "admission": Admission.ADMITTED if role in TRIBUNAL else Admission.WAITING,
        },
    )
    return seat


def emit(
    ctx: Ctx,
    kind: str,
    *,
    frame: dict | None = None,
    scope: str = "all",
    subject=None,
    room: str = "",
    data: dict | None = None,
    audit: bool = True,
    meta: dict | None = None,
) -> HearingEvent:
    """Log one event (hash-chained), audit it, and queue `frame` for the hearing's group."""
    live = ctx.live
    actor = ctx.actor if getattr(ctx.actor, "is_authenticated", False) else None
    event = HearingEvent(
        hearing=ctx.hearing,
        kind=kind,
        actor=actor,
        subject_id=getattr(subject, "pk", subject),
        room=room,
        data=data or {},
        created_at=timezone.now(),
    )
    chain_append(live, event)
    if audit:
        audit_record(
            actor=actor,
            case=ctx.hearing.case,
            action=f"hearing.{kind}",
            data={
                "hearing": ctx.hearing.pk,
                "seq": event.seq,
                "subject": event.subject_id,
                "room": room,
                **event.data,
            },
        )
    if frame is not None:
        item = {
            "frame": event_frame(frame, seq=event.seq, event=kind, at=event.created_at),
            "scope": scope,
            "room": room,
            "user": event.subject_id,
        }
        if meta:
            item.update(meta)
        ctx.outbox.append(item)
    return event


def require_live(ctx: Ctx) -> None:
    if ctx.hearing.status not in LIVE_STATUSES:
        raise DomainError(
            "hearing_not_open",
            _("The hearing is %(status)s; this is possible only while it is open.")
            % {"status": ctx.hearing.get_status_display()},
            status=409,
        )
