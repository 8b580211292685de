"""Checkpoints carry an RFC 3161 timestamp when a timestamp authority is configured, and
`tribunal verify` checks it (pyHanko's in-process authority stands in for a real one)."""

from __future__ import annotations

import json

import pytest

from case_core.integrity import checkpoints
from case_core.integrity.timestamps import timestamp_token, token_problem
from case_core.integrity.verify import verify_record
from tests.support.record import raw, signed_checkpoint
from tests.support.signing import dummy_timestamp_authority

pytestmark = pytest.mark.django_db


def test_it_makes_unstamped_checkpoints_without_an_authority(recorded_case):
    assert recorded_case.checkpoint.timestamp == ""
    assert timestamp_token("ab" * 32) == ""
    assert "timestamp" not in checkpoints.checkpoint_document(recorded_case.checkpoint)


def test_it_stamps_a_checkpoint_and_verify_checks_the_stamp(recorded_case, monkeypatch):
    stamper = dummy_timestamp_authority()
    monkeypatch.setattr(checkpoints, "timestamp_token", lambda h: timestamp_token(h, stamper))
    checkpoint = signed_checkpoint("stamped")
    assert checkpoint.timestamp
    assert token_problem(checkpoint.timestamp, checkpoint.hash) is None
    assert token_problem(checkpoint.timestamp, "00" * 32) == "timestamp is not over this checkpoint"
    assert verify_record().ok
    other = timestamp_token("11" * 32, stamper)  # a real token, over something else
    raw("UPDATE case_core_checkpoint SET timestamp = %s WHERE id = %s", [other, checkpoint.pk])
    found = [f.problem for f in verify_record().failures if f.check == "checkpoint"]
    assert "database row differs from its file" in found
    path = checkpoints.checkpoint_path(checkpoint.seq)  # the copy outside the database too
    document = json.loads(path.read_text())
    document["timestamp"] = other
    path.write_text(json.dumps(document))
    found = [f.problem for f in verify_record().failures if f.check == "checkpoint"]
    assert "timestamp is not over this checkpoint" in found
