"""The case file API: sign-in, visibility, reading, the timeline, staff lists, error shape."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from case_core.models import AuditEntry, Case
from case_core.services import case_accept
from tests.support.api import as_user, assert_error
from tests.support.personas import submit_online

# --- authentication -----------------------------------------------------------------------------


def test_it_signs_in_with_a_password_and_reports_the_user(applicant):
    api = as_user()
    response = api.post("/auth/login", {"username": "applicant", "password": "pw-applicant"})
    assert response.status_code == 200
    assert response.json()["username"] == "applicant"
    me = api.get("/auth/me")
    assert me.status_code == 200
    assert me.json() == {
        "id": applicant.pk,
        "username": "applicant",
        "name": "applicant",
        "staff_role": "none",
        "is_clerk": False,
    }


def test_it_refuses_a_wrong_password(applicant):
    api = as_user()
    response = api.post("/auth/login", {"username": "applicant", "password": "nope"})
    assert_error(response, 401, "invalid_credentials")
    assert_error(api.get("/auth/me"), 401, "unauthenticated")


def test_it_refuses_an_inactive_user_at_sign_in(applicant):
    applicant.is_active = False
    applicant.save()
    response = as_user().post("/auth/login", {"username": "applicant", "password": "pw-applicant"})
    assert_error(response, 401, "invalid_credentials")


def test_it_signs_out(applicant):
    api = as_user(applicant)
    assert api.post("/auth/logout").status_code == 204
    assert_error(api.get("/auth/me"), 401, "unauthenticated")


def test_it_answers_401_to_every_endpoint_without_a_session(filed_case):
    api = as_user()
    case = filed_case.pk
    for response in (
        api.get("/cases"),
        api.get(f"/cases/{case}"),
        api.get(f"/cases/{case}/timeline"),
        api.post("/cases", {}),
        api.post(f"/cases/{case}/accept"),
        api.post(f"/cases/{case}/evidence/1/opinions", {}),
        api.get(f"/cases/{case}/evidence/1/file"),
        api.get("/staff/queue"),
        api.get("/staff/overdue"),
        api.post("/auth/logout"),
    ):
        assert_error(response, 401, "unauthenticated")


def test_it_keeps_csrf_protection_on_for_session_requests(filed_case, clerk):
    api = as_user(clerk, enforce_csrf_checks=True)
    before = AuditEntry.objects.count()
    assert_error(api.post(f"/cases/{filed_case.pk}/accept"), 403, "csrf_failed")
    assert AuditEntry.objects.count() == before
    token = api.get("/auth/csrf").json()["csrf_token"]
    response = api.post(f"/cases/{filed_case.pk}/accept", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_it_needs_the_csrf_token_to_sign_in(applicant):
    api = as_user(enforce_csrf_checks=True)
    login = {"username": "applicant", "password": "pw-applicant"}
    assert_error(api.post("/auth/login", login), 403, "csrf_failed")
    token = api.get("/auth/csrf").json()["csrf_token"]
    assert api.post("/auth/login", login, HTTP_X_CSRFTOKEN=token).status_code == 200


# --- listing ------------------------------------------------------------------------------------


def test_it_lists_a_members_cases_only(filed_case, applicant, respondent, observer, arbitrator):
    other = submit_online(arbitrator)  # someone else's application
    for user in (applicant, respondent, observer):
        body = as_user(user).get("/cases").json()
        assert body["count"] == 1
        assert [c["id"] for c in body["items"]] == [filed_case.pk]
    assert [c["id"] for c in as_user(arbitrator).get("/cases").json()["items"]] == [other.pk]


def test_it_lists_nothing_to_an_outsider(filed_case, outsider):
    response = as_user(outsider).get("/cases")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "page": 1, "page_size": 20, "items": []}


def test_it_lists_every_case_to_clerks(filed_case, clerk, admin_user, outsider):
    submit_online(outsider)
    for user in (clerk, admin_user):
        assert as_user(user).get("/cases").json()["count"] == 2


def test_it_filters_the_list_by_status(filed_case, clerk, outsider):
    submit_online(outsider)
    case_accept(actor=clerk, case=filed_case)
    api = as_user(clerk)
    accepted = api.get("/cases", status="accepted").json()
    assert [c["id"] for c in accepted["items"]] == [filed_case.pk]
    assert accepted["items"][0]["number"]
    assert api.get("/cases", status="submitted").json()["count"] == 1


def test_it_pages_the_list(clerk, applicant):
    ids = [submit_online(applicant).pk for _ in range(5)]
    api = as_user(clerk)
    first = api.get("/cases", page=1, page_size=2).json()
    third = api.get("/cases", page=3, page_size=2).json()
    assert first["count"] == 5 and len(first["items"]) == 2 and len(third["items"]) == 1
    assert [c["id"] for c in first["items"]] == sorted(ids, reverse=True)[:2]
    assert api.get("/cases", page=9, page_size=2).json()["items"] == []


def test_it_refuses_bad_list_parameters(clerk):
    api = as_user(clerk)
    error = assert_error(api.get("/cases", status="lost"), 400, "invalid", field="status")
    assert error["details"]["errors"][0]["field"] == "status"
    assert_error(api.get("/cases", page=0), 400, "invalid", field="page")
    assert_error(api.get("/cases", page_size=1000), 400, "invalid", field="page_size")


# --- reading ------------------------------------------------------------------------------------


def test_it_shows_the_case_file_to_each_member(filed_case, applicant, respondent, agent, clerk):
    for user, role in ((applicant, "applicant"), (respondent, "respondent"), (agent, "agent")):
        body = as_user(user).get(f"/cases/{filed_case.pk}").json()
        assert body["id"] == filed_case.pk and body["my_roles"] == [role]
    body = as_user(clerk).get(f"/cases/{filed_case.pk}").json()
    assert body["my_roles"] == ["clerk"]
    assert body["status"] == "submitted"
    assert [p["side"] for p in body["parties"]] == ["applicant", "respondent"]
    assert body["claims"] == [
        {
            "id": filed_case.claims.get().pk,
            "description": "Unpaid wages March-May",
            "amount": "18000.00",
        }
    ]
    assert body["deadlines"][0]["name"] == "acceptance" and not body["deadlines"][0]["overdue"]
    assert body["overdue"] == [] and body["evidence"] == [] and body["hearings"] == []


def test_it_audits_each_reading_of_a_case(filed_case, observer):
    as_user(observer).get(f"/cases/{filed_case.pk}")
    entry = AuditEntry.objects.last()
    assert (entry.action, entry.case_id, entry.actor_id) == (
        "case.viewed",
        filed_case.pk,
        observer.pk,
    )


def test_it_hides_a_case_from_an_outsider_as_if_it_did_not_exist(filed_case, outsider):
    api = as_user(outsider)
    before = AuditEntry.objects.count()
    hidden = assert_error(api.get(f"/cases/{filed_case.pk}"), 404, "not_found")
    missing = assert_error(api.get("/cases/999999"), 404, "not_found")
    assert hidden == missing
    assert_error(api.get(f"/cases/{filed_case.pk}/timeline"), 404, "not_found")
    assert AuditEntry.objects.count() == before


def test_it_shows_overdue_deadlines_on_the_case(filed_case, clerk):
    Case.objects.filter(pk=filed_case.pk).update(submitted_at=timezone.now() - timedelta(days=6))
    body = as_user(clerk).get(f"/cases/{filed_case.pk}").json()
    assert body["overdue"] == ["acceptance"]
    assert body["deadlines"][0]["overdue"] is True


def test_it_gives_the_timeline_from_the_audit_log(filed_case, applicant):
    api = as_user(applicant)
    body = api.get(f"/cases/{filed_case.pk}/timeline").json()
    actions = [e["action"] for e in body["items"]]
    assert actions[0] == "case.submitted"
    assert actions.count("case.member_added") == 4
    assert body["items"][0]["actor"] == {"id": applicant.pk, "name": "applicant"}
    assert all(len(e["hash"]) == 64 for e in body["items"])
    page = api.get(f"/cases/{filed_case.pk}/timeline", page=2, page_size=2).json()
    assert [e["seq"] for e in page["items"]] == [e["seq"] for e in body["items"][2:4]]


# --- staff lists --------------------------------------------------------------------------------


def test_it_lists_the_acceptance_queue_for_clerks(filed_case, clerk, applicant):
    newer = submit_online(applicant)
    accepted = submit_online(applicant)
    case_accept(actor=clerk, case=accepted)
    body = as_user(clerk).get("/staff/queue").json()
    assert [c["id"] for c in body["items"]] == [filed_case.pk, newer.pk]


def test_it_lists_overdue_cases_for_clerks(filed_case, clerk, applicant):
    late = submit_online(applicant)
    Case.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=6))
    long_accepted = submit_online(applicant)
    case_accept(actor=clerk, case=long_accepted)
    Case.objects.filter(pk=long_accepted.pk).update(accepted_at=timezone.now() - timedelta(days=50))
    body = as_user(clerk).get("/staff/overdue").json()
    by_id = {c["id"]: c for c in body["items"]}
    assert set(by_id) == {late.pk, long_accepted.pk}
    assert by_id[late.pk]["overdue"] == ["acceptance"]
    assert by_id[long_accepted.pk]["overdue"] == ["award"]


def test_it_keeps_the_staff_lists_from_everyone_but_clerks(
    filed_case, applicant, arbitrator, mediator, legal_aid, observer, outsider
):
    for user in (applicant, arbitrator, mediator, legal_aid, observer, outsider):
        api = as_user(user)
        assert_error(api.get("/staff/queue"), 403, "forbidden")
        assert_error(api.get("/staff/overdue"), 403, "forbidden")


# --- the error shape and the schema -------------------------------------------------------------


def test_it_answers_unknown_api_paths_in_the_error_shape(applicant):
    assert_error(as_user(applicant).get("/no/such/thing"), 404, "not_found")


def test_it_answers_wrong_methods_and_bad_ids_in_the_error_shape(filed_case, applicant):
    api = as_user(applicant)
    error = assert_error(api.get(f"/cases/{filed_case.pk}/accept"), 405, "method_not_allowed")
    assert error["details"] == {}
    assert api.client.delete("/api/cases")["Allow"] in ("GET, POST", "POST, GET")
    assert_error(api.get("/cases/abc"), 400, "invalid", field="case_id")


def test_it_refuses_malformed_json(applicant):
    api = as_user(applicant)
    before = Case.objects.count()
    response = api.client.post("/api/cases", data="{not json", content_type="application/json")
    assert_error(response, 400, "malformed_json")
    assert Case.objects.count() == before


def test_it_speaks_the_requested_language_in_headers(applicant):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get("/api/cases")
    assert_error(response, 401, "unauthenticated")
    assert response["Content-Language"] == "zh-hans"
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/cases")
    assert response["Content-Language"] == "en"


def test_it_serves_the_openapi_schema(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/auth/login",
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/cases/{case_id}/timeline",
        "/api/cases/{case_id}/evidence",
        "/api/cases/{case_id}/evidence/{evidence_id}/file",
        "/api/cases/{case_id}/evidence/{evidence_id}/opinions",
        "/api/cases/{case_id}/accept",
        "/api/cases/{case_id}/close",
        "/api/staff/queue",
        "/api/staff/overdue",
    ):
        assert path in paths, path
    assert "ErrorOut" in schema["components"]["schemas"]
    assert "404" in paths["/api/cases/{case_id}"]["get"]["responses"]
    assert (
        "multipart/form-data"
        in paths["/api/cases/{case_id}/evidence"]["post"]["requestBody"]["content"]
    )
