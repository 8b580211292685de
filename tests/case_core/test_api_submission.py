"""Filing an application through the API, and every way a bad application is refused."""

from __future__ import annotations

from decimal import Decimal

from case_core.models import AuditEntry, Case, Membership
from tests.support.api import (
    application,
    as_user,
    assert_error,
    snapshot,
)
from tests.support.personas import VALID_ID


def test_it_files_an_application_online(applicant):
    response = as_user(applicant).post("/cases", application())
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.status, case.channel, case.submitted_by) == ("submitted", "online", applicant)
    assert body["my_roles"] == ["applicant"]
    assert [p["name"] for p in body["parties"]] == ["Li Si", "Example Logistics Ltd."]
    assert body["parties"][1]["agents"][0]["name"] == "Wang Wu (lawyer)"
    assert [c["amount"] for c in body["claims"]] == ["5200.50", None]
    assert case.claims.first().amount == Decimal("5200.50")
    assert Membership.objects.filter(case=case, user=applicant, role="applicant").exists()
    assert AuditEntry.objects.filter(case=case, action="case.submitted").count() == 1
    assert as_user(applicant).get(f"/cases/{case.pk}").status_code == 200


def test_it_lets_a_clerk_record_an_on_site_collective_application(clerk):
    applicants = [
        {
            "name": "Chen Yi",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "is_representative": True,
        }
    ]
    body = application(kind="collective", channel="on_site", worker_count=12, applicants=applicants)
    response = as_user(clerk).post("/cases", body)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "collective"
    assert response.json()["worker_count"] == 12


def test_it_refuses_a_collective_dispute_filed_online(applicant):
    applicants = [
        {
            "name": "Chen Yi",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "is_representative": True,
        }
    ]
    before = snapshot()
    body = application(kind="collective", worker_count=12, applicants=applicants)
    response = as_user(applicant).post("/cases", body)
    error = assert_error(response, 400, "invalid", field="channel")
    assert "online" in error["message"]
    assert snapshot() == before


def test_it_refuses_an_on_site_filing_by_a_member_of_the_public(applicant):
    before = snapshot()
    response = as_user(applicant).post("/cases", application(channel="on_site"))
    assert_error(response, 400, "invalid", field="channel")
    assert snapshot() == before


def test_it_refuses_an_invalid_identity_number(applicant):
    before = snapshot()
    body = application()
    body["applicants"][0]["id_number"] = "110105194912310021"  # wrong check character
    response = as_user(applicant).post("/cases", body)
    assert_error(response, 400, "invalid", field="applicants[0].id_number")
    assert snapshot() == before


def test_it_refuses_an_unknown_identity_document_type(applicant):
    body = application()
    body["respondents"][0]["id_type"] = "library_card"
    response = as_user(applicant).post("/cases", body)
    assert_error(response, 400, "invalid", field="respondents[0].id_type")


def test_it_refuses_missing_fields(applicant):
    before = snapshot()
    api = as_user(applicant)
    body = application()
    del body["title"], body["respondents"]
    error = assert_error(api.post("/cases", body), 400, "invalid")
    fields = {e["field"] for e in error["details"]["errors"]}
    assert fields == {"title", "respondents"}
    assert_error(api.post("/cases", application(title="   ")), 400, "invalid", field="title")
    assert_error(api.post("/cases", application(claims=[])), 400, "invalid", field="claims")
    assert_error(api.post("/cases", application(respondents=[])), 400, "invalid")
    assert_error(api.post("/cases"), 400, "invalid")  # no body at all
    assert snapshot() == before


def test_it_refuses_wrong_types(applicant):
    before = snapshot()
    api = as_user(applicant)
    error = assert_error(
        api.post("/cases", application(title=5, worker_count="many")), 400, "invalid"
    )
    assert {e["field"] for e in error["details"]["errors"]} == {"title", "worker_count"}
    assert_error(
        api.post("/cases", application(applicants="Li Si")), 400, "invalid", field="applicants"
    )
    assert_error(api.post("/cases", application(kind="divorce")), 400, "invalid", field="kind")
    assert_error(api.post("/cases", [1, 2, 3]), 400, "invalid")
    bad_amount = application(claims=[{"description": "Wages", "amount": "lots"}])
    assert_error(api.post("/cases", bad_amount), 400, "invalid", field="claims[0].amount")
    negative = application(claims=[{"description": "Wages", "amount": "-5"}])
    assert_error(api.post("/cases", negative), 400, "invalid", field="claims[0].amount")
    assert snapshot() == before


def test_it_refuses_a_death_case_without_the_relationship(applicant):
    before = snapshot()
    response = as_user(applicant).post("/cases", application(kind="work_death"))
    assert_error(response, 400, "invalid", field="applicants")
    assert snapshot() == before


def test_it_refuses_an_oversized_request_body(applicant, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    before = snapshot()
    response = as_user(applicant).post("/cases", application(facts="x" * 1000))
    assert_error(response, 413, "too_large")
    assert snapshot() == before
