"""The "next step" of a case for the person looking at it: their next hearing, when it is, how
long until it starts, what to prepare, and a join button that goes live JOIN_EARLY before the
start (or as soon as the waiting room is open).
"""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from case_core.models import CaseStatus, Hearing, HearingKind, HearingStatus, Invitee

JOIN_EARLY = timedelta(minutes=30)
LIVE = (HearingStatus.OPEN, HearingStatus.IN_SESSION, HearingStatus.PAUSED)
UPCOMING = (HearingStatus.SCHEDULED, *LIVE)
TRIBUNAL_ROLES = ("presiding", "arbitrator", "mediator", "clerk")
FINISHED_CASES = (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.CLOSED)
# A hearing's status in words of its own ("Closed" alone would read as the case's status).
STATUS_WORDS = {
    HearingStatus.SCHEDULED: pgettext_lazy("hearing status", "Scheduled"),
    HearingStatus.OPEN: pgettext_lazy("hearing status", "Waiting room open"),
    HearingStatus.IN_SESSION: pgettext_lazy("hearing status", "In session"),
    HearingStatus.PAUSED: pgettext_lazy("hearing status", "Paused"),
    HearingStatus.ADJOURNED: pgettext_lazy("hearing status", "Adjourned"),
    HearingStatus.CLOSED: pgettext_lazy("hearing status", "Ended"),
}


def upcoming_hearing(case, user) -> Hearing | None:
    """The case's next hearing `user` is invited to that is not over (earliest first)."""
    if case.status in FINISHED_CASES:
        return None
    return (
        Hearing.objects.filter(case=case, status__in=UPCOMING, invitees__user=user)
        .order_by("scheduled_start", "id")
        .first()
    )


def _prepare(hearing: Hearing, role: str) -> list[str]:
    if role in TRIBUNAL_ROLES:
        return []
    items = [
        _("A quiet, well-lit place and a phone or computer with a camera and microphone."),
        _("A charged battery and a steady internet connection (Wi-Fi if you can)."),
    ]
    if role != "observer":
        if hearing.kind == HearingKind.ARBITRATION:
            items.insert(0, _("Your identity document: the clerk checks it on camera."))
        items.append(_("The originals of your evidence, and your notes on the claims."))
    return items


def next_step(case, user) -> dict | None:
    """What the case page shows at the top for `user`, or None when no hearing is coming."""
    hearing = upcoming_hearing(case, user)
    if hearing is None:
        return None
    role = Invitee.objects.filter(hearing=hearing, user=user).values_list("role", flat=True).first()
    now = timezone.now()
    opens_at = hearing.scheduled_start - JOIN_EARLY
    return {
        "hearing": hearing,
        "role": role,
        "join_url": reverse("signaling:hearing", args=[hearing.pk]),
        "live": hearing.status in LIVE or now >= opens_at,
        "opens_at": opens_at,
        "started": now >= hearing.scheduled_start,
        "prepare": _prepare(hearing, role or ""),
    }
