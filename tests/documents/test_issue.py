"""Drafts from templates, versions, issue under the seal or the tribunal's signatures: every kind
validated by pyHanko against the committee root; a flipped byte fails; bad input issues nothing."""

from __future__ import annotations

import pytest

from case_core.errors import DomainError
from case_core.models import DocumentStatus, SignableDocument
from documents.kinds import KINDS, Kind
from documents.models import Draft, DraftStatus, Service
from documents.services.drafts import draft_create, draft_edit, draft_issue
from tests.support.paperwork import pyhanko_check, pyhanko_fails, sign_as


def issue(kind, case, clerk, arbitrator, language="zh-hans"):
    draft = draft_create(actor=clerk, case=case, kind=kind, language=language)
    document = draft_issue(actor=clerk, draft=draft)
    if document.status == DocumentStatus.AWAITING:
        sign_as(arbitrator, document)
    document.refresh_from_db()
    return document


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_issues_every_kind_and_pyhanko_validates_each_against_the_committee_root(
    paper_case, clerk, arbitrator, language
):
    for name in KINDS:
        document = issue(name, paper_case, clerk, arbitrator, language)
        assert document.status == DocumentStatus.SIGNED, name
        content = document.evidence.file.read()
        statuses = pyhanko_check(content)
        assert len(statuses) == (2 if KINDS[name].signers != "seal" else 1), name
        assert Service.objects.filter(document=document).exists(), name


def test_it_fails_validation_when_one_byte_of_an_issued_award_changes(
    paper_case, clerk, arbitrator
):
    content = issue("award", paper_case, clerk, arbitrator).evidence.file.read()
    middle = bytearray(content)
    middle[len(content) // 3] ^= 0x01
    assert pyhanko_fails(bytes(middle))


def test_it_writes_the_award_from_the_case_file_and_keeps_every_edit_as_a_version(
    paper_case, clerk, arbitrator
):
    draft = draft_create(actor=clerk, case=paper_case, kind="award", language="zh-hans")
    first = draft.latest()
    assert first.title == "裁决书" and paper_case.number in first.body
    assert "Unpaid wages March-May" in first.body
    draft_edit(
        actor=clerk, draft=draft, title="裁决书", body=first.body + "\n\n一、支付工资。", final=True
    )
    draft_edit(
        actor=arbitrator,
        draft=draft,
        title="裁决书",
        body=first.body + "\n\n一、支付工资18000元。",
        final=True,
    )
    assert [v.number for v in draft.versions.all()] == [1, 2, 3]
    assert draft.latest().final and "18000元" in draft.latest().body
    document = draft_issue(actor=clerk, draft=draft)
    assert document.status == DocumentStatus.AWAITING
    with pytest.raises(DomainError) as edit_after:
        draft_edit(actor=clerk, draft=draft, title="x", body="y")
    assert edit_after.value.code == "draft_not_editable"


def test_it_refuses_a_template_that_does_not_exist_and_creates_nothing(
    paper_case, clerk, monkeypatch
):
    monkeypatch.setitem(KINDS, "broken", Kind("broken", "Broken"))
    with pytest.raises(DomainError) as refused:
        draft_create(actor=clerk, case=paper_case, kind="broken")
    assert refused.value.code == "template_error" and refused.value.status == 422
    assert not Draft.objects.exists()


def test_it_refuses_an_unknown_kind_and_a_party_drafting(paper_case, clerk, applicant):
    with pytest.raises(DomainError) as unknown:
        draft_create(actor=clerk, case=paper_case, kind="letter_of_marque")
    assert unknown.value.status == 400
    with pytest.raises(DomainError) as party:
        draft_create(actor=applicant, case=paper_case, kind="award")
    assert party.value.code == "forbidden"


def test_it_issues_nothing_when_the_seal_certificate_cannot_be_read(
    paper_case, clerk, settings, tmp_path
):
    draft = draft_create(actor=clerk, case=paper_case, kind="acceptance_notice")
    settings.TRIBUNAL_PKI_SEAL_CERT = str(tmp_path / "missing-seal.pem")
    settings.TRIBUNAL_PKI_SEAL_KEY = str(tmp_path / "missing-seal.key")
    with pytest.raises(DomainError) as refused:
        draft_issue(actor=clerk, draft=draft)
    assert refused.value.code == "signing_unavailable" and refused.value.status == 503
    draft.refresh_from_db()
    assert draft.status == DraftStatus.EDITING
    assert not SignableDocument.objects.filter(case=paper_case).exists()
    assert not Service.objects.exists()


def test_it_refuses_the_award_before_a_tribunal_signs_it(filed_case, clerk):
    from case_core.services.lifecycle import case_accept

    case_accept(actor=clerk, case=filed_case)
    draft = draft_create(actor=clerk, case=filed_case, kind="award")
    with pytest.raises(DomainError) as refused:
        draft_issue(actor=clerk, draft=draft)
    assert refused.value.code == "no_signers"


def test_it_states_the_award_is_final_when_the_final_flag_is_set(paper_case, clerk):
    draft = draft_create(actor=clerk, case=paper_case, kind="award", language="en")
    body = draft.latest().body
    assert "may bring an action" in body and "is final" not in body
    final = draft_edit(actor=clerk, draft=draft, title="Award", body=body, final=True)
    assert "This award is final" in final.body and "may bring an action" not in final.body
    back = draft_edit(actor=clerk, draft=draft, title="Award", body=final.body, final=False)
    assert "may bring an action" in back.body
