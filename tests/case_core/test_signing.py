"""The general signing service: one-time codes by SMS, sealed signatures, completion, voiding.

What the signatures look like inside the PDF is in tests/case_core/test_pades.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from case_core.errors import DomainError
from case_core.models import (
    AuditEntry,
    DocumentStatus,
    Evidence,
    Notification,
    Signature,
    SigningCode,
)
from case_core.services.signing import (
    document_create,
    document_issue,
    document_verify,
    document_void,
    signature_confirm,
    signature_request,
)
from tests.support.record import tampering
from tests.support.signing import minutes_like_pdf
from tests.support.transcripts import sent_code, sha256_of

PDF = minutes_like_pdf()


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0
    settings.TRIBUNAL_SIGNING_CODE_MAX_ATTEMPTS = 3
    settings.TRIBUNAL_SIGNING_CODE_TTL_MINUTES = 10


@pytest.fixture
def document(filed_case, clerk, applicant, respondent):
    applicant.phone, respondent.phone, clerk.phone = (
        "+8613700000001",
        "+8613700000002",
        "+8613700000003",
    )
    for user in (applicant, respondent, clerk):
        user.save(update_fields=["phone"])
    doc = document_create(
        actor=clerk,
        case=filed_case,
        kind="minutes",
        title="Minutes of the hearing",
        content=PDF,
        filename="minutes.pdf",
        signers=[(clerk, "clerk"), (applicant, "applicant"), (respondent, "respondent")],
    )
    return document_issue(actor=clerk, document=doc)


def sign(user, document):
    signature_request(actor=user, document=document)
    return signature_confirm(actor=user, document=document, code=sent_code(user))


def error_of(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as err:
        call(**kwargs)
    return err.value


def test_it_stores_the_document_with_its_sha256_and_awaits_signatures(document):
    assert document.status == DocumentStatus.AWAITING
    assert document.sha256 == sha256_of(PDF)
    assert document.file.read() == PDF
    assert [s.role for s in document.signers.all()] == ["clerk", "applicant", "respondent"]


def test_it_sends_a_six_digit_code_by_sms_and_stores_only_its_hash(document, applicant):
    challenge = signature_request(actor=applicant, document=document)
    code = sent_code(applicant)
    assert len(code) == 6 and code.isdigit()
    assert code not in challenge.code_hash
    notes = Notification.objects.filter(user=applicant).exclude(subject__startswith="Please")
    assert [n.channel for n in notes] == ["sms"]  # not by e-mail
    assert code not in notes[0].body and "******" in notes[0].body  # the outbox keeps no code
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=10)


def test_it_signs_binding_identity_time_and_the_documents_sha256(document, applicant):
    signature = sign(applicant, document)
    assert (signature.user, signature.name, signature.role) == (
        applicant,
        applicant.name,
        "applicant",
    )
    assert signature.document_sha256 == sha256_of(PDF)  # the file the signer was shown
    document.refresh_from_db()
    assert signature.revision_sha256 == document.sha256 == sha256_of(document.file.read())
    assert signature.field_name == f"Signature 2: {applicant.name} (applicant, user {applicant.pk})"
    assert "BEGIN CERTIFICATE" in signature.certificate
    assert signature.seal == signature.compute_seal()
    assert timezone.now() - signature.signed_at < timedelta(seconds=30)
    entry = AuditEntry.objects.filter(action="document.signed").get()
    assert entry.data["sha256"] == sha256_of(PDF) and entry.actor == applicant


def test_it_refuses_a_wrong_code_and_says_how_many_attempts_are_left(document, applicant):
    signature_request(actor=applicant, document=document)
    wrong = "000000" if sent_code(applicant) != "000000" else "111111"
    err = error_of(signature_confirm, actor=applicant, document=document, code=wrong)
    assert err.code == "wrong_code" and err.details["attempts_left"] == 2
    err = error_of(signature_confirm, actor=applicant, document=document, code="12ab")
    assert err.details["attempts_left"] == 1
    assert SigningCode.objects.get().attempts == 2  # counted although the call raised
    err = error_of(signature_confirm, actor=applicant, document=document, code=wrong)
    assert err.details["attempts_left"] == 0
    err = error_of(signature_confirm, actor=applicant, document=document, code=sent_code(applicant))
    assert err.code == "too_many_attempts"
    assert not Signature.objects.exists()
    sign(applicant, document)  # a new code works


def test_it_refuses_an_expired_code(document, applicant):
    challenge = signature_request(actor=applicant, document=document)
    SigningCode.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    err = error_of(signature_confirm, actor=applicant, document=document, code=sent_code(applicant))
    assert err.code == "code_expired"
    assert not Signature.objects.exists()


def test_it_refuses_an_earlier_code_once_a_new_one_is_sent(document, applicant):
    signature_request(actor=applicant, document=document)
    first = sent_code(applicant)
    signature_request(actor=applicant, document=document)
    second = sent_code(applicant)
    if first != second:
        err = error_of(signature_confirm, actor=applicant, document=document, code=first)
        assert err.code == "wrong_code"
    signature_confirm(actor=applicant, document=document, code=second)


def test_it_asks_for_a_code_before_confirming(document, applicant):
    err = error_of(signature_confirm, actor=applicant, document=document, code="123456")
    assert err.code == "no_code"


def test_it_limits_how_often_a_code_is_sent(document, applicant, settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 60
    signature_request(actor=applicant, document=document)
    err = error_of(signature_request, actor=applicant, document=document)
    assert err.code == "code_recently_sent" and err.status == 429 and err.details["retry_after"] > 0


def test_it_refuses_signing_twice(document, applicant):
    sign(applicant, document)
    err = error_of(signature_request, actor=applicant, document=document)
    assert err.code == "already_signed" and err.status == 409
    err = error_of(signature_confirm, actor=applicant, document=document, code="123456")
    assert err.code == "already_signed"
    assert Signature.objects.filter(user=applicant).count() == 1


def test_it_refuses_a_member_who_is_not_a_signer_and_hides_it_from_an_outsider(
    document, agent, observer, outsider
):
    assert error_of(signature_request, actor=agent, document=document).code == "not_a_signer"
    assert error_of(signature_request, actor=observer, document=document).code == "forbidden"
    assert error_of(signature_request, actor=outsider, document=document).code == "not_found"
    err = error_of(signature_confirm, actor=outsider, document=document, code="123456")
    assert err.code == "not_found"


def test_it_refuses_a_signer_without_a_phone(document, applicant):
    applicant.phone = ""
    applicant.save()
    err = error_of(signature_request, actor=applicant, document=document)
    assert err.details["code"] == "no_phone"


def test_it_attaches_the_fully_signed_document_to_the_case_file(
    document, clerk, applicant, respondent
):
    sign(clerk, document)
    sign(applicant, document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.AWAITING and document.evidence is None
    sign(respondent, document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED and document.signed_at
    evidence = Evidence.objects.get(case=document.case, kind="minutes")
    assert document.evidence == evidence
    content = evidence.file.read()
    assert content.startswith(PDF) and len(content) > len(PDF)  # signed by incremental updates
    assert evidence.sha256 == sha256_of(content) == document.sha256
    assert evidence.side == "" and evidence.submitted_by == clerk
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("document.signed") == 3
    assert "document.sealed" in actions
    assert "document.completed" in actions and "evidence.attached" in actions
    report = document_verify(document=document)
    assert report.intact and report.status == DocumentStatus.SIGNED
    assert all(check.valid for check in report.signatures) and not report.pending


def test_it_shows_every_signature_void_when_the_file_changes(document, clerk, applicant):
    sign(clerk, document)
    sign(applicant, document)
    document.refresh_from_db()  # each signature stored a new revision of the file
    with open(document.file.path, "ab") as stream:
        stream.write(b"% tampered\n")
    report = document_verify(document=document)
    assert not report.intact and report.status == DocumentStatus.VOID
    assert report.actual_sha256 != document.sha256
    assert [check.valid for check in report.signatures] == [False, False]
    err = error_of(signature_request, actor=document.signers.last().user, document=document)
    assert err.code == "document_changed"


def test_it_shows_a_signature_with_an_altered_record_as_void(document, applicant):
    sign(applicant, document)
    with tampering():  # as the tables' owner could (PostgreSQL refuses it to anyone else)
        Signature.objects.filter(user=applicant).update(name="Somebody else")
    report = document_verify(document=document)
    assert report.intact and [check.valid for check in report.signatures] == [False]


def test_it_refuses_signing_a_voided_document(document, clerk, applicant):
    signature_request(actor=applicant, document=document)
    document_void(actor=clerk, document=document, reason="Wrong hearing date")
    err = error_of(signature_confirm, actor=applicant, document=document, code=sent_code(applicant))
    assert err.code in ("document_not_awaiting", "no_code")
    assert (
        error_of(signature_request, actor=applicant, document=document).code
        == "document_not_awaiting"
    )


def test_it_lets_only_the_clerk_prepare_documents(filed_case, applicant):
    err = error_of(
        document_create,
        actor=applicant,
        case=filed_case,
        kind="minutes",
        title="x",
        content=PDF,
        filename="x.pdf",
        signers=[(applicant, "applicant")],
    )
    assert err.code == "forbidden"


def test_it_refuses_a_signer_with_no_role_on_the_case(filed_case, clerk, outsider):
    err = error_of(
        document_create,
        actor=clerk,
        case=filed_case,
        kind="minutes",
        title="x",
        content=PDF,
        filename="x.pdf",
        signers=[(outsider, "applicant")],
    )
    assert err.code == "invalid"


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n% a stand-in, not a PDF pyHanko can read\n%%EOF\n", b"plain text"],
)
def test_it_refuses_a_document_that_is_not_a_signable_pdf(filed_case, clerk, applicant, content):
    err = error_of(
        document_create,
        actor=clerk,
        case=filed_case,
        kind="minutes",
        title="x",
        content=content,
        filename="x.pdf",
        signers=[(applicant, "applicant")],
    )
    assert err.code == "invalid" and err.details == {"field": "content", "code": "not_signable_pdf"}
