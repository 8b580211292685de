"""Bad HTTP input gets a typed 4xx and changes nothing: page numbers, file names, NUL characters;
and the timeline keeps who-read-what to clerks on the API as on the case page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from case_core.api.schemas import MAX_PAGE
from case_core.models import Evidence
from case_core.services import evidence_upload
from tests.support.api import PDF, application, as_user, assert_error, snapshot

pytestmark = pytest.mark.usefixtures("no_error_logged")

HUGE_PAGES = ["9223372036854775807", "9223372036854775808", "1" + "0" * 30]


def paginated(case) -> list[str]:
    return ["/cases", f"/cases/{case.pk}/timeline", "/staff/queue", "/staff/overdue"]


# --- page numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_it_refuses_page_numbers_beyond_the_bound_on_every_paginated_api(filed_case, clerk, page):
    api = as_user(clerk)
    for path in paginated(filed_case):
        assert_error(api.get(path, page=page), 400, "invalid", field="page")


def test_it_answers_the_last_allowed_page_with_no_items(filed_case, clerk):
    api = as_user(clerk)
    for path in paginated(filed_case):
        body = api.get(path, page=MAX_PAGE, page_size=100).json()
        assert body["items"] == [] and body["page"] == MAX_PAGE, path


# --- the timeline ---------------------------------------------------------------------------------


@pytest.fixture
def read_case(filed_case, applicant, respondent):
    """The respondent read the case file and downloaded the applicant's evidence."""
    evidence = evidence_upload(
        actor=applicant,
        case=filed_case,
        upload=SimpleUploadedFile("payslip.pdf", PDF),
        title="Payslips",
    )
    respondent_api = as_user(respondent)
    assert respondent_api.get(f"/cases/{filed_case.pk}").status_code == 200
    url = f"/cases/{filed_case.pk}/evidence/{evidence.pk}/file"
    assert respondent_api.get(url).status_code == 200
    return filed_case


def timeline_actions(user, case, **params) -> list[str]:
    body = as_user(user).get(f"/cases/{case.pk}/timeline", page_size=100, **params).json()
    return [entry["action"] for entry in body["items"]]


def test_it_keeps_who_read_the_file_from_members_on_the_api(read_case, applicant, respondent):
    for user in (applicant, respondent):
        for params in ({}, {"views": "true"}):
            actions = timeline_actions(user, read_case, **params)
            assert "evidence.uploaded" in actions
            assert not [a for a in actions if a.endswith((".viewed", ".exported"))], actions


def test_it_lists_reading_entries_to_clerks_who_ask(read_case, clerk):
    assert "evidence.viewed" not in timeline_actions(clerk, read_case)
    actions = timeline_actions(clerk, read_case, views="true")
    assert {"case.viewed", "evidence.viewed"} <= set(actions)


def test_it_applies_the_same_rule_on_the_case_page(read_case, applicant, clerk):
    member = Client()
    member.cookies["django_language"] = "en"
    member.force_login(applicant)
    assert "Evidence viewed" not in member.get(f"/cases/{read_case.pk}/?views=1").content.decode()
    staff = Client()
    staff.cookies["django_language"] = "en"
    staff.force_login(clerk)
    assert "Evidence viewed" in staff.get(f"/cases/{read_case.pk}/?views=1").content.decode()


# --- file names -----------------------------------------------------------------------------------


def multipart(filename: str, title: str = "Contract") -> tuple[bytes, str]:
    boundary = "TribunalBoundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_it_refuses_a_thousand_character_file_name_on_the_api(filed_case, applicant):
    before = snapshot()
    body, content_type = multipart("a" * 1000 + ".pdf")
    api = as_user(applicant)
    response = api.client.generic(
        "POST", f"/api/cases/{filed_case.pk}/evidence", body, content_type=content_type
    )
    assert_error(response, 400, "malformed_form")
    assert snapshot() == before


def test_it_refuses_a_thousand_character_file_name_on_the_case_page(filed_case, applicant):
    before = snapshot()
    body, content_type = multipart("a" * 1000 + ".pdf")
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(applicant)
    response = client.generic(
        "POST", f"/cases/{filed_case.pk}/evidence/", body, content_type=content_type
    )
    assert response.status_code == 400
    assert 'data-code="malformed_form"' in response.content.decode()
    assert snapshot() == before


def test_it_keeps_a_long_file_name_that_fits_within_its_column(filed_case, applicant):
    body, content_type = multipart("a" * 600 + ".pdf")
    response = as_user(applicant).client.generic(
        "POST", f"/api/cases/{filed_case.pk}/evidence", body, content_type=content_type
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert len(evidence.original_name) == 255 and evidence.original_name.endswith(".pdf")


def test_it_refuses_an_evidence_title_longer_than_its_column(filed_case, applicant):
    before = snapshot()
    upload = {"title": "T" * 1000, "file": SimpleUploadedFile("payslip.pdf", PDF)}
    response = as_user(applicant).upload(f"/cases/{filed_case.pk}/evidence", upload)
    assert_error(response, 400, "invalid", field="title")
    assert snapshot() == before


# --- NUL characters -------------------------------------------------------------------------------


def test_it_refuses_nul_in_api_json_naming_the_field(filed_case, applicant):
    before = snapshot()
    api = as_user(applicant)
    body = application()
    body["applicants"][0]["name"] = "Li\x00Si"
    assert_error(api.post("/cases", body), 400, "invalid", field="applicants[0].name")
    reason = {"reason": "changed\x00my mind"}
    assert_error(api.post(f"/cases/{filed_case.pk}/withdraw", reason), 400, "invalid", "reason")
    assert_error(api.post("/cases", {"ti\x00tle": "x"}), 400, "invalid", field="ti\x00tle")
    assert snapshot() == before


def test_it_refuses_nul_in_api_forms_and_queries(filed_case, applicant):
    before = snapshot()
    api = as_user(applicant)
    upload = {"title": "Pay\x00slips", "file": SimpleUploadedFile("payslip.pdf", PDF)}
    response = api.upload(f"/cases/{filed_case.pk}/evidence", upload)
    assert_error(response, 400, "invalid", field="title")
    assert_error(api.get("/cases", status="\x00"), 400, "invalid", field="status")
    assert snapshot() == before


def test_it_refuses_nul_in_web_forms(filed_case, applicant):
    before = snapshot()
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(applicant)
    response = client.post("/cases/new/", {"title": "Unpaid\x00wages", "facts": "x"})
    assert response.status_code == 400
    assert 'data-code="invalid"' in response.content.decode()
    response = client.post(f"/cases/{filed_case.pk}/do/withdraw/", {"reason": "changed\x00my mind"})
    assert response.status_code == 400
    assert snapshot() == before


# --- the transcript speaker form ------------------------------------------------------------------


@pytest.mark.parametrize("speaker", ["abc", "1.5", "9" * 30, "١٢"])
def test_it_refuses_a_speaker_that_is_not_a_number_after_the_permission_check(
    transcript, clerk, observer, speaker
):
    segment = transcript.segments.order_by("order").first()
    url = f"/transcripts/segments/{segment.pk}/speaker/"
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(observer)
    assert client.post(url, {"speaker": speaker}).status_code == 403
    client.force_login(clerk)
    response = client.post(url, {"speaker": speaker})
    assert response.status_code == 400
    assert 'data-code="invalid"' in response.content.decode()
    segment.refresh_from_db()
    assert segment.edits.count() == 0
