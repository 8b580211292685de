"""The record's integrity: signed checkpoints over every chain head, Merkle proofs, the verifier.

    keys.py         the Ed25519 checkpoint key, kept in a file outside the database
    merkle.py       the Merkle tree over chain heads and its proofs (also in tools/verify_bundle.py)
    checkpoints.py  making a signed checkpoint (milestones, nightly) and writing it outside the DB
    registry.py     what higher layers add: chain heads (hearing event logs) and checks
    verify.py       `verify_record`: every check `tribunal verify` runs, as a list of findings
    auto.py         verification that runs by itself (after milestones; nightly), audited
Trust model: docs/record-integrity.md.
"""
