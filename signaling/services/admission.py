"""The waiting room: identity checks by the clerk, admitting and refusing participants."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.errors import DomainError, conflict, invalid
from case_core.models import HearingKind
from signaling.frames import seat_frame, seat_json
from signaling.models import MAIN, WAITING, Admission, IdentityCheck, IdentityMethod, Presence, Seat
from signaling.services._common import VERIFIABLE, Ctx, emit, hearing_action, require_live
from signaling.services.links import links_revoke_for


def _seat_frame(seat: Seat) -> dict:
    return seat_frame(seat)


def identity_verify(*, actor, hearing_id: int, user_id: int, method: str, note: str = "") -> dict:
    """The clerk records that they checked a participant's identity (who, when, how)."""
    if method not in IdentityMethod.values:
        raise invalid(_("Unknown verification method."), details={"field": "method"})
    note = (note or "").strip()[:500]
    if method == IdentityMethod.OTHER and not note:
        raise invalid(_("Say how the identity was checked."), details={"field": "note"})
    with hearing_action(hearing_id, actor, "identity.verify") as ctx:
        seat = ctx.seat(user_id)
        if seat.role not in VERIFIABLE:
            raise conflict("not_verifiable", _("This participant's identity is not checked here."))
        now = timezone.now()
        IdentityCheck.objects.update_or_create(
            hearing=ctx.hearing,
            user=seat.user,
            defaults={"verified_by": actor, "verified_at": now, "method": method, "note": note},
        )
        seat.verified = True
        seat.save(update_fields=["verified", "updated_at"])
        emit(
            ctx,
            "identity.verified",
            frame=_seat_frame(seat),
            scope="present",
            subject=seat.user,
            data={"method": method, "note": note, "verified_by": actor.pk, "at": now.isoformat()},
        )
        return seat_json(seat)


def _check_admissible(ctx: Ctx, seat: Seat) -> None:
    if seat.admission != Admission.WAITING or seat.presence != Presence.JOINED:
        raise conflict("not_waiting", _("That person is not in the waiting room."))
    if (
        ctx.hearing.kind == HearingKind.ARBITRATION
        and seat.role in VERIFIABLE
        and not seat.verified
    ):
        raise DomainError(
            "not_verified",
            _("A party's identity must be verified before they are admitted."),
            status=409,
        )


def _admit(ctx: Ctx, seat: Seat, main) -> None:
    seat.admission = Admission.ADMITTED
    seat.room = main
    seat.save(update_fields=["admission", "room", "updated_at"])
    emit(
        ctx,
        "participant.admitted",
        frame=_seat_frame(seat),
        scope="present",
        subject=seat.user,
        room=MAIN,
    )


def _main_open(ctx: Ctx):
    main = ctx.room(MAIN)
    if main.locked:
        raise conflict("room_locked", _("The main room is locked; unlock it to admit people."))
    return main


def seat_admit(*, actor, hearing_id: int, user_id: int) -> dict:
    with hearing_action(hearing_id, actor, "admit") as ctx:
        require_live(ctx)
        seat = ctx.seat(user_id)
        _check_admissible(ctx, seat)
        _admit(ctx, seat, _main_open(ctx))
        return seat_json(seat)


def seat_admit_all(*, actor, hearing_id: int) -> dict:
    """Admit everyone waiting who may be admitted; report who was skipped and why."""
    with hearing_action(hearing_id, actor, "admit") as ctx:
        require_live(ctx)
        main = _main_open(ctx)
        admitted, skipped = [], []
        waiting = (
            Seat.objects.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(hearing=ctx.hearing, admission=Admission.WAITING, presence=Presence.JOINED)
        )
        for seat in waiting:
            try:
                _check_admissible(ctx, seat)
            except DomainError as err:
                skipped.append({"user": seat.user_id, "code": err.code})
                continue
            _admit(ctx, seat, main)
            admitted.append(seat.user_id)
        return {"admitted": admitted, "skipped": skipped}


def _refuse(ctx: Ctx, seat: Seat, reason: str) -> None:
    seat.admission = Admission.REFUSED
    seat.room = None
    seat.presence = Presence.LEFT
    seat.channel_name = ""
    seat.save()
    links_revoke_for(actor=ctx.actor, hearing=ctx.hearing, user_id=seat.user_id, reason="refused")
    emit(
        ctx,
        "participant.refused",
        frame=_seat_frame(seat),
        scope="present",
        subject=seat.user,
        room=WAITING,
        data={"reason": reason},
    )


def seat_refuse(*, actor, hearing_id: int, user_id: int, reason: str = "") -> dict:
    """Refuse someone in the waiting room: they are disconnected and cannot rejoin this hearing."""
    with hearing_action(hearing_id, actor, "refuse") as ctx:
        seat = ctx.seat(user_id)
        if seat.admission != Admission.WAITING or seat.room_id is None or seat.room.key != WAITING:
            raise conflict("not_waiting", _("That person is not in the waiting room."))
        _refuse(ctx, seat, (reason or "").strip()[:500])
        return seat_json(seat)


def seat_refuse_all(*, actor, hearing_id: int, reason: str = "") -> dict:
    with hearing_action(hearing_id, actor, "refuse") as ctx:
        refused = []
        waiting = (
            Seat.objects.select_for_update(of=("self",))
            .select_related("user", "room")
            .filter(hearing=ctx.hearing, admission=Admission.WAITING, room__key=WAITING)
        )
        for seat in waiting:
            _refuse(ctx, seat, (reason or "").strip()[:500])
            refused.append(seat.user_id)
        return {"refused": refused}
