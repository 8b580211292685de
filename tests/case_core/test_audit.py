"""The append-only, hash-chained audit log and its verifier."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from case_core.audit import audit_record, audit_verify
from case_core.models import AuditEntry
from case_core.models.audit import AuditImmutable
from tests.support.record import raw


@pytest.fixture
def chain(filed_case, clerk):
    for i in range(3):
        audit_record(
            actor=clerk, case=filed_case, action="test.entry", data={"i": i, "text": "证据"}
        )
    return list(AuditEntry.objects.order_by("seq"))


def test_it_links_each_entry_to_the_previous_one(chain):
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash and after.seq == before.seq + 1
    assert audit_verify().ok


def test_it_refuses_to_change_or_delete_entries_through_the_orm(chain):
    entry = chain[0]
    entry.action = "forged"
    with pytest.raises(AuditImmutable):
        entry.save()
    with pytest.raises(AuditImmutable):
        entry.delete()
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(AuditImmutable):
        AuditEntry.objects.all().delete()


def _raw(sql, params):
    raw(sql.replace("TABLE", AuditEntry._meta.db_table), params)  # as the tables' owner could


def test_it_reports_the_first_tampered_entry(chain, capsys):
    target = chain[2]
    _raw("UPDATE TABLE SET data = %s WHERE seq = %s", ['{"i": 99}', target.seq])
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == target.seq
    assert "does not match" in report.reason
    with pytest.raises(CommandError, match=f"broken at entry {target.seq}"):
        call_command("verify_audit")


def test_it_reports_a_rehashed_entry_by_its_broken_link(chain):
    target = chain[1]
    target.data = {"i": 42}
    forged_hash = target.compute_hash()
    _raw(
        "UPDATE TABLE SET data = %s, hash = %s WHERE seq = %s",
        ['{"i": 42}', forged_hash, target.seq],
    )
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == target.seq + 1
    assert "link" in report.reason


def test_it_reports_a_deleted_entry(chain):
    _raw("DELETE FROM TABLE WHERE seq = %s", [chain[1].seq])
    report = audit_verify()
    assert not report.ok and report.first_broken_seq == chain[2].seq


def test_it_reports_entries_cut_from_the_end(chain):
    _raw("DELETE FROM TABLE WHERE seq = %s", [chain[-1].seq])
    report = audit_verify()
    assert not report.ok and "removed" in report.reason


def test_it_says_an_intact_chain_is_intact(chain, capsys):
    call_command("verify_audit")
    assert f"intact: {len(chain)} entries" in capsys.readouterr().out
