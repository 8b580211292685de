"""Evidence through the API: uploads, refused uploads, downloads and cross-examination opinions."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from case_core.models import AuditEntry, Evidence
from case_core.services import case_withdraw, evidence_upload
from tests.support.api import (
    PDF,
    as_user,
    assert_error,
    snapshot,
)


def pdf_upload(name="contract.pdf", content=PDF, title="Labour contract"):
    return {"title": title, "file": SimpleUploadedFile(name, content, "application/pdf")}


@pytest.fixture
def applicant_evidence(filed_case, applicant) -> Evidence:
    return evidence_upload(
        actor=applicant,
        case=filed_case,
        upload=SimpleUploadedFile("payslip.pdf", PDF),
        title="Payslips",
    )


def test_it_uploads_evidence_with_its_hash(filed_case, applicant):
    response = as_user(applicant).upload(f"/cases/{filed_case.pk}/evidence", pdf_upload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (body["size"], body["content_type"], body["side"]) == (
        len(PDF),
        "application/pdf",
        "applicant",
    )
    assert body["submitted_by"] == {"id": applicant.pk, "name": "applicant"}
    evidence = Evidence.objects.get(pk=body["id"])
    assert evidence.file.read() == PDF
    assert AuditEntry.objects.last().action == "evidence.uploaded"
    detail = as_user(applicant).get(f"/cases/{filed_case.pk}").json()
    assert [e["id"] for e in detail["evidence"]] == [evidence.pk]


def test_it_refuses_an_oversized_upload_and_changes_nothing(filed_case, applicant, settings):
    settings.TRIBUNAL_EVIDENCE_MAX_BYTES = 32
    before = snapshot()
    response = as_user(applicant).upload(f"/cases/{filed_case.pk}/evidence", pdf_upload())
    assert_error(response, 413, "too_large")
    assert snapshot() == before


def test_it_refuses_a_file_of_the_wrong_type_and_changes_nothing(filed_case, applicant):
    before = snapshot()
    exe = pdf_upload(name="contract.pdf", content=b"MZ\x90\x00 this is a program")
    response = as_user(applicant).upload(f"/cases/{filed_case.pk}/evidence", exe)
    assert_error(response, 415, "unsupported_type")
    assert snapshot() == before


def test_it_refuses_an_empty_file_and_changes_nothing(filed_case, applicant):
    before = snapshot()
    response = as_user(applicant).upload(
        f"/cases/{filed_case.pk}/evidence", pdf_upload(content=b"")
    )
    assert_error(response, 400, "empty_file")
    assert snapshot() == before


def test_it_refuses_an_upload_without_a_file_or_title(filed_case, applicant):
    before = snapshot()
    api = as_user(applicant)
    assert_error(
        api.upload(f"/cases/{filed_case.pk}/evidence", {"title": "No file"}),
        400,
        "invalid",
        field="file",
    )
    no_title = pdf_upload(title="  ")
    assert_error(
        api.upload(f"/cases/{filed_case.pk}/evidence", no_title), 400, "invalid", field="title"
    )
    assert snapshot() == before


def test_it_refuses_uploads_from_those_without_the_right(filed_case, observer, legal_aid, outsider):
    before = snapshot()
    url = f"/cases/{filed_case.pk}/evidence"
    assert_error(as_user(observer).upload(url, pdf_upload()), 403, "forbidden")
    assert_error(as_user(legal_aid).upload(url, pdf_upload()), 403, "forbidden")
    assert_error(as_user(outsider).upload(url, pdf_upload()), 404, "not_found")
    assert snapshot() == before


def test_it_refuses_uploads_to_a_withdrawn_case(filed_case, applicant):
    case_withdraw(actor=applicant, case=filed_case, reason="Settled privately")
    before = snapshot()
    response = as_user(applicant).upload(f"/cases/{filed_case.pk}/evidence", pdf_upload())
    assert_error(response, 409, "case_closed")
    assert snapshot() == before


def test_it_streams_evidence_to_members_and_audits_it(filed_case, applicant_evidence, respondent):
    url = f"/cases/{filed_case.pk}/evidence/{applicant_evidence.pk}/file"
    response = as_user(respondent).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "payslip.pdf" in response["Content-Disposition"]
    assert response["X-Evidence-SHA256"] == applicant_evidence.sha256
    entry = AuditEntry.objects.last()
    assert (entry.action, entry.actor_id) == ("evidence.viewed", respondent.pk)


def test_it_hides_evidence_from_outsiders_and_unknown_ids(
    filed_case, applicant_evidence, outsider, clerk
):
    before = snapshot()
    url = f"/cases/{filed_case.pk}/evidence/{applicant_evidence.pk}/file"
    assert_error(as_user(outsider).get(url), 404, "not_found")
    assert_error(
        as_user(clerk).get(f"/cases/{filed_case.pk}/evidence/999999/file"), 404, "not_found"
    )
    assert snapshot() == before


def test_it_records_the_other_sides_opinion(filed_case, applicant_evidence, respondent):
    url = f"/cases/{filed_case.pk}/evidence/{applicant_evidence.pk}/opinions"
    opinion = {
        "authenticity": "admit",
        "legality": "admit",
        "relevance": "dispute",
        "comment": "Old.",
    }
    response = as_user(respondent).post(url, opinion)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["side"], body["relevance"], body["comment"]) == ("respondent", "dispute", "Old.")
    assert AuditEntry.objects.last().action == "evidence.opinion"
    detail = as_user(respondent).get(f"/cases/{filed_case.pk}").json()
    assert detail["evidence"][0]["opinions"][0]["author"]["id"] == respondent.pk


def test_it_refuses_bad_opinions_and_changes_nothing(
    filed_case, applicant_evidence, applicant, agent, respondent, observer, outsider
):
    url = f"/cases/{filed_case.pk}/evidence/{applicant_evidence.pk}/opinions"
    good = {"authenticity": "admit", "legality": "admit", "relevance": "admit"}
    before = snapshot()
    assert_error(as_user(applicant).post(url, good), 400, "invalid")  # own side's evidence
    assert_error(as_user(agent).post(url, good), 400, "invalid")  # the applicant's agent
    assert_error(as_user(observer).post(url, good), 403, "forbidden")
    assert_error(as_user(outsider).post(url, good), 404, "not_found")
    wrong = {**good, "legality": "maybe"}
    assert_error(as_user(respondent).post(url, wrong), 400, "invalid", field="legality")
    missing = {"authenticity": "admit"}
    assert_error(as_user(respondent).post(url, missing), 400, "invalid")
    unknown = f"/cases/{filed_case.pk}/evidence/999999/opinions"
    assert_error(as_user(respondent).post(unknown, good), 404, "not_found")
    assert snapshot() == before


def test_it_takes_one_opinion_per_side(filed_case, applicant_evidence, respondent):
    url = f"/cases/{filed_case.pk}/evidence/{applicant_evidence.pk}/opinions"
    good = {"authenticity": "admit", "legality": "admit", "relevance": "admit"}
    assert as_user(respondent).post(url, good).status_code == 201
    before = snapshot()
    assert_error(as_user(respondent).post(url, good), 409, "opinion_exists")
    assert snapshot() == before
