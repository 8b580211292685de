"""Parties' personal hearing links (a texted code before any credential; revocable; parties only)
and the rate limits on credentials and link codes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from case_core.models import AuditEntry, Invitee, Notification
from signaling.models import Admission, HearingLink, Seat
from signaling.services import (
    credential_redeem,
    hearing_reschedule,
    hearing_transition,
    identity_verify,
    participant_remove,
    seat_admit,
    seat_join,
    seat_refuse,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
# The SECRET_KEY the embedded default used to fall back to: published in the project's history.
PUBLISHED_KEY = "embedded-insecure-key-change-me-for-any-deployment-0123456789abcdef"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def rescheduled(hearing, clerk, django_capture_on_commit_callbacks):
    """Reschedule `hearing` (as the clerk would); returns a function that does it again."""

    def again(days: int = 10):
        start = timezone.now() + timedelta(days=days)
        with django_capture_on_commit_callbacks(execute=True):
            hearing_reschedule(actor=clerk, hearing_id=hearing.pk, start=start)

    again()
    return again


def link_path(user, hearing) -> str:
    """The path of the newest personal link texted to `user` for `hearing`."""
    note = (
        Notification.objects.filter(user=user, channel="sms", body__contains="/join/")
        .order_by("-pk")
        .first()
    )
    assert note is not None, f"no link was texted to {user}"
    return re.search(rf"/hearings/{hearing.pk}/join/[\w-]+/", note.body).group(0)


def texted_code() -> str:
    """The last one-time code in the SMS outbox file (i.e. on the party's phone)."""
    lines = Path(settings.TRIBUNAL_NOTIFICATION_FILE).read_text(encoding="utf-8").splitlines()
    for line in reversed(lines):
        _at, channel, _address, _subject, body = line.split("\t", 4)
        match = re.search(r"(?<!\d)(\d{6})(?!\d)", body)
        if channel == "sms" and match:
            return match.group(1)
    raise AssertionError("no code was texted")


def unlock(client, path: str) -> None:
    assert client.post(path + "code/").status_code == 302
    assert client.post(path + "verify/", {"code": texted_code()}).status_code == 302


def credential(client, hearing, **extra):
    return client.post(f"/hearings/{hearing.pk}/credential/", **JSON, **extra)


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_it_refuses_a_link_forged_with_the_old_published_key(client, hearing, arbitrator, settings):
    settings.SECRET_KEY = PUBLISHED_KEY  # as on a server still running the old embedded default
    forged = signing.dumps({"h": hearing.pk, "u": arbitrator.pk}, salt="signaling.invite")
    page = client.get(f"/hearings/{hearing.pk}/join/{forged}/")
    assert page.status_code == 404
    reply = credential(client, hearing, data={"invite": forged})
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
    assert not client.post(f"/hearings/{hearing.pk}/join/{forged}/code/", **JSON).status_code == 200


def test_it_gives_the_tribunal_clerks_and_staff_no_personal_link(
    rescheduled, client, hearing, clerk, arbitrator, applicant, respondent, agent, witness
):
    linked = set(HearingLink.objects.filter(hearing=hearing).values_list("user_id", flat=True))
    assert linked == {applicant.pk, respondent.pk, agent.pk, witness.pk}
    for member in (clerk, arbitrator):
        bodies = Notification.objects.filter(user=member, case=hearing.case).values_list(
            "body", flat=True
        )
        told = [b for b in bodies if f"/hearings/{hearing.pk}/" in b]
        assert told and not any("/join/" in b for b in told)  # the hearing page: they sign in
    observers = Invitee.objects.filter(hearing=hearing, role="observer").values_list("user_id")
    assert not HearingLink.objects.filter(user_id__in=observers).exists()
    client.force_login(clerk)
    reply = client.post(f"/hearings/{hearing.pk}/links/{arbitrator.pk}/", **JSON)
    assert reply.status_code == 409 and reply.json()["error"]["code"] == "link_not_for_role"
    assert len(audited("hearing.link_issued")) == 4


def test_it_asks_for_the_texted_code_before_a_link_yields_a_credential(
    rescheduled, client, hearing, mediation, applicant
):
    path = link_path(applicant, hearing)
    page = client.get(path)  # no sign-in
    assert page.status_code == 200 and "config" not in page.context  # the code page only
    assert credential(client, hearing).status_code == 404
    assert client.post(path + "verify/", {"code": "123456"}, **JSON).json()["error"]["code"] in (
        "no_code",
    )
    sent = client.post(path + "code/", **JSON)
    assert sent.status_code == 200 and sent.json()["phone"].endswith("0000")
    code = texted_code()
    stored = Notification.objects.filter(user=applicant, channel="sms").order_by("-pk").first()
    assert code not in stored.body  # the outbox keeps no code
    wrong = "000000" if code != "000000" else "111111"
    reply = client.post(path + "verify/", {"code": wrong}, **JSON)
    assert reply.status_code == 400 and reply.json()["error"]["code"] == "wrong_code"
    assert reply.json()["error"]["details"]["attempts_left"] == 4
    assert client.post(path + "verify/", {"code": code}).status_code == 302
    page = client.get(path)
    assert page.status_code == 200 and page.context["config"]["userId"] == applicant.pk
    reply = credential(client, hearing)
    assert reply.status_code == 200
    assert credential_redeem(token=reply.json()["credential"], hearing_id=hearing.pk) == applicant
    assert credential(client, mediation).status_code == 404  # that hearing only
    forwarded = client.__class__()  # someone the SMS was forwarded to
    assert (
        forwarded.get(path).status_code == 200 and credential(forwarded, hearing).status_code == 404
    )
    for action in ("link_code_sent", "link_code_failed", "link_code_verified"):
        assert len(audited(f"hearing.{action}")) == 1, action


def test_it_refuses_a_revoked_or_expired_link(
    rescheduled,
    client,
    hearing,
    clerk,
    applicant,
    respondent,
    agent,
    django_capture_on_commit_callbacks,
):
    first = link_path(applicant, hearing)
    unlock(client, first)
    assert credential(client, hearing).status_code == 200
    rescheduled(days=12)  # every earlier link stops working
    reply = client.get(first, **JSON)
    assert reply.status_code == 410 and reply.json()["error"]["code"] == "link_revoked"
    assert credential(client, hearing).status_code == 404  # the unlocked session too

    second = link_path(applicant, hearing)
    assert second != first
    staff = client.__class__()
    staff.force_login(clerk)
    reply = staff.post(f"/hearings/{hearing.pk}/links/{applicant.pk}/revoke/", **JSON)
    assert reply.json()["revoked"] == 1
    assert client.get(second, **JSON).json()["error"]["code"] == "link_revoked"
    with django_capture_on_commit_callbacks(execute=True):  # the new link is texted on commit
        sent = staff.post(f"/hearings/{hearing.pk}/links/{applicant.pk}/", **JSON)
    assert sent.status_code == 200
    fresh = link_path(applicant, hearing)
    assert client.get(fresh).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/hearings/{hearing.pk}/links/{applicant.pk}/", **JSON)  # a new link ...
    assert client.get(fresh, **JSON).json()["error"]["code"] == "link_revoked"  # ... replaces it
    assert client.get(link_path(applicant, hearing)).status_code == 200

    expiring = link_path(respondent, hearing)
    HearingLink.objects.filter(user=respondent).update(expires_at=timezone.now())
    reply = client.get(expiring, **JSON)
    assert reply.status_code == 410 and reply.json()["error"]["code"] == "link_expired"

    removed = link_path(agent, hearing)
    Seat.objects.create(hearing=hearing, user=agent, role="agent", admission=Admission.REMOVED)
    assert client.get(removed, **JSON).json()["error"]["code"] == "link_revoked"
    assert HearingLink.objects.filter(user=agent).latest("pk").revoke_reason == "removed"
    reasons = {e.data["reason"] for e in audited("hearing.link_revoked")}
    assert reasons == {"rescheduled", "withdrawn", "reissued", "removed"}


def test_it_revokes_a_link_after_too_many_wrong_codes(
    rescheduled, client, hearing, applicant, settings
):
    settings.TRIBUNAL_INVITE_LINK_MAX_WRONG_CODES = 3
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0
    path = link_path(applicant, hearing)
    client.post(path + "code/")
    wrong = "000000" if texted_code() != "000000" else "111111"
    codes = [client.post(path + "verify/", {"code": wrong}, **JSON) for _ in range(3)]
    assert [r.json()["error"]["code"] for r in codes] == [
        "wrong_code",
        "wrong_code",
        "link_revoked",
    ]
    assert client.get(path, **JSON).status_code == 410


def test_it_rate_limits_credential_requests_per_person_and_per_address(
    client, hearing, arbitrator, settings
):
    settings.TRIBUNAL_CREDENTIAL_RATE_USER = 3
    client.force_login(arbitrator)
    replies = [credential(client, hearing) for _ in range(5)]
    assert [r.status_code for r in replies] == [200, 200, 200, 429, 429]
    error = replies[3].json()["error"]
    assert error["code"] == "rate_limited" and 0 < error["details"]["retry_after"] <= 61
    limited = audited("hearing.rate_limited")
    assert len(limited) == 1 and limited[0].data["scope"] == "credential.user"  # once a window

    settings.TRIBUNAL_CREDENTIAL_RATE_ADDRESS = 2
    anonymous = client.__class__(REMOTE_ADDR="203.0.113.9")
    codes = [credential(anonymous, hearing).status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    other = client.__class__(REMOTE_ADDR="203.0.113.10")
    assert credential(other, hearing).status_code == 404
    assert audited("hearing.rate_limited")[-1].data["address"] == "203.0.113.9"


def test_it_rate_limits_link_code_attempts_per_address(
    rescheduled, client, hearing, applicant, settings
):
    settings.TRIBUNAL_LINK_CODE_RATE_ADDRESS = 3
    path = link_path(applicant, hearing)
    client.post(path + "code/")
    replies = [client.post(path + "verify/", {"code": "x"}, **JSON) for _ in range(3)]
    assert [r.status_code for r in replies] == [400, 400, 429]
    assert replies[2].json()["error"]["code"] == "rate_limited"
    page = client.post(path + "verify/", {"code": texted_code()})  # a person gets the page again
    assert page.status_code == 429 and "config" not in page.context
    assert audited("hearing.rate_limited")[0].data["scope"] == "link_code.address"


def test_it_lets_only_the_clerk_send_or_withdraw_links(rescheduled, client, hearing, applicant):
    client.force_login(applicant)
    for suffix in ("", "revoke/"):
        reply = client.post(f"/hearings/{hearing.pk}/links/{applicant.pk}/{suffix}", **JSON)
        assert reply.status_code == 403 and reply.json()["error"]["code"] == "forbidden"
    assert client.get(f"/hearings/{hearing.pk}/join/not-a-token/", **JSON).status_code == 404


def test_it_revokes_a_partys_link_the_moment_the_clerk_refuses_or_removes_them(
    rescheduled, hearing, clerk, applicant, respondent
):
    hearing_transition(actor=clerk, hearing_id=hearing.pk, action="open")
    seat_join(actor=applicant, hearing_id=hearing.pk, channel_name="applicant-phone")
    seat_refuse(actor=clerk, hearing_id=hearing.pk, user_id=applicant.pk, reason="not the party")
    link = HearingLink.objects.filter(user=applicant).latest("pk")
    assert link.revoked_at is not None and link.revoke_reason == "refused"

    seat_join(actor=respondent, hearing_id=hearing.pk, channel_name="respondent-pc")
    identity_verify(
        actor=clerk, hearing_id=hearing.pk, user_id=respondent.pk, method="id_document_on_camera"
    )
    seat_admit(actor=clerk, hearing_id=hearing.pk, user_id=respondent.pk)
    assert HearingLink.objects.get(user=respondent).revoked_at is None
    participant_remove(actor=clerk, hearing_id=hearing.pk, user_id=respondent.pk)
    link = HearingLink.objects.get(user=respondent)
    assert link.revoked_at is not None and link.revoke_reason == "removed"
    reasons = [e.data["reason"] for e in audited("hearing.link_revoked")]
    assert reasons.count("refused") == 1 and reasons.count("removed") == 1
