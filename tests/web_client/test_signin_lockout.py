"""Sign-in lockout: per account and per client address, on the page and the API, audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from case_core.audit import audit_verify
from case_core.models import AuditEntry
from tests.support.personas import make_user

LIMIT = 5


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def api_login(username, password, address="10.0.0.1", language="en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/api/auth/login",
        data=json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page_login(username, password, address="10.0.0.1", language="en"):
    client = Client()
    client.cookies["django_language"] = language
    response = client.post(
        "/signin/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def lockouts():
    return list(AuditEntry.objects.filter(action="account.locked_out"))


def test_it_locks_an_account_on_the_api_and_answers_a_typed_429(applicant):
    for _ in range(LIMIT - 1):
        assert api_login("applicant", "wrong").status_code == 401
    assert api_login("applicant", "wrong").status_code == 429  # the failure that reaches it
    response = api_login("applicant", "pw-applicant")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "locked_out"
    assert "Too many failed sign-in attempts" in error["message"]
    assert error["details"] == {"retry_after": 900}
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in response.client.session


def test_it_audits_the_start_of_a_lockout_once(applicant):
    for _ in range(LIMIT + 3):
        api_login("applicant", "wrong")
    api_login("applicant", "pw-applicant")
    [entry] = lockouts()
    assert entry.case is None and entry.actor is None
    assert entry.data == {
        "username": "applicant",
        "ip_address": "10.0.0.1",
        "failures": LIMIT,
        "path": "/api/auth/login",
    }
    assert audit_verify().ok


def test_it_locks_an_account_on_the_page_with_a_translated_message(applicant):
    for _ in range(LIMIT - 1):
        _, response = page_login("applicant", "wrong")
        assert response.status_code == 200
    client, response = page_login("applicant", "wrong", language="zh-hans")
    assert response.status_code == 429
    assert '<html lang="zh-hans">' in response.content.decode()
    client, response = page_login("applicant", "pw-applicant")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-code="locked_out"' in page
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in page
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_it_locks_an_account_tried_from_many_addresses(applicant):
    for n in range(LIMIT):
        api_login("applicant", "wrong", address=f"10.0.1.{n}")
    assert api_login("applicant", "pw-applicant", address="10.0.2.1").status_code == 429


def test_it_locks_an_address_trying_many_accounts(applicant, respondent):
    for n in range(LIMIT):
        api_login(f"guess{n}", "wrong", address="10.0.3.1")
    assert api_login("respondent", "pw-respondent", address="10.0.3.1").status_code == 429
    assert api_login("applicant", "pw-applicant", address="10.0.3.2").status_code == 200


def test_it_forgives_a_users_own_typos_after_the_right_password(applicant):
    for _ in range(LIMIT - 1):
        api_login("applicant", "wrong")
    assert api_login("applicant", "pw-applicant").status_code == 200
    for _ in range(LIMIT - 1):
        api_login("applicant", "wrong")
    assert api_login("applicant", "pw-applicant").status_code == 200


def test_it_keeps_counting_against_an_account_when_someone_signs_in_to_their_own(
    applicant, respondent
):
    for _ in range(LIMIT - 1):
        api_login("applicant", "wrong", address="10.0.4.1")
    assert api_login("respondent", "pw-respondent", address="10.0.4.1").status_code == 200
    api_login("applicant", "wrong", address="10.0.4.1")
    assert api_login("applicant", "pw-applicant", address="10.0.4.9").status_code == 429


def test_it_lets_the_account_in_again_after_the_cool_off(applicant):
    for _ in range(LIMIT):
        api_login("applicant", "wrong")
    assert api_login("applicant", "pw-applicant").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert api_login("applicant", "pw-applicant").status_code == 200


def test_it_refuses_an_overlong_username_on_the_page_without_an_error(db):
    make_user("someone")
    _, response = page_login("x" * 10000, "wrong")
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    response = api_login("x" * 10000, "wrong")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "username"
