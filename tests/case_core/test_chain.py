"""The one hash chain under the case audit log and every hearing's event log."""

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from case_core.audit import audit_verify
from case_core.chain import chain_append, chain_verify
from case_core.models import AuditEntry, Hearing, HearingKind
from case_core.models.chain import GENESIS, ChainImmutable
from signaling.models import HearingEvent, HearingLive
from signaling.services.log import hearing_log_verify
from tests.support.record import raw

AT = dt.datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)


def test_it_keeps_the_hashes_existing_entries_were_stored_with():
    """Both logs hash exactly as before they shared the chain, so stored rows still verify."""
    entry = AuditEntry(
        seq=7,
        case_id=3,
        actor_id=5,
        action="case.accepted",
        data={"note": "证据", "n": 1},
        created_at=AT,
        prev_hash="a" * 64,
    )
    event = HearingEvent(
        hearing_id=2,
        seq=4,
        kind="chat",
        actor_id=5,
        subject_id=None,
        room="main",
        data={"text": "你好"},
        created_at=AT,
        prev_hash="b" * 64,
    )
    assert (
        entry.compute_hash() == "015f5750e0981995ef47cd5d52beb372df85144c267d57731c50e9d453b09e26"
    )
    assert (
        event.compute_hash() == "926d5faef6b0899c4e3e4b1e6fe6475cefb5224390e34d537397b5de7133fd07"
    )


def _hearing(case) -> Hearing:
    return Hearing.objects.create(
        case=case, kind=HearingKind.MEDIATION, scheduled_start=timezone.now() + timedelta(days=1)
    )


def _log(hearing, kind, actor=None, **data) -> HearingEvent:
    with transaction.atomic():
        live, _ = HearingLive.objects.select_for_update().get_or_create(hearing=hearing)
        event = HearingEvent(
            hearing=hearing, kind=kind, actor=actor, room="main", data=data, created_at=AT
        )
        return chain_append(live, event)


@pytest.fixture
def log(filed_case, clerk):
    hearing = _hearing(filed_case)
    events = [_log(hearing, "chat.message", clerk, text=f"line {i}") for i in range(4)]
    return hearing, events


def test_it_links_each_hearing_log_on_its_own(filed_case, clerk, log):
    hearing, events = log
    other = _hearing(filed_case)
    first = _log(other, "hearing.open", clerk)
    assert [e.seq for e in events] == [1, 2, 3, 4] and first.seq == 1
    assert events[0].prev_hash == GENESIS == first.prev_hash
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    live = HearingLive.objects.get(hearing=hearing)
    assert (live.last_seq, live.last_hash) == (4, events[-1].hash)
    assert hearing_log_verify(hearing_id=hearing.pk) == (True, 4)
    assert hearing_log_verify(hearing_id=other.pk) == (True, 1)
    assert audit_verify().ok  # the audit chain is a separate chain


def test_it_refuses_to_change_or_delete_hearing_events_through_the_orm(log):
    hearing, events = log
    event = events[1]
    event.data = {"text": "forged"}
    with pytest.raises(ChainImmutable):
        event.save()
    with pytest.raises(ChainImmutable):
        event.delete()
    with pytest.raises(ChainImmutable):
        HearingEvent.objects.filter(pk=event.pk).update(kind="forged")
    with pytest.raises(ChainImmutable):
        HearingEvent.objects.filter(hearing=hearing).delete()
    assert hearing_log_verify(hearing_id=hearing.pk) == (True, 4)


def _raw(sql, params):
    raw(sql.replace("TABLE", HearingEvent._meta.db_table), params)  # as the tables' owner could


def _report(hearing):
    return chain_verify(
        HearingEvent.objects.filter(hearing=hearing), HearingLive.objects.get(hearing=hearing)
    )


def test_it_reports_a_tampered_hearing_event(log):
    hearing, events = log
    _raw("UPDATE TABLE SET data = %s WHERE id = %s", ['{"text": "forged"}', events[2].pk])
    assert hearing_log_verify(hearing_id=hearing.pk) == (False, 3)
    report = _report(hearing)
    assert report.first_broken_seq == 3 and "does not match" in report.reason


def test_it_reports_a_rehashed_hearing_event_by_its_broken_link(log):
    hearing, events = log
    target = events[1]
    target.data = {"text": "forged"}
    _raw(
        "UPDATE TABLE SET data = %s, hash = %s WHERE id = %s",
        ['{"text": "forged"}', target.compute_hash(), target.pk],
    )
    report = _report(hearing)
    assert not report.ok and report.first_broken_seq == 3 and "link" in report.reason


def test_it_reports_hearing_events_cut_from_the_end(log):
    hearing, events = log
    _raw("DELETE FROM TABLE WHERE id = %s", [events[-1].pk])
    assert hearing_log_verify(hearing_id=hearing.pk) == (False, 3)
    assert "removed" in _report(hearing).reason


def test_it_hashes_json_data_as_the_database_stores_it(filed_case):
    hearing = _hearing(filed_case)
    event = _log(hearing, "recording.stopped", at=AT, amount=Decimal("1.50"))
    assert event.data == {"at": "2025-03-01T09:30:15.123Z", "amount": "1.50"}
    stored = HearingEvent.objects.get(pk=event.pk)
    assert stored.compute_hash() == stored.hash
    assert hearing_log_verify(hearing_id=hearing.pk) == (True, 1)


def test_it_refuses_to_append_outside_a_transaction():
    """Without the transaction that locks the head, two appends could take the same seq."""
    live = HearingLive(hearing_id=1)
    event = HearingEvent(hearing_id=1, kind="chat.message", created_at=AT)
    with pytest.raises(RuntimeError, match="inside the transaction"):
        chain_append(live, event)
    assert live.last_seq == 0 and event.hash == ""
