"""The front door's pages: sign up, sign in by code or with the phone and a password, reset,
verify identity, claim a case."""

from __future__ import annotations

import re

import pytest

from accounts.models import Identity
from accounts.services import access_code_issue
from case_core.models import AuditEntry, CaseRole, Membership, User
from case_core.services import case_accept
from tests.support.outbox import last_code
from tests.support.personas import LICENCE, VALID_ID, make_user, submit_online

pytestmark = pytest.mark.django_db
PHONE = "+8613912345678"


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_PHONE_CODE_RESEND_SECONDS = 0


def test_it_signs_a_stranger_up_with_phone_and_code(web):
    page = web.post("/signup/", {"phone": "13912345678", "send": "1"})
    assert page.status_code == 200 and b'name="code"' in page.content
    page = web.post(
        "/signup/",
        {"phone": "13912345678", "code": last_code(PHONE), "name": "Li Si", "password": ""},
    )
    assert page.status_code == 302 and page["Location"] == "/account/"
    user = User.objects.get(phone=PHONE)
    assert web.get("/cases/").status_code == 200
    assert AuditEntry.objects.filter(action="account.signed_in", actor=user).exists()
    assert web.get("/register/", follow=True).status_code == 200


def test_it_shows_a_wrong_code_on_the_code_field_and_signs_no_one_in(web):
    web.post("/signup/", {"phone": PHONE, "send": "1"})
    page = web.post("/signup/", {"phone": PHONE, "code": "12345x", "name": "Li Si"})
    assert page.status_code == 400 and b"tries left" in page.content
    assert not User.objects.filter(phone=PHONE).exists()


def test_it_refuses_a_bad_number_with_a_hint(web):
    page = web.post("/signup/", {"phone": "12", "send": "1"})
    assert page.status_code == 400 and b"13800138000" in page.content


def test_it_signs_in_with_a_code_and_with_the_phone_and_password(web):
    user = make_user("worker", phone=PHONE)
    web.post("/signin/code/", {"phone": PHONE, "send": "1"})
    page = web.post("/signin/code/", {"phone": PHONE, "code": last_code(PHONE)})
    assert page.status_code == 302
    assert AuditEntry.objects.filter(action="account.signed_in", data__method="code").exists()
    web.logout()
    page = web.post("/signin/", {"username": "139 1234 5678", "password": "pw-worker"})
    assert page.status_code == 302 and int(web.session["_auth_user_id"]) == user.pk


def test_it_resets_a_password_by_code(web):
    user = make_user("worker", phone=PHONE)
    web.post("/password/reset/", {"phone": PHONE, "send": "1"})
    page = web.post(
        "/password/reset/",
        {"phone": PHONE, "code": last_code(PHONE), "password": "tea-kettle-orbit-71"},
    )
    assert page.status_code == 302
    user.refresh_from_db()
    assert user.check_password("tea-kettle-orbit-71")


def test_it_answers_the_same_whether_a_number_has_an_account(web):
    make_user("worker", phone=PHONE)
    known = web.post("/signin/code/", {"phone": PHONE, "send": "1"})
    unknown = web.post("/signin/code/", {"phone": "+8613912345679", "send": "1"})
    assert known.status_code == unknown.status_code == 200

    def bare(page, phone):
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page.content).replace(
            phone.encode(), b""
        )

    assert bare(known, PHONE) == bare(unknown, "+8613912345679")


def test_it_binds_an_identity_that_a_clerk_confirms(as_user, clerk):
    worker = make_user("worker", phone=PHONE)
    web = as_user(worker)
    page = web.post(
        "/account/",
        {"name": "Zhang San", "id_type": "resident_id", "id_number": "440304199001011234"},
    )
    assert page.status_code == 400 and b"not valid" in page.content  # check digit
    page = web.post(
        "/account/", {"name": "Zhang San", "id_type": "resident_id", "id_number": VALID_ID}
    )
    assert page.status_code == 302
    identity = Identity.objects.get(user=worker)
    assert not identity.verified
    web.force_login(clerk)
    assert web.post("/account/identities/", {"identity": identity.pk}).status_code == 302
    identity.refresh_from_db()
    assert identity.verified and identity.verified_by == clerk
    web.force_login(worker)
    assert web.post("/account/identities/", {"identity": identity.pk}).status_code == 403


def test_it_verifies_through_the_configured_verifier(as_user, settings):
    settings.TRIBUNAL_IDENTITY_VERIFIER = "accounts.identity.FormatOnlyVerifier"
    worker = make_user("worker", phone=PHONE)
    as_user(worker).post(
        "/account/", {"name": "Zhang San", "id_type": "resident_id", "id_number": VALID_ID}
    )
    assert Identity.objects.get(user=worker).verified
    other = make_user("other", phone="+8613912345670")
    page = as_user(other).post(
        "/account/", {"name": "Zhang San", "id_type": "resident_id", "id_number": VALID_ID}
    )
    assert page.status_code == 409 and not Identity.objects.filter(user=other).exists()


def test_it_lets_an_employer_claim_its_case_on_the_page(as_user, applicant, clerk):
    case = case_accept(actor=clerk, case=submit_online(applicant))
    code = access_code_issue(actor=clerk, case=case, party=case.parties.get(side="respondent"))
    employer = make_user("employer", phone=PHONE)
    web = as_user(employer)
    page = web.post(
        "/claim/",
        {"case_number": case.number, "access_code": "ZZZZ-ZZZZ-ZZZZ", "id_or_uscc": LICENCE},
    )
    assert page.status_code == 400 and b"do not match" in page.content
    page = web.post(
        "/claim/", {"case_number": case.number, "access_code": code, "id_or_uscc": LICENCE}
    )
    assert page.status_code == 302 and page["Location"] == f"/cases/{case.pk}/"
    assert Membership.objects.filter(user=employer, role=CaseRole.RESPONDENT).exists()
    assert web.get(f"/cases/{case.pk}/").status_code == 200


def test_it_lets_the_clerk_issue_a_code_on_the_case_page_and_shows_it_once(
    as_user, applicant, clerk
):
    case = case_accept(actor=clerk, case=submit_online(applicant))
    party = case.parties.get(side="respondent")
    web = as_user(clerk)
    page = web.post(
        f"/cases/{case.pk}/do/access_code/", {"access_code-party": party.pk}, follow=True
    )
    body = page.content.decode()
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", body).group(0)
    employer = make_user("employer", phone=PHONE)
    page = as_user(employer).post(
        "/claim/", {"case_number": case.number, "access_code": code, "id_or_uscc": LICENCE}
    )
    assert page.status_code == 302
    web.force_login(applicant)  # a party may not issue codes
    assert (
        web.post(f"/cases/{case.pk}/do/access_code/", {"access_code-party": party.pk}).status_code
        == 403
    )


def test_it_names_the_claim_in_the_case_timeline(as_user, applicant, clerk):
    case = case_accept(actor=clerk, case=submit_online(applicant))
    party = case.parties.get(side="respondent")
    from accounts.services import case_claim

    code = access_code_issue(actor=clerk, case=case, party=party)
    employer = make_user("employer", phone=PHONE)
    case_claim(actor=employer, case_number=case.number, access_code=code, id_or_uscc=LICENCE)
    body = as_user(employer).get(f"/cases/{case.pk}/").content.decode()
    assert "Case claimed with its access code" in body and "case.claimed" not in body
