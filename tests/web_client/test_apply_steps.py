"""The phone-first application: fields by kind, respondent by name and address, one pass of
errors, drafts, identity of the filer."""

from __future__ import annotations

import pytest

from accounts.models import ApplicationDraft, Identity
from case_core.models import Case
from tests.support.personas import VALID_ID, VALID_ID_2

pytestmark = pytest.mark.django_db


def management(prefix: str, total: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


def wage_claim(**overrides) -> dict:
    data = {
        "kind": "worker_v_employer",
        "procedure": "arbitration",
        "channel": "online",
        "title": "Unpaid wages",
        "facts": "Three months of wages were not paid.",
        "worker_count": "1",
        **management("applicants", 1),
        "applicants-0-name": "Li Si",
        "applicants-0-id_type": "resident_id",
        "applicants-0-id_number": VALID_ID,
        **management("respondents", 1),
        "respondents-0-name": "Example Noodle Shop",
        "respondents-0-is_organisation": "on",
        "respondents-0-id_type": "business_licence",
        "respondents-0-address": "1 Example Road, Example District",
        **management("claims", 1),
        "claims-0-description": "Wages March to May",
        "claims-0-amount": "15000",
    }
    data.update(overrides)
    return data


def test_it_files_against_a_company_known_only_by_name_and_address(as_user, applicant):
    page = as_user(applicant).post("/cases/new/?kind=worker_v_employer", wage_claim())
    assert page.status_code == 302
    respondent = Case.objects.get().parties.get(side="respondent")
    assert respondent.id_number == "" and respondent.address.startswith("1 Example Road")


def test_it_shows_only_the_fields_of_the_kind(as_user, applicant):
    web = as_user(applicant)
    wage = web.get("/cases/new/?kind=worker_v_employer").content.decode()
    assert "relationship" not in wage and "is_representative" not in wage
    death = web.get("/cases/new/?kind=work_death").content.decode()
    assert 'name="applicants-0-relationship"' in death


def test_it_names_every_problem_in_one_pass(as_user, applicant):
    data = wage_claim(
        **{
            "applicants-0-id_number": "440304199001011234",  # wrong check digit
            "respondents-0-address": "",  # no identifier and no address
            "claims-0-amount": "-5",
            "facts": "",
        }
    )
    page = as_user(applicant).post("/cases/new/?kind=worker_v_employer", data)
    body = page.content.decode()
    assert page.status_code == 400 and not Case.objects.exists()
    assert "not valid for its type" in body  # the ID
    assert body.count("This field is required.") >= 2  # the facts and the respondent's address
    assert "greater than or equal to 0" in body  # the amount


def test_it_saves_a_draft_and_brings_it_back(as_user, applicant):
    web = as_user(applicant)
    web.post("/cases/new/?kind=worker_v_employer", wage_claim(title="Half done", save_draft="1"))
    assert ApplicationDraft.objects.filter(user=applicant).exists()
    page = web.get("/cases/new/")
    assert page.status_code == 200 and 'value="Half done"' in page.content.decode()
    web.post("/cases/new/?kind=worker_v_employer", wage_claim())
    assert not ApplicationDraft.objects.filter(user=applicant).exists()  # filed: draft gone


def test_it_adds_a_row_in_its_section_and_keeps_the_draft(as_user, applicant):
    page = as_user(applicant).post(
        "/cases/new/?kind=worker_v_employer", wage_claim(add_respondents="1")
    )
    body = page.content.decode()
    assert page.status_code == 200 and 'name="respondents-1-name"' in body
    assert 'formaction="/cases/new/?kind=worker_v_employer#section-respondents"' in body
    assert ApplicationDraft.objects.filter(user=applicant).exists()


def test_it_checks_a_filer_against_their_verified_identity(as_user, applicant):
    from django.utils import timezone

    Identity.objects.create(
        user=applicant,
        name="Li Si",
        id_type="resident_id",
        id_number=VALID_ID,
        method="clerk",
        verified_at=timezone.now(),
    )
    web = as_user(applicant)
    assert f'value="{VALID_ID}"' in web.get("/cases/new/?kind=worker_v_employer").content.decode()
    page = web.post(
        "/cases/new/?kind=worker_v_employer", wage_claim(**{"applicants-0-id_number": VALID_ID_2})
    )
    assert page.status_code == 400 and "verified identity" in page.content.decode()
    assert not Case.objects.exists()
    assert web.post("/cases/new/?kind=worker_v_employer", wage_claim()).status_code == 302
