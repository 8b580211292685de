from __future__ import annotations

import pytest

from case_core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_lists_the_case_file_for_administrators(web, admin_user, filed_case):
    web.force_login(admin_user)
    for url in (
        "/admin/",
        "/admin/case_core/case/",
        f"/admin/case_core/case/{filed_case.pk}/change/",
        "/admin/case_core/user/",
        "/admin/case_core/auditentry/",
        "/admin/case_core/evidence/",
        "/admin/case_core/hearing/",
    ):
        assert web.get(url).status_code == 200, url


def test_it_keeps_the_audit_log_read_only_in_the_admin(web, admin_user, filed_case):
    web.force_login(admin_user)
    entry = AuditEntry.objects.first()
    assert web.get("/admin/case_core/auditentry/add/").status_code == 403
    assert web.get(f"/admin/case_core/auditentry/{entry.pk}/delete/").status_code == 403
    page = web.get(f"/admin/case_core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    web.post(f"/admin/case_core/auditentry/{entry.pk}/change/", {"action": "tampered"})
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action
    assert web.get("/admin/case_core/case/add/").status_code == 403


def test_it_keeps_the_case_file_read_only_in_the_admin(web, admin_user, filed_case):
    web.force_login(admin_user)
    page = web.get(f"/admin/case_core/case/{filed_case.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    web.post(f"/admin/case_core/case/{filed_case.pk}/change/", {"status": "closed", "title": "x"})
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted" and filed_case.title == "Unpaid wages"
    party = filed_case.parties.first()
    assert web.get("/admin/case_core/agent/add/").status_code == 403
    assert web.get("/admin/case_core/hearing/add/").status_code == 403
    assert party.name == filed_case.parties.first().name


def test_it_leaves_the_signing_phone_to_its_owner_and_audits_account_changes(
    web, admin_user, applicant
):
    web.force_login(admin_user)
    url = f"/admin/case_core/user/{applicant.pk}/change/"
    page = web.get(url)
    assert page.status_code == 200 and b'name="phone"' not in page.content
    data = {
        "username": applicant.username,
        "phone": "+8613999999999",
        "staff_role": "clerk",
        "display_name": "Applicant",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    response = web.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    applicant.refresh_from_db()
    assert applicant.phone == "+8613800000000" and applicant.staff_role == "clerk"
    entry = AuditEntry.objects.filter(action="account.admin_changed").get()
    assert entry.actor == admin_user and "staff_role" in entry.data["fields"]
    assert web.get(f"/admin/case_core/user/{applicant.pk}/delete/").status_code == 403
