"""Filing an application: every dispute kind, the channel rule, and bad input changing nothing."""

import pytest
from django.utils import translation

from case_core.errors import DomainError
from case_core.models import AuditEntry, Case, Party
from case_core.services.submission import ClaimInput, PartyInput
from case_core.validators import resident_id_valid
from tests.support.personas import VALID_ID, VALID_ID_2, submit_online


def refused(field_or_none, **overrides):
    actor = overrides.pop("actor")
    before = (Case.objects.count(), Party.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as err:
        submit_online(actor, **overrides)
    assert err.value.code == "invalid" and err.value.status == 400
    if field_or_none:
        assert err.value.details.get("field", "").startswith(field_or_none)
    assert (Case.objects.count(), Party.objects.count(), AuditEntry.objects.count()) == before
    return err.value


def test_it_files_online_and_makes_the_filer_the_applicant(applicant):
    case = submit_online(applicant)
    assert case.status == "submitted" and case.channel == "online"
    assert case.members.get().role == "applicant"
    assert case.parties.get(side="applicant").user == applicant
    assert str(case.claims.get().amount) == "18000.00"


def test_it_files_an_employer_against_worker_case(applicant):
    employer = PartyInput(
        name="Example Co.",
        id_type="business_licence",
        id_number="91440300MA5EXAMPL1",
        is_organisation=True,
    )
    worker = PartyInput(name="Li Si", id_type="passport", id_number="E12345678")
    case = submit_online(
        applicant, kind="employer_v_worker", applicants=[employer], respondents=[worker]
    )
    assert case.kind == "employer_v_worker"


@pytest.mark.parametrize("kind", ["work_death", "non_work_death"])
def test_it_needs_the_relationship_of_relatives_in_death_cases(applicant, kind):
    refused("applicants", actor=applicant, kind=kind)
    relative = PartyInput(
        name="Wang Wu", id_type="resident_id", id_number=VALID_ID_2, relationship="spouse"
    )
    assert submit_online(applicant, kind=kind, applicants=[relative]).kind == kind


def test_it_refuses_collective_disputes_online(applicant):
    with translation.override("en"):
        err = refused("channel", actor=applicant, kind="collective", worker_count=12)
        assert "online" in str(err.message)
    with translation.override("zh-hans"):
        err = refused("channel", actor=applicant, kind="collective", worker_count=12)
        assert "网上" in str(err.message)


def test_it_lets_a_clerk_record_a_collective_dispute_on_site(clerk):
    reps = [
        PartyInput(
            name="Rep One", id_type="resident_id", id_number=VALID_ID, is_representative=True
        ),
        PartyInput(
            name="Rep Two", id_type="hk_macao_permit", id_number="H12345678", is_representative=True
        ),
    ]
    case = submit_online(
        clerk, kind="collective", channel="on_site", worker_count=23, applicants=reps
    )
    assert case.channel == "on_site" and case.worker_count == 23
    assert not case.members.exists()  # the clerk files for others, it is not their case


def test_it_refuses_a_collective_dispute_of_fewer_than_ten_or_without_representative(clerk):
    refused("worker_count", actor=clerk, kind="collective", channel="on_site", worker_count=9)
    refused("applicants", actor=clerk, kind="collective", channel="mail", worker_count=10)


def test_it_refuses_offline_channels_for_the_public(applicant):
    refused("channel", actor=applicant, channel="mail")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "bogus"}, "kind"),
        ({"procedure": "litigation"}, "procedure"),
        ({"channel": "fax"}, "channel"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"facts": None}, "facts"),
        ({"title": 12}, "title"),
        ({"claims": []}, "claims"),
        ({"claims": [ClaimInput(description="Wages", amount="abc")]}, "claims[0].amount"),
        ({"claims": [ClaimInput(description="Wages", amount="-5")]}, "claims[0].amount"),
        ({"claims": [ClaimInput(description="Wages", amount="NaN")]}, "claims[0].amount"),
        (
            {
                "applicants": [
                    PartyInput(name="A", id_type="resident_id", id_number="440304199001011234")
                ]
            },
            "applicants[0].id_number",
        ),
        (
            {"applicants": [PartyInput(name="A", id_type="driving_licence", id_number="X1")]},
            "applicants[0].id_number",
        ),
        (
            {"respondents": [PartyInput(name="", id_type="passport", id_number="E1234567")]},
            "respondents[0].name",
        ),
        ({"respondents": []}, None),
    ],
)
def test_it_refuses_bad_input_and_saves_nothing(applicant, overrides, field):
    refused(field, actor=applicant, **overrides)


def test_it_checks_resident_id_check_characters():
    assert resident_id_valid(VALID_ID) and resident_id_valid(VALID_ID_2)
    assert not resident_id_valid("440304199001011234")
    assert not resident_id_valid("44030419900101123")
