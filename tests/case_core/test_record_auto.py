"""Verification and checkpoints that run by themselves: each milestone signs a checkpoint (written
outside the database), a fully signed document queues a verification of its case, each run is
audited, a failure notifies the administrators and flags the case (record_alert)."""

from __future__ import annotations

import hashlib
import json

from django.core.management import call_command
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from case_core.integrity.auto import record_alert
from case_core.integrity.keys import public_key_path
from case_core.models import AuditEntry, Checkpoint, Notification
from case_core.services.lifecycle import case_accept
from case_core.tasks import verify_case_record
from tests.support.record import PDF_BYTES, sign_all


def test_it_signs_a_checkpoint_after_each_milestone(
    settings, filed_case, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case_accept(actor=clerk, case=filed_case)
    checkpoint = Checkpoint.objects.get()
    assert checkpoint.reason == "case.accept" and checkpoint.case_id == filed_case.pk
    last = AuditEntry.objects.filter(case=filed_case).order_by("-seq").first()
    assert checkpoint.heads[f"case-{filed_case.pk}"] == [last.seq, last.hash]
    written = json.loads((settings.TRIBUNAL_CHECKPOINT_DIR / "0000000001.json").read_text())
    assert written["hash"] == checkpoint.hash and written["signature"] == checkpoint.signature
    key = settings.TRIBUNAL_CHECKPOINT_KEY
    assert key.stat().st_mode & 0o777 == 0o600 and public_key_path().exists()
    assert str(settings.DATA_DIR) not in str(key)  # tests keep it in their own directory


def test_it_queues_a_verification_when_a_document_is_fully_signed(
    recorded_case, clerk, applicant, django_capture_on_commit_callbacks
):
    from case_core.services.signing import document_create, document_issue
    from tests.support.signing import minutes_like_pdf

    document = document_issue(
        actor=clerk,
        document=document_create(
            actor=clerk,
            case=recorded_case.case,
            kind="mediation_agreement",
            title="Second agreement",
            content=minutes_like_pdf("Second"),
            filename="second.pdf",
            signers=[(clerk, "clerk")],
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(document, [clerk])
    queued = DBTaskResult.objects.filter(task_path=verify_case_record.module_path)
    assert [json.loads(json.dumps(r.args_kwargs))["args"] for r in queued] == [
        [recorded_case.case.pk, "document.completed"]
    ]


def test_it_audits_a_failed_run_alerts_the_administrators_and_flags_the_case(
    recorded_case, admin_user, django_capture_on_commit_callbacks
):
    exhibit = recorded_case.exhibit
    with open(exhibit.file.path, "wb") as out:
        out.write(PDF_BYTES + b"changed")
    with django_capture_on_commit_callbacks(execute=True):
        result = verify_case_record.call(recorded_case.case.pk, "test")
    assert result["ok"] is False and result["failures"] == 1
    entry = AuditEntry.objects.filter(action="record.verified").get()
    assert entry.case_id == recorded_case.case.pk and entry.data["ok"] is False
    alert = record_alert(recorded_case.case)
    assert alert == [
        {
            "check": "evidence",
            "subject": f"evidence {exhibit.pk} (Payslip)",
            "problem": "file does not match its hash",
        }
    ]
    notes = Notification.objects.filter(user=admin_user)
    assert notes.exists() and "Payslip" in notes.first().body


def test_it_clears_the_flag_when_a_nightly_run_passes(recorded_case, clerk):
    exhibit = recorded_case.exhibit
    original = open(exhibit.file.path, "rb").read()
    open(exhibit.file.path, "ab").write(b"!")
    verify_case_record.call(recorded_case.case.pk, "test")
    assert record_alert(recorded_case.case)
    open(exhibit.file.path, "wb").write(original)
    call_command("verify", "--checkpoint")
    assert record_alert(recorded_case.case) == []
    assert Checkpoint.objects.filter(reason="nightly").exists()


def test_it_sends_the_milestone_checkpoint_hash_with_the_notice(
    filed_case, clerk, applicant, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        case_accept(actor=clerk, case=filed_case)
    checkpoint = Checkpoint.objects.get()
    note = Notification.objects.filter(user=applicant, channel="sms").last()
    assert f"Record checkpoint {checkpoint.seq}: {checkpoint.hash}" in note.body


def test_it_puts_a_banner_on_the_case_and_document_pages_after_a_failed_run(
    recorded_case, applicant
):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(applicant)
    case_page = f"/cases/{recorded_case.case.pk}/"
    document_page = f"/documents/{recorded_case.document.pk}/"
    banner = "This case's record failed its last verification."
    assert banner not in client.get(case_page).content.decode()
    open(recorded_case.exhibit.file.path, "ab").write(b"!")
    verify_case_record.call(recorded_case.case.pk, "test")
    for page in (case_page, document_page):
        response = client.get(page)
        assert response.status_code == 200 and banner in response.content.decode(), page


def test_it_notices_a_file_served_that_does_not_match_its_hash(recorded_case, applicant):
    from django.test import Client

    client = Client()
    client.force_login(applicant)
    url = f"/evidence/{recorded_case.exhibit.pk}/download/"
    assert b"".join(client.get(url).streaming_content) == PDF_BYTES
    assert not AuditEntry.objects.filter(action="evidence.served_changed").exists()
    open(recorded_case.exhibit.file.path, "ab").write(b"!")
    sent = b"".join(client.get(url).streaming_content)
    assert sent == PDF_BYTES + b"!"
    entry = AuditEntry.objects.get(action="evidence.served_changed")
    assert entry.data["sent"] == hashlib.sha256(sent).hexdigest()
    queued = DBTaskResult.objects.filter(task_path=verify_case_record.module_path)
    assert queued.count() == 1
