from __future__ import annotations

import pytest
from django.urls import reverse

from case_core.models import Case, CaseRole, Membership
from tests.support.personas import LICENCE, VALID_ID, VALID_ID_2

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "50",
    }


def application(**overrides) -> dict:
    data = {
        "kind": "worker_v_employer",
        "procedure": "arbitration",
        "channel": "online",
        "title": "Unpaid overtime",
        "facts": "Overtime in 2024 was never paid.",
        "worker_count": "1",
        **management("applicants", 3),
        "applicants-0-name": "Li Si",
        "applicants-0-id_type": "resident_id",
        "applicants-0-id_number": VALID_ID,
        "applicants-0-phone": "13800001111",
        "applicants-0-agents": "Wang Lawyer; Li Wu",
        "applicants-1-name": "Zhao Liu",
        "applicants-1-id_type": "resident_id",
        "applicants-1-id_number": VALID_ID_2,
        "applicants-2-id_type": "resident_id",  # an unused row
        **management("respondents", 2),
        "respondents-0-name": "Example Factory Ltd.",
        "respondents-0-is_organisation": "on",
        "respondents-0-id_type": "business_licence",
        "respondents-0-id_number": LICENCE,
        "respondents-1-id_type": "resident_id",
        **management("claims", 5),
        "claims-0-description": "Overtime pay",
        "claims-0-amount": "5200.50",
        "claims-1-description": "Compensation",
        "claims-1-amount": "",
    }
    data.update(overrides)
    return data


def test_it_files_an_application_with_several_parties_and_claims(as_user, applicant):
    response = as_user(applicant).post(reverse("web:apply"), application())
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:case", args=[case.pk])
    assert case.title == "Unpaid overtime" and case.channel == "online"
    assert [p.name for p in case.parties.filter(side="applicant")] == ["Li Si", "Zhao Liu"]
    li = case.parties.get(name="Li Si")
    assert li.user == applicant
    assert sorted(a.name for a in li.agents.all()) == ["Li Wu", "Wang Lawyer"]
    assert case.parties.get(side="respondent").is_organisation
    assert [(c.description, c.amount) for c in case.claims.all()] == [
        ("Overtime pay", pytest.approx(5200.50)),
        ("Compensation", None),
    ]
    assert Membership.objects.filter(case=case, user=applicant, role=CaseRole.APPLICANT).exists()


def test_it_re_renders_an_invalid_id_number_next_to_its_field(as_user, applicant):
    data = application(**{"applicants-1-id_number": "440304199001011234"})
    response = as_user(applicant).post(reverse("web:apply"), data)
    assert response.status_code == 400
    assert not Case.objects.exists()
    body = response.content.decode()
    assert "The identity document number is not valid for its type." in body
    row = body.split("Applicant 2")[1].split("Applicant 3")[0]
    assert "errorlist" in row and "not valid for its type" in row
    assert 'value="Unpaid overtime"' in body and 'value="Li Si"' in body  # values kept


def test_it_refuses_a_collective_dispute_online_with_a_clear_message(as_user, applicant):
    data = application(kind="collective", worker_count="30")
    response = as_user(applicant).post(reverse("web:apply"), data)
    assert response.status_code == 400
    assert not Case.objects.exists()
    body = response.content.decode()
    alert = body.split('role="alert"')[1].split("</div>")[0]
    assert "Collective disputes cannot be filed online" in alert
    assert reverse("web:booking_new") in alert  # with the way to book an appointment


def test_it_requires_a_title_and_creates_nothing(as_user, applicant):
    response = as_user(applicant).post(reverse("web:apply"), application(title=""))
    assert response.status_code == 400 and not Case.objects.exists()
    assert "This field is required." in response.content.decode()


def test_it_refuses_a_public_user_recording_an_on_site_application(as_user, applicant):
    response = as_user(applicant).post(reverse("web:apply"), application(channel="on_site"))
    assert response.status_code == 400 and not Case.objects.exists()


def test_it_lets_a_clerk_record_a_collective_application_on_site(as_user, clerk):
    data = application(
        kind="collective",
        channel="on_site",
        worker_count="25",
        **{"applicants-0-is_representative": "on"},
    )
    response = as_user(clerk).post(reverse("web:apply"), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.kind == "collective" and case.channel == "on_site" and case.worker_count == 25


def test_it_adds_a_row_without_saving(as_user, applicant):
    data = application(add_claims="1")
    response = as_user(applicant).post(reverse("web:apply"), data)
    assert response.status_code == 200 and not Case.objects.exists()
    body = response.content.decode()
    assert 'name="claims-5-description"' in body and 'value="Overtime pay"' in body


def test_it_asks_for_at_least_one_claim(as_user, applicant):
    data = application(
        **{"claims-0-description": "", "claims-0-amount": "", "claims-1-description": ""}
    )
    response = as_user(applicant).post(reverse("web:apply"), data)
    assert response.status_code == 400 and not Case.objects.exists()
    assert "State at least one claim." in response.content.decode()
