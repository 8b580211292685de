"""`tribunal verify`: every class of tampering in the issue is caught, by a report naming it.

Each test changes the record the way someone with write access to the database (and the files)
could, consistently where that is possible (hashes and heads recomputed), and checks that the
verifier, anchored on the signed checkpoints, names the change.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from case_core.audit import audit_record
from case_core.integrity.verify import verify_record
from case_core.models import AuditEntry, Evidence, Signature
from tests.support.record import raw, rechain, signed_checkpoint

AUDIT = AuditEntry._meta.db_table


def problems(report, check=None) -> list[str]:
    return [
        f"{f.subject}: {f.problem}" for f in report.failures if check is None or f.check == check
    ]


def test_it_verifies_an_untouched_record(recorded_case, capsys):
    report = verify_record()
    assert report.ok, problems(report)
    assert report.checked["checkpoints"] == 1 and report.checked["signatures"] == 2
    call_command("verify", "--case", str(recorded_case.case.pk))
    assert "VERIFIED" in capsys.readouterr().out


def test_it_catches_an_entry_edited_with_the_chain_recomputed(recorded_case):
    case = recorded_case.case
    first = AuditEntry.objects.get(case=case, seq=1)
    raw(f"UPDATE {AUDIT} SET data = %s WHERE id = %s", ['{"claims": 0}', first.pk])
    rechain(case)
    from case_core.audit import audit_verify

    assert audit_verify(case.pk).ok  # the chain alone no longer shows it
    found = problems(verify_record(case.pk), "audit")
    assert any("rewritten" in p and f"case-{case.pk}" in p for p in found), found


def test_it_catches_an_entry_inserted_with_the_chain_recomputed(recorded_case, clerk):
    case = recorded_case.case
    second = AuditEntry.objects.get(case=case, seq=2)
    raw(
        f"INSERT INTO {AUDIT} (seq, prev_hash, hash, case_id, actor_id, action, data, created_at)"
        " VALUES (%s, '', '', %s, %s, 'case.note', '{}', %s)",
        [999999, case.pk, clerk.pk, second.created_at],
    )
    rechain(case)
    assert any("rewritten" in p for p in problems(verify_record(case.pk), "audit"))


def test_it_catches_an_entry_erased_with_the_chain_recomputed(recorded_case):
    case = recorded_case.case
    raw(f"DELETE FROM {AUDIT} WHERE case_id = %s AND seq = 2", [case.pk])
    rechain(case)
    found = problems(verify_record(case.pk), "audit")
    assert any("signed in checkpoint 1 is missing" in p for p in found), found


def test_it_catches_a_chain_cut_with_its_head_moved_back(recorded_case):
    case = recorded_case.case
    last = recorded_case.checkpoint.heads[f"case-{case.pk}"][0]
    raw(f"DELETE FROM {AUDIT} WHERE case_id = %s AND seq >= %s", [case.pk, last - 1])
    rechain(case)
    found = problems(verify_record(case.pk), "audit")
    assert any("missing (chain cut or erased)" in p for p in found), found


def test_it_fails_when_the_head_row_is_deleted(recorded_case):
    case = recorded_case.case
    raw("DELETE FROM case_core_audithead WHERE chain = %s", [f"case-{case.pk}"])
    found = problems(verify_record(case.pk), "audit")
    assert any("head row is missing" in p for p in found), found


def test_it_reports_entries_after_the_last_checkpoint_as_extra(recorded_case, clerk):
    case = recorded_case.case
    audit_record(actor=clerk, case=case, action="case.viewed")
    report = verify_record(case.pk)
    assert report.ok
    extra = [f for f in report.findings if f.severity == "extra"]
    assert any("1 entries after the last checkpoint" in f.problem for f in extra)


def test_it_catches_a_file_and_its_stored_hash_changed_together(recorded_case):
    exhibit = recorded_case.exhibit
    forged = b"%PDF-1.4\n% a different payslip\n%%EOF\n"
    with open(exhibit.file.path, "wb") as out:
        out.write(forged)
    raw(
        "UPDATE case_core_evidence SET sha256 = %s, size = %s WHERE id = %s",
        [hashlib.sha256(forged).hexdigest(), len(forged), exhibit.pk],
    )
    found = problems(verify_record(recorded_case.case.pk), "evidence")
    assert f"evidence {exhibit.pk} (Payslip): sha256 differs from its audit entry" in found
    assert f"evidence {exhibit.pk} (Payslip): file name is not its hash" in found


def test_it_catches_an_evidence_file_flipped(recorded_case):
    exhibit = recorded_case.exhibit
    content = bytearray(open(exhibit.file.path, "rb").read())
    content[3] ^= 0x01
    open(exhibit.file.path, "wb").write(bytes(content))
    found = problems(verify_record(recorded_case.case.pk), "evidence")
    assert found == [f"evidence {exhibit.pk} (Payslip): file does not match its hash"]


def test_it_catches_a_deleted_file_and_a_deleted_row(recorded_case):
    exhibit = recorded_case.exhibit
    signed = Evidence.objects.get(pk=recorded_case.document.evidence_id)
    signed.file.storage.delete(signed.file.name)
    raw("DELETE FROM case_core_evidence WHERE id = %s", [exhibit.pk])
    found = problems(verify_record(recorded_case.case.pk), "evidence")
    assert f"evidence {signed.pk} ({signed.title}): file is missing" in found
    assert f"evidence {exhibit.pk}: filed (evidence.uploaded) but the row is gone" in found


def test_it_catches_rows_changed_against_their_audit_entries(recorded_case, respondent):
    case, exhibit = recorded_case.case, recorded_case.exhibit
    raw("UPDATE case_core_case SET status = 'closed' WHERE id = %s", [case.pk])
    raw(
        "UPDATE case_core_evidence SET submitted_by_id = %s, side = 'respondent' WHERE id = %s",
        [respondent.pk, exhibit.pk],
    )
    report = verify_record(case.pk)
    assert f"case {case.pk}: status closed but the audit log says accepted" in problems(report)
    found = problems(report, "evidence")
    assert f"evidence {exhibit.pk} (Payslip): uploader differs from its audit entry" in found
    assert f"evidence {exhibit.pk} (Payslip): side differs from its audit entry" in found


def test_it_catches_a_forged_signature_record_with_a_recomputed_seal(recorded_case, respondent):
    document = recorded_case.document
    real = Signature.objects.filter(document=document).first()
    forged = Signature(
        document=document,
        user=respondent,
        name=respondent.name,
        role="respondent",
        signed_at=real.signed_at,
        document_sha256=real.document_sha256,
        field_name="Signature-forged",
        revision_sha256=real.revision_sha256,
    )
    forged.seal = forged.compute_seal()
    forged.save()
    found = problems(verify_record(recorded_case.case.pk), "signature")
    assert any("no audit entry records this signature" in p for p in found), found


def test_it_catches_a_signature_row_rewritten_with_its_seal(recorded_case):
    signature = Signature.objects.filter(document=recorded_case.document).first()
    signature.name = "Somebody else"
    raw(
        "UPDATE case_core_signature SET name = %s, seal = %s WHERE id = %s",
        [signature.name, signature.compute_seal(), signature.pk],
    )
    found = problems(verify_record(recorded_case.case.pk), "signature")
    assert any("differs from its audit entry: seal, name" in p for p in found), found


def test_it_catches_a_document_marked_signed_without_every_signer(recorded_case, respondent, clerk):
    from case_core.models import RequiredSigner

    RequiredSigner.objects.create(document=recorded_case.document, user=respondent, role="x")
    found = problems(verify_record(recorded_case.case.pk), "document")
    assert any("without every required signer" in p for p in found), found


def test_it_catches_a_checkpoint_forged_in_the_database(recorded_case):
    checkpoint = recorded_case.checkpoint
    raw(
        "UPDATE case_core_checkpoint SET signature = %s WHERE id = %s",
        ["00" * 64, checkpoint.pk],
    )
    found = problems(verify_record(), "checkpoint")
    assert f"checkpoint {checkpoint.seq}: database row differs from its file" in found


def test_it_catches_a_checkpoint_row_deleted_while_its_file_remains(recorded_case):
    raw("DELETE FROM case_core_checkpoint")
    raw("DELETE FROM case_core_checkpointhead")
    found = problems(verify_record(), "checkpoint")
    seq = recorded_case.checkpoint.seq
    assert f"checkpoint {seq}: in the directory but not in the database" in found


def test_it_checks_chains_against_a_checkpoint_file_when_rows_are_rewritten(recorded_case):
    """The rows and the head are rewritten, the checkpoint rows too: the file still anchors."""
    case = recorded_case.case
    raw(f"DELETE FROM {AUDIT} WHERE case_id = %s AND seq = 3", [case.pk])
    rechain(case)
    raw("DELETE FROM case_core_checkpoint")
    raw("DELETE FROM case_core_checkpointhead")
    signed_checkpoint("forger")  # even signed with the real key: the old file is not replaced
    report = verify_record(case.pk)
    assert any("signed in checkpoint 1 is missing" in p for p in problems(report, "audit"))
    assert "checkpoint 1: database row differs from its file" in problems(report, "checkpoint")


def test_it_exits_1_with_a_json_report_naming_each_mismatch(recorded_case, capsys):
    exhibit = recorded_case.exhibit
    open(exhibit.file.path, "ab").write(b"!")
    with pytest.raises(SystemExit) as exit_:
        call_command("verify", "--json", "--case", str(recorded_case.case.pk))
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["ok"] and report["failures"] == 1
    assert report["findings"][0]["subject"] == f"evidence {exhibit.pk} (Payslip)"
    with pytest.raises(CommandError, match="NOT VERIFIED: 1 mismatches"):
        call_command("verify")


def test_it_audits_each_run(recorded_case):
    call_command("verify", "--case", str(recorded_case.case.pk))
    entry = AuditEntry.objects.filter(action="record.verified").get()
    assert entry.case_id == recorded_case.case.pk and entry.data["ok"] is True


def test_it_refuses_an_unknown_case(db):
    with pytest.raises(CommandError, match="no case 999") as err:
        call_command("verify", "--case", "999")
    assert err.value.returncode == 2
