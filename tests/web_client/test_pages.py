from __future__ import annotations

import pytest
from django.urls import reverse

from case_core.models import AuditEntry
from tests.support.personas import submit_online

pytestmark = pytest.mark.django_db

CASE_VIEWERS = ["clerk", "applicant", "respondent", "agent", "legal_aid", "observer"]


def test_it_redirects_home_to_my_cases_and_anonymous_users_to_sign_in(web, applicant):
    response = web.get("/")
    assert response.status_code == 200 and reverse("web:signup").encode() in response.content
    response = web.get(reverse("web:my_cases"))
    assert response.status_code == 302 and reverse("web:login") in response.url
    web.force_login(applicant)
    response = web.get("/")
    assert response.status_code == 302 and response.url == reverse("web:my_cases")
    web.logout()


def test_it_signs_in_and_out(web, applicant):
    page = web.get(reverse("web:login"))
    assert page.status_code == 200 and b'action="/i18n/setlang/"' in page.content
    bad = web.post(reverse("web:login"), {"username": "applicant", "password": "wrong"})
    assert bad.status_code == 200 and "correct username and password" in bad.content.decode()
    response = web.post(reverse("web:login"), {"username": "applicant", "password": "pw-applicant"})
    assert response.status_code == 302 and response.url == reverse("web:my_cases")
    assert web.get(reverse("web:my_cases")).status_code == 200
    response = web.post(reverse("web:logout"))
    assert response.status_code == 302
    assert web.get(reverse("web:my_cases")).status_code == 302


@pytest.mark.parametrize("persona", CASE_VIEWERS)
def test_it_shows_the_case_page_to_each_member(request, as_user, filed_case, persona):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("web:case", args=[filed_case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Unpaid wages" in body and "Zhang San" in body and "Shenzhen Example Co." in body
    assert "18000.00" in body
    assert "Decision on acceptance" in body  # deadlines
    assert "Application submitted" in body  # timeline, translated label
    assert 'action="/i18n/setlang/"' in body
    assert AuditEntry.objects.filter(case=filed_case, actor=user, action="case.viewed").exists()


def test_it_shows_staff_actions_only_to_those_allowed(as_user, filed_case, clerk, applicant):
    url = reverse("web:case", args=[filed_case.pk])
    clerk_page = as_user(clerk).get(url).content.decode()
    assert reverse("web:case_action", args=[filed_case.pk, "accept"]) in clerk_page
    assert reverse("web:case_action", args=[filed_case.pk, "reject"]) in clerk_page
    assert reverse("web:case_action", args=[filed_case.pk, "add_member"]) in clerk_page
    applicant_page = as_user(applicant).get(url).content.decode()
    assert reverse("web:case_action", args=[filed_case.pk, "accept"]) not in applicant_page
    assert reverse("web:case_action", args=[filed_case.pk, "withdraw"]) in applicant_page
    assert reverse("web:evidence_upload", args=[filed_case.pk]) in applicant_page


def test_it_gives_an_outsider_not_found_and_hides_the_case_from_my_cases(
    as_user, filed_case, outsider
):
    client = as_user(outsider)
    response = client.get(reverse("web:case", args=[filed_case.pk]))
    assert response.status_code == 404
    assert "Unpaid wages" not in response.content.decode()
    assert not AuditEntry.objects.filter(actor=outsider).exists()
    listing = client.get(reverse("web:my_cases"))
    assert listing.status_code == 200 and "Unpaid wages" not in listing.content.decode()
    missing = client.get(reverse("web:case", args=[filed_case.pk + 1000]))
    assert missing.status_code == 404


def test_it_lists_my_cases_for_members_and_all_cases_for_clerks(
    as_user, filed_case, applicant, respondent, clerk, outsider
):
    other = submit_online(outsider, title="Overtime pay")
    mine = as_user(applicant).get(reverse("web:my_cases")).content.decode()
    assert "Unpaid wages" in mine and "Overtime pay" not in mine
    assert "Decision on acceptance" in mine
    theirs = as_user(respondent).get(reverse("web:my_cases")).content.decode()
    assert "Unpaid wages" in theirs
    everything = as_user(clerk).get(reverse("web:my_cases")).content.decode()
    assert "Unpaid wages" in everything and "Overtime pay" in everything
    filtered = as_user(clerk).get(reverse("web:my_cases"), {"status": "accepted"}).content.decode()
    assert "Overtime pay" not in filtered
    assert other.pk


def test_it_opens_the_workbench_to_clerks_only(as_user, filed_case, clerk, applicant, arbitrator):
    page = as_user(clerk).get(reverse("web:workbench"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Acceptance queue" in body and "Unpaid wages" in body
    for user in (applicant, arbitrator):
        assert as_user(user).get(reverse("web:workbench")).status_code == 403


def test_it_lists_overdue_cases_and_the_oldest_application_first(as_user, clerk, applicant):
    from datetime import timedelta

    from django.utils import timezone

    from case_core.models import Case

    old = submit_online(applicant, title="Old application")
    Case.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    submit_online(applicant, title="New application")
    body = as_user(clerk).get(reverse("web:workbench")).content.decode()
    queue = body.split('id="queue"')[1].split('id="awaiting"')[0]
    assert queue.index("Old application") < queue.index("New application")
    overdue = body.split('id="overdue"')[1]
    assert "Old application" in overdue and "Decision on acceptance" in overdue
    assert "New application" not in overdue


def test_it_switches_the_language(web, applicant):
    web.force_login(applicant)
    response = web.post("/i18n/setlang/", {"language": "zh-hans", "next": "/cases/"})
    assert response.status_code == 302 and response.url == "/cases/"
    page = web.get("/cases/")
    assert page.headers["Content-Language"] == "zh-hans"
    assert "我的案件" in page.content.decode()
    web.post("/i18n/setlang/", {"language": "en", "next": "/cases/"})
    page = web.get("/cases/")
    assert page.headers["Content-Language"] == "en" and "My cases" in page.content.decode()


def test_it_shows_the_new_application_form(as_user, applicant):
    start = as_user(applicant).get(reverse("web:apply"))
    assert start.status_code == 200 and b"?kind=worker_v_employer" in start.content
    response = as_user(applicant).get(reverse("web:apply") + "?kind=worker_v_employer")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="applicants-0-id_number"' in body and 'name="claims-0-amount"' in body
    assert 'value="on_site"' not in body  # public users apply online only
