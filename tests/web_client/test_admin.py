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
