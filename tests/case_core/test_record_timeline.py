"""The timeline API gives a party what they need to recompute every hash of their case's chain."""

from __future__ import annotations

import hashlib
import json

from case_core.integrity.merkle import merkle_check, merkle_proof, merkle_root
from tests.support.api import as_user


def test_it_gives_hashes_a_party_can_recompute(recorded_case, applicant):
    body = as_user(applicant).get(f"/cases/{recorded_case.case.pk}/timeline").json()
    items = body["items"]
    assert items and items[0]["prev_hash"] == "0" * 64
    for item in items:
        hashed = {**item["hashed"], "seq": item["seq"], "prev": item["prev_hash"]}
        text = json.dumps(hashed, sort_keys=True, ensure_ascii=False)
        assert hashlib.sha256(text.encode()).hexdigest() == item["hash"]
    for before, after in zip(items, items[1:], strict=False):
        if after["seq"] == before["seq"] + 1:  # reading entries are not listed to parties
            assert after["prev_hash"] == before["hash"]
    assert "." in items[0]["hashed"]["created_at"]  # the full-precision timestamp


def test_it_proves_a_case_head_against_the_checkpoint_root(recorded_case):
    heads = recorded_case.checkpoint.heads
    name = f"case-{recorded_case.case.pk}"
    proof = merkle_proof(heads, name)
    seq, head_hash = heads[name]
    assert merkle_check(name, seq, head_hash, proof, recorded_case.checkpoint.merkle_root)
    assert not merkle_check(name, seq, "f" * 64, proof, recorded_case.checkpoint.merkle_root)
    many = {f"case-{i}": [i, hashlib.sha256(str(i).encode()).hexdigest()] for i in range(1, 12)}
    root = merkle_root(many)
    for chain in many:
        assert merkle_check(chain, *many[chain], merkle_proof(many, chain), root)
