"""Public pages without signing in, progress lookup, booking and mail intake."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import PhoneCode
from case_core.models import AuditEntry
from case_core.services import case_accept
from portal.models import Booking, BookingSlot, GuidePage, MailIntake, Office
from portal.services import bookings_remind
from tests.support.outbox import last_code, texts_to
from tests.support.personas import make_user, submit_online

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_PHONE_CODE_RESEND_SECONDS = 0


def client(lang: str) -> Client:
    c = Client()
    c.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang
    return c


@pytest.mark.parametrize(
    "lang,text",
    [("zh-hans", "劳动者申请仲裁"), ("en", "A worker applies")],
)
def test_it_shows_the_guides_faq_and_offices_to_strangers(lang, text):
    web = client(lang)
    for url in ("/", "/guide/", "/guide/worker-v-employer/", "/help/", "/visit/", "/progress/"):
        page = web.get(url)
        assert page.status_code == 200, url
    assert text in web.get("/guide/").content.decode()
    assert web.get("/guide/no-such-guide/").status_code == 404


def test_it_shows_what_staff_changed_without_a_deploy(web):
    GuidePage.objects.filter(slug="collective").update(title_en="Collective disputes: book first")
    assert "Collective disputes: book first" in web.get("/guide/").content.decode()


def test_it_looks_up_progress_with_a_code_texted_to_a_party(web, applicant, clerk):
    case = case_accept(actor=clerk, case=submit_online(applicant))
    case.parties.filter(side="applicant").update(phone="13700001111")
    phone = "+8613700001111"
    sent = web.post("/progress/", {"case_number": case.number, "phone": "13700001111", "send": "1"})
    other = web.post("/progress/", {"case_number": "No-such", "phone": "13700001112", "send": "1"})
    assert sent.status_code == other.status_code == 200
    assert texts_to("+8613700001112") == []
    page = web.post(
        "/progress/",
        {"case_number": case.number, "phone": phone, "code": last_code(phone), "look": "1"},
    )
    assert page.status_code == 200 and b'data-status="accepted"' in page.content
    wrong = web.post(
        "/progress/",
        {"case_number": "No-such", "phone": "13700001112", "code": "123456", "look": "1"},
    )
    assert wrong.status_code == 400 and b"tries left" in wrong.content


def test_it_books_an_appointment_and_texts_confirmation_and_reminder(as_user, clerk):
    office = Office.objects.first()
    web = as_user(clerk)
    day = timezone.localdate() + timedelta(days=1)
    page = web.post(
        "/workbench/slots/",
        {
            "office": office.pk,
            "day": day.isoformat(),
            "start": "09:00",
            "end": "10:00",
            "capacity": "1",
        },
    )
    assert page.status_code == 302
    slot = BookingSlot.objects.get()
    worker = make_user("worker", phone="+8613700002222")
    web = as_user(worker)
    assert web.get("/book/?kind=collective").status_code == 200
    page = web.post(
        "/book/",
        {
            "slot": slot.pk,
            "kind": "collective",
            "workers": "25",
            "name": "Wang",
            "phone": "13700002222",
        },
    )
    assert page.status_code == 200 and b"data-booking" in page.content
    assert texts_to("+8613700002222")
    other = make_user("other", phone="+8613700003333")
    page = as_user(other).post(
        "/book/",
        {
            "slot": slot.pk,
            "kind": "collective",
            "workers": "12",
            "name": "Li",
            "phone": "13700003333",
        },
    )
    assert page.status_code == 409 and Booking.objects.count() == 1  # the one place is taken
    assert bookings_remind(now=timezone.now() + timedelta(hours=1)) == 1
    assert bookings_remind(now=timezone.now() + timedelta(hours=1)) == 0
    assert AuditEntry.objects.filter(action="booking.created").count() == 1


def test_it_routes_a_collective_dispute_to_booking_before_the_form(as_user, applicant):
    page = as_user(applicant).get("/cases/new/?kind=collective")
    assert page.status_code == 302 and page["Location"].startswith("/book/")


def test_it_records_mail_with_the_postmark_date_and_checks_the_scans(as_user, clerk):
    web = as_user(clerk)
    today = timezone.localdate()
    data = {
        "sender": "Zhang San",
        "postmark_date": (today - timedelta(days=3)).isoformat(),
        "received_date": today.isoformat(),
        "tracking_number": "EMS123456789CN",
    }
    bad = web.post(
        "/workbench/mail/", {**data, "scans": SimpleUploadedFile("scan.pdf", b"not a pdf")}
    )
    assert bad.status_code == 400 and not MailIntake.objects.exists()
    late = web.post(
        "/workbench/mail/", {**data, "postmark_date": (today + timedelta(days=1)).isoformat()}
    )
    assert late.status_code == 400
    ok = web.post(
        "/workbench/mail/", {**data, "scans": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF")}
    )
    assert ok.status_code == 302
    intake = MailIntake.objects.get()
    assert (
        intake.counts_from == date.fromisoformat(data["postmark_date"])
        and intake.scans.count() == 1
    )


def test_it_keeps_clerk_pages_from_the_public(as_user, applicant):
    web = as_user(applicant)
    for url in (
        "/workbench/slots/",
        "/workbench/mail/",
        "/workbench/attorney/",
        "/account/identities/",
    ):
        assert web.get(url).status_code == 403, url
    assert not PhoneCode.objects.exists()


def test_it_lets_a_power_of_attorney_or_mail_scans_past_the_general_body_limit():
    from hearing_server.body_limit import is_upload

    assert is_upload("/attorney/") and is_upload("/workbench/mail/")
