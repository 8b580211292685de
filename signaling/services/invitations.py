"""Inviting someone during a hearing: a witness, an interpreter, an agent or an observer.

`invitee_invite` (the clerk or the chair) finds the person by mobile number or opens an account
for them (no password: they come in through their personal link), adds them to the hearing with
the role, logs and audits `participant.invited`, and texts witnesses, interpreters and agents a
personal link (signaling/services/links.py). An observer must already have an account (observers
are staff and sign in). Bad input is a typed 400 and changes nothing.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from case_core.errors import DomainError, conflict, invalid
from case_core.models import HearingStatus, Invitee, User
from signaling.services._common import emit, hearing_action
from signaling.services.links import _issue, link_eligible, notify_link

INVITABLE = ("witness", "interpreter", "agent", "observer")
PHONE = re.compile(r"^\+?\d{6,15}$")


def _phone(text: str) -> str:
    phone = re.sub(r"[\s\-()]", "", text or "")
    if not PHONE.match(phone):
        raise invalid(_("Enter a mobile phone number."), details={"field": "phone"})
    return phone


def _person(phone: str, name: str, role: str) -> User:
    users = list(User.objects.filter(phone=phone, is_active=True)[:2])
    if len(users) == 1:
        return users[0]
    if users:
        raise conflict("phone_ambiguous", _("More than one account has this mobile number."))
    if role == "observer":
        raise conflict(
            "observer_needs_account", _("An observer must have an account on the platform.")
        )
    if User.objects.filter(username=phone).exists():
        raise conflict("phone_taken", _("This mobile number belongs to a closed account."))
    user = User(username=phone, phone=phone, display_name=name)
    user.set_unusable_password()
    user.save()
    return user


def invitee_invite(*, actor, hearing_id: int, role: str, name: str, phone: str) -> dict:
    """Add a person to the hearing with `role`; returns {"user", "role", "link_sent"}."""
    if role not in INVITABLE:
        raise invalid(_("Choose who to invite."), details={"field": "role"})
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise invalid(_("Enter the person's name."), details={"field": "name"})
    phone = _phone(phone)
    with hearing_action(hearing_id, actor, "invite") as ctx:
        hearing = ctx.hearing
        if hearing.status == HearingStatus.CLOSED:
            raise DomainError("hearing_closed", _("This hearing is closed."), status=410)
        user = _person(phone, name, role)
        if Invitee.objects.filter(hearing=hearing, user=user).exists():
            raise conflict("already_invited", _("This person is already invited to the hearing."))
        invitee = Invitee.objects.create(hearing=hearing, user=user, role=role)
        emit(
            ctx,
            "participant.invited",
            subject=user,
            data={"role": role, "by": actor.pk},
        )
        sent = link_eligible(invitee)
        if sent:
            link, url = _issue(hearing, invitee, actor)
            expires_at = link.expires_at
            transaction.on_commit(lambda: notify_link(hearing, user, url, expires_at))
        return {"user": user.pk, "role": role, "name": user.name, "link_sent": sent}
