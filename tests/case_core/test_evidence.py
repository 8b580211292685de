"""Evidence uploads (hash, limits, types) and cross-examination opinions, at the service layer."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from case_core.errors import DomainError
from case_core.models import AuditEntry, Evidence
from case_core.services import evidence_opinion, evidence_upload
from case_core.services.evidence import evidence_open

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(actor, case, data=PDF, name="contract.pdf", **kw):
    return evidence_upload(
        actor=actor,
        case=case,
        upload=ContentFile(data, name=name),
        title=kw.pop("title", "Labour contract"),
        **kw,
    )


def test_it_stores_the_file_with_its_hash_size_type_and_side(filed_case, applicant):
    ev = upload(applicant, filed_case)
    assert ev.sha256 == hashlib.sha256(PDF).hexdigest() and ev.size == len(PDF)
    assert ev.content_type == "application/pdf" and ev.side == "applicant"
    assert ev.file.read() == PDF
    assert AuditEntry.objects.filter(action="evidence.uploaded", data__sha256=ev.sha256).exists()


def test_it_records_who_viewed_a_file(filed_case, applicant, respondent):
    ev = upload(applicant, filed_case)
    with evidence_open(actor=respondent, evidence=ev) as stream:
        assert stream.read() == PDF
    viewed = AuditEntry.objects.get(action="evidence.viewed")
    assert viewed.actor == respondent and viewed.data["evidence"] == ev.pk


@pytest.mark.parametrize(
    "data, name, code, status",
    [
        (b"", "empty.pdf", "empty_file", 400),
        (b"MZ\x90\x00binary", "virus.pdf", "unsupported_type", 415),
        (b"PK\x03\x04zip", "archive.zip", "unsupported_type", 415),
        (b"\x00\x01text", "notes.txt", "unsupported_type", 415),
        (PDF * 200, "big.pdf", "too_large", 413),
    ],
)
def test_it_refuses_bad_files_and_keeps_nothing(
    filed_case, applicant, settings, data, name, code, status
):
    settings.TRIBUNAL_EVIDENCE_MAX_BYTES = 4096
    before = (Evidence.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as err:
        upload(applicant, filed_case, data=data, name=name)
    assert (err.value.code, err.value.status) == (code, status)
    assert (Evidence.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    "data, name, mime",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "photo.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "payslip.jpg", "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "call.wav", "audio/wav"),
        ("工资条：三月未发".encode(), "note.txt", "text/plain"),
        (
            b"PK\x03\x04" + b"\x00" * 20,
            "contract.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_it_recognises_accepted_types_by_content(filed_case, applicant, data, name, mime):
    assert upload(applicant, filed_case, data=data, name=name).content_type == mime


def test_it_refuses_uploads_from_an_outsider_and_an_observer(filed_case, outsider, observer):
    for user, code in ((outsider, "not_found"), (observer, "forbidden")):
        with pytest.raises(DomainError) as err:
            upload(user, filed_case)
        assert err.value.code == code
    assert not Evidence.objects.exists()


def test_it_records_one_opinion_per_side_on_the_other_sides_evidence(
    filed_case, applicant, respondent, agent
):
    ev = upload(applicant, filed_case)
    with pytest.raises(DomainError) as err:
        evidence_opinion(
            actor=agent, evidence=ev, authenticity="admit", legality="admit", relevance="admit"
        )
    assert err.value.code == "invalid"  # the agent is on the applicant's own side
    op = evidence_opinion(
        actor=respondent,
        evidence=ev,
        authenticity="dispute",
        legality="admit",
        relevance="unknown",
        comment="The signature is not ours.",
    )
    assert op.side == "respondent"
    with pytest.raises(DomainError) as err:
        evidence_opinion(
            actor=respondent, evidence=ev, authenticity="admit", legality="admit", relevance="admit"
        )
    assert err.value.code == "opinion_exists"


def test_it_refuses_an_opinion_with_an_unknown_value(filed_case, applicant, respondent):
    ev = upload(applicant, filed_case)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as err:
        evidence_opinion(
            actor=respondent, evidence=ev, authenticity="maybe", legality="admit", relevance="admit"
        )
    assert err.value.details == {"field": "authenticity"}
    assert AuditEntry.objects.count() == before


def test_it_refuses_opinions_from_staff(filed_case, applicant, clerk):
    ev = upload(applicant, filed_case)
    with pytest.raises(DomainError) as err:
        evidence_opinion(
            actor=clerk, evidence=ev, authenticity="admit", legality="admit", relevance="admit"
        )
    assert err.value.code == "forbidden"
