"""Electronic service: links texted to each recipient, service complete at first opening with the
hash of the bytes opened (audited), deemed after N days, postal service, sealed receipts."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from case_core.errors import DomainError
from case_core.models import AuditEntry
from documents.models import Service, ServiceStatus
from documents.services.drafts import draft_create, draft_issue
from documents.services.service import receipt_pdf, service_postal, services_deem
from tests.support.paperwork import outbox_lines, pyhanko_check, texted_link


@pytest.fixture
def notice(paper_case, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_create(actor=clerk, case=paper_case, kind="acceptance_notice", language="en")
        return draft_issue(actor=clerk, draft=draft)


def test_it_serves_each_party_by_a_texted_link_and_completes_service_at_first_opening(
    notice, applicant, respondent, agent
):
    services = {s.recipient_id: s for s in Service.objects.filter(document=notice)}
    assert set(services) == {applicant.pk, respondent.pk, agent.pk}
    link = texted_link(respondent)
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and b"Notice of acceptance" in page.content
    assert Service.objects.get(recipient=respondent).status == ServiceStatus.PENDING
    opened = client.get(link + "file/")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    served = Service.objects.get(recipient=respondent, document=notice)
    assert served.status == ServiceStatus.SERVED and served.opened_at is not None
    assert served.opened_sha256 == hashlib.sha256(opened.content).hexdigest() == notice.sha256
    entry = AuditEntry.objects.filter(action="service.completed").get()
    assert entry.data["sha256"] == served.opened_sha256 and entry.actor_id == respondent.pk
    first = served.opened_at
    client.get(link + "file/")
    served.refresh_from_db()
    assert served.opened_at == first  # opening again changes nothing
    assert AuditEntry.objects.filter(action="service.completed").count() == 1


def test_it_gives_a_sealed_receipt_that_pyhanko_validates(notice, respondent):
    link = texted_link(respondent)
    client = Client()
    assert client.get(link + "receipt/").status_code == 409  # not served yet
    client.get(link + "file/")
    response = client.get(link + "receipt/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pyhanko_check(response.content)


def test_it_refuses_a_made_up_link_without_a_500(notice):
    assert Client().get("/paperwork/s/" + "x" * 32 + "/").status_code == 404
    assert Client().get("/paperwork/s/short/file/").status_code == 404


def test_it_deems_service_after_the_configured_days_and_leaves_opened_ones_alone(
    notice, respondent, settings
):
    settings.TRIBUNAL_SERVICE_DEEMED_DAYS = 3
    Client().get(texted_link(respondent) + "file/")
    assert services_deem(now=timezone.now() + timedelta(days=2)) == 0
    assert services_deem(now=timezone.now() + timedelta(days=3, minutes=1)) == 2
    statuses = dict(Service.objects.values_list("recipient__username", "status"))
    assert statuses == {"respondent": "served", "applicant": "deemed", "agent": "deemed"}
    assert receipt_pdf(Service.objects.get(recipient__username="applicant"))


def test_it_records_postal_service_and_never_changes_a_completed_one(
    notice, clerk, respondent, applicant
):
    Client().get(texted_link(respondent) + "file/")
    served = Service.objects.get(recipient=respondent)
    with pytest.raises(DomainError) as refused:
        service_postal(actor=clerk, service=served, tracking="EMS123", posted_on=date.today())
    assert refused.value.code == "already_served"
    pending = Service.objects.get(recipient=applicant)
    with pytest.raises(DomainError) as future:
        service_postal(
            actor=clerk,
            service=pending,
            tracking="EMS1",
            posted_on=date.today() + timedelta(days=2),
        )
    assert future.value.status == 400
    with pytest.raises(DomainError) as not_clerk:
        service_postal(actor=applicant, service=pending, tracking="EMS1", posted_on=date.today())
    assert not_clerk.value.code == "forbidden"
    posted = service_postal(actor=clerk, service=pending, tracking="EMS1", posted_on=date.today())
    assert posted.status == ServiceStatus.POSTAL
    pyhanko_check(receipt_pdf(posted))


def test_it_records_a_recipient_without_phone_or_email_for_postal_service(
    paper_case, clerk, agent, django_capture_on_commit_callbacks
):
    agent.phone, agent.email = "", ""
    agent.save(update_fields=["phone", "email"])
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_create(actor=clerk, case=paper_case, kind="acceptance_notice")
        document = draft_issue(actor=clerk, draft=draft)
    row = Service.objects.get(document=document, recipient=agent)
    assert row.status == ServiceStatus.NO_ADDRESS
    assert AuditEntry.objects.filter(action="service.no_address").exists()
    assert not [line for line in outbox_lines() if line[1] == ""]


def test_it_shows_the_clerk_the_service_table_and_refuses_it_to_a_party(notice, clerk, respondent):
    Client().get(texted_link(respondent) + "file/")
    staff = Client()
    staff.force_login(clerk)
    table = staff.get(f"/paperwork/documents/{notice.pk}/service/")
    assert table.status_code == 200
    assert table.content.count(b'data-status="served"') == 1
    assert table.content.count(b'data-status="pending"') == 2
    party = Client()
    party.force_login(respondent)
    assert party.get(f"/paperwork/documents/{notice.pk}/service/").status_code == 403


def test_it_serves_the_hearing_notice_with_the_personal_join_link_and_a_calendar(
    paper_case, clerk, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_create(actor=clerk, case=paper_case, kind="hearing_notice")
        document = draft_issue(actor=clerk, draft=draft)
    texts = [body for channel, address, _s, body in outbox_lines() if address == applicant.phone]
    assert any("/hearings/" in body and "/paperwork/s/" in body for body in texts)
    service = Service.objects.get(document=document, recipient=applicant)
    assert "BEGIN:VCALENDAR" in service.calendar and "/hearings/" in service.calendar
    link = texted_link(applicant)
    ics = Client().get(link + "calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    hearing = paper_case.hearings.get()
    start = timezone.localtime(hearing.scheduled_start).strftime("%Y-%m-%d %H:%M")
    assert start in draft.latest().body
    assert any(start in body and "/hearings/" in body for body in texts)


def test_it_texts_a_respondent_without_an_account_the_notice_with_its_access_code(
    applicant, clerk, django_capture_on_commit_callbacks
):
    from accounts.models import AccessCode
    from case_core.services.lifecycle import case_accept
    from case_core.services.submission import PartyInput
    from tests.support.personas import LICENCE, submit_online

    case = submit_online(
        applicant,
        respondents=[
            PartyInput(
                name="Shenzhen Example Co.",
                id_type="business_licence",
                id_number=LICENCE,
                is_organisation=True,
                phone="+8613911112222",
            )
        ],
    )
    case_accept(actor=clerk, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_create(actor=clerk, case=case, kind="answer_notice", language="en")
        document = draft_issue(actor=clerk, draft=draft)
    service = Service.objects.get(document=document)
    assert service.recipient is None and service.party.side == "respondent"
    assert AccessCode.objects.filter(party=service.party, used_at__isnull=True).count() == 1
    [text] = [body for _c, address, _s, body in outbox_lines() if address == "+8613911112222"]
    assert "/paperwork/s/" in text and re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text)
    link = re.search(r"/paperwork/s/[A-Za-z0-9_-]+/", text).group(0)
    assert Client().get(link + "file/").status_code == 200
    service.refresh_from_db()
    assert service.status == ServiceStatus.SERVED
