"""Inviting a witness, an interpreter, an agent or an observer during the hearing: the clerk or
the chair adds the person (an account opened for a new mobile number), it is logged and audited,
and a witness, interpreter or agent gets a personal link; bad input changes nothing."""

from __future__ import annotations

import pytest

from case_core.errors import DomainError
from case_core.models import AuditEntry, Invitee, StaffRole, User
from signaling.models import HearingEvent, HearingLink
from signaling.services import invitee_invite
from tests.support.hearing_client import connect, control
from tests.support.personas import make_user

PHONE = "13912345678"


def _counts(hearing):
    return (
        Invitee.objects.filter(hearing=hearing).count(),
        User.objects.count(),
        HearingLink.objects.filter(hearing=hearing).count(),
    )


@pytest.mark.django_db
def test_it_invites_a_new_witness_with_a_personal_link(hearing, clerk):
    result = invitee_invite(
        actor=clerk, hearing_id=hearing.pk, role="witness", name="Zhao Liu", phone="139 1234 5678"
    )
    user = User.objects.get(pk=result["user"])
    assert user.phone == PHONE and user.name == "Zhao Liu" and not user.has_usable_password()
    assert result["link_sent"] is True
    assert Invitee.objects.get(hearing=hearing, user=user).role == "witness"
    assert HearingLink.objects.filter(hearing=hearing, user=user).count() == 1
    event = HearingEvent.objects.get(hearing=hearing, kind="participant.invited")
    assert event.subject_id == user.pk and event.data["role"] == "witness"
    assert AuditEntry.objects.filter(action="hearing.participant.invited").exists()


@pytest.mark.django_db
def test_it_refuses_bad_invitations_and_changes_nothing(hearing, clerk, applicant):
    invitee_invite(actor=clerk, hearing_id=hearing.pk, role="interpreter", name="Sun", phone=PHONE)
    before = _counts(hearing)
    cases = [
        (clerk, {"role": "judge", "name": "X", "phone": "13900000001"}, "invalid", 400),
        (clerk, {"role": "witness", "name": " ", "phone": "13900000001"}, "invalid", 400),
        (clerk, {"role": "witness", "name": "X", "phone": "call me"}, "invalid", 400),
        (clerk, {"role": "witness", "name": "Sun", "phone": PHONE}, "already_invited", 409),
        (
            clerk,
            {"role": "observer", "name": "X", "phone": "13900000001"},
            "observer_needs_account",
            409,
        ),
        (applicant, {"role": "witness", "name": "X", "phone": "13900000001"}, "forbidden", 403),
    ]
    for actor, fields, code, status in cases:
        with pytest.raises(DomainError) as caught:
            invitee_invite(actor=actor, hearing_id=hearing.pk, **fields)
        assert (caught.value.code, caught.value.status) == (code, status), fields
    assert _counts(hearing) == before
    observer = make_user("visiting-observer", StaffRole.OBSERVER)
    observer.phone = "13900000009"
    observer.save()
    result = invitee_invite(
        actor=clerk, hearing_id=hearing.pk, role="observer", name="-", phone="13900000009"
    )
    assert result == {
        "user": observer.pk,
        "role": "observer",
        "name": observer.name,
        "link_sent": False,
    }


@pytest.mark.django_db(transaction=True)
async def test_it_invites_over_the_hearing_protocol(hearing, clerk, applicant):
    desk = await connect(hearing, clerk)
    await control(desk, "open")
    result = await desk.ok("invite", role="agent", name="Lawyer Qian", phone="13800000002")
    assert result["link_sent"] is True and result["role"] == "agent"
    bad = await desk.refused("invite", "invalid_frame", role="judge", name="X", phone="13800000003")
    assert bad["ref"]
    party = await connect(hearing, applicant)
    await party.refused("invite", "forbidden", role="witness", name="X", phone="13800000004")
    await desk.close()
    await party.close()
