"""Hearing minutes: a PDF in the hearing's language from the case, the event log and the
reviewed transcript, signed by the tribunal and the parties present, then in the case file."""

from __future__ import annotations

import pytest

from case_core.errors import DomainError
from case_core.models import AuditEntry, DocumentStatus, Evidence
from case_core.services.signing import signature_confirm, signature_request
from minutes.services import minutes_generate
from tests.support.pdf import pdf_text
from tests.support.transcripts import (
    sent_code,
    tracks_for,
)
from transcription.review import segment_edit, transcript_mark_reviewed
from transcription.transcripts import transcript_from_segments


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0


def sign(user, document):
    signature_request(actor=user, document=document)
    return signature_confirm(actor=user, document=document, code=sent_code(user))


@pytest.fixture
def reviewed(held, transcript, clerk):
    return transcript_mark_reviewed(actor=clerk, transcript=transcript)


def test_it_generates_english_minutes_with_the_record(held, reviewed, clerk):
    held.language = "en"
    held.save()
    document = minutes_generate(actor=clerk, hearing=held)
    content = document.file.read()
    assert content.startswith(b"%PDF")
    assert document.kind == "minutes" and document.status == DocumentStatus.AWAITING
    assert document.language == "en" and document.title.startswith("Minutes of the hearing of")
    text = " ".join(pdf_text(document).split())
    for expected in (
        "Hearing minutes",
        held.case.number,
        "Unpaid wages",  # the case title
        "Zhang San",  # a party
        "Shenzhen Example Co.",
        "Identity document shown on camera",
        "clerk admitted applicant to the hearing.",
        "clerk started the recording.",
        "Mediation with applicant",  # the caucus
        "Payslips for March uploaded",  # chat
        "The company paid the March wages.",  # the reviewed transcript
        "00:00:11",
    ):
        assert expected in text, expected


def test_it_generates_chinese_minutes_with_the_cid_font(
    held, arbitrator, applicant, respondent, clerk
):
    chinese = transcript_from_segments(
        hearing=held,
        tracks=tracks_for(held, arbitrator, applicant, respondent, "zh-hans"),
        language="zh-hans",
    )
    transcript_mark_reviewed(actor=clerk, transcript=chinese)
    assert held.language == "zh-hans"
    document = minutes_generate(actor=clerk, hearing=held)
    content = document.file.read()
    assert content.startswith(b"%PDF") and b"STSong-Light" in content
    text = "".join(pdf_text(document).split())
    assert held.case.number in text
    assert "公司已经支付了三月的工资。" in text
    assert "庭审笔录" in text or "笔录" in text  # the heading, in Chinese


def test_it_asks_the_tribunal_and_the_parties_present_to_sign(
    held, reviewed, clerk, arbitrator, applicant, respondent, agent
):
    document = minutes_generate(actor=clerk, hearing=held)
    signers = [(s.user, s.role) for s in document.signers.all()]
    assert signers == [
        (arbitrator, "presiding"),
        (clerk, "clerk"),
        (applicant, "applicant"),
        (respondent, "respondent"),
    ]  # the agent never came; observers do not sign
    assert agent not in [user for user, _role in signers]


def test_it_refuses_minutes_before_the_transcript_is_reviewed(held, transcript, clerk):
    with pytest.raises(DomainError) as err:
        minutes_generate(actor=clerk, hearing=held)
    assert err.value.code == "transcript_not_reviewed"


def test_it_lets_only_the_clerk_generate_minutes(held, reviewed, applicant, arbitrator):
    for user in (applicant, arbitrator):
        with pytest.raises(DomainError) as err:
            minutes_generate(actor=user, hearing=held)
        assert err.value.code == "forbidden"


def test_it_replaces_minutes_still_out_for_signature(held, reviewed, clerk, applicant, respondent):
    first = minutes_generate(actor=clerk, hearing=held)
    sign(applicant, first)
    second = minutes_generate(actor=clerk, hearing=held)
    first.refresh_from_db()
    assert first.status == DocumentStatus.VOID and second.status == DocumentStatus.AWAITING
    with pytest.raises(DomainError) as err:
        signature_request(actor=respondent, document=first)
    assert err.value.code == "document_not_awaiting"


def test_it_files_the_signed_minutes_and_freezes_the_transcript(
    held, reviewed, clerk, arbitrator, applicant, respondent
):
    document = minutes_generate(actor=clerk, hearing=held)
    for user in (respondent, arbitrator, applicant, clerk):
        sign(user, document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    evidence = Evidence.objects.get(case=held.case, kind="minutes")
    assert evidence.sha256 == document.sha256 and evidence.file.read().startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action="evidence.attached", data__evidence=evidence.pk
    ).exists()
    segment = reviewed.segments.first()
    with pytest.raises(DomainError) as err:
        segment_edit(actor=clerk, segment=segment, text="A late correction.")
    assert err.value.code == "minutes_signed"
    segment.refresh_from_db()
    assert segment.text == "The hearing is now open." and segment.version == 0
    with pytest.raises(DomainError) as err:
        minutes_generate(actor=clerk, hearing=held)
    assert err.value.code == "minutes_signed"


def test_it_generates_minutes_without_a_transcript_or_an_event_log(
    hearing, clerk, applicant, respondent, agent
):
    document = minutes_generate(actor=clerk, hearing=hearing)
    assert document.file.read().startswith(b"%PDF")
    roles = [s.role for s in document.signers.all()]
    assert roles == ["presiding", "clerk", "applicant", "respondent", "agent"]  # all invited
