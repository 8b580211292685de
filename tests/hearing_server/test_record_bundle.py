"""`tribunal bundle --case N`: a BagIt bundle that tools/verify_bundle.py (standard library and
`cryptography` only) verifies offline, moved to another place, and that fails on any changed byte
naming the file."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from case_core.integrity.keys import public_key_path
from case_core.models import AuditEntry
from tests.support.record import signed_checkpoint
from tests.support.require import PROJECT_ROOT
from tests.support.transcripts import log_event

VERIFIER = PROJECT_ROOT / "tools" / "verify_bundle.py"


def _verifier():
    spec = importlib.util.spec_from_file_location("verify_bundle", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bundle(recorded_case, clerk, tmp_path):
    from django.utils import timezone

    from case_core.models import Hearing, HearingKind

    hearing = Hearing.objects.create(
        case=recorded_case.case, kind=HearingKind.MEDIATION, scheduled_start=timezone.now()
    )
    for kind in ("hearing.open", "hearing.close"):
        log_event(hearing, kind, actor=clerk)
    signed_checkpoint()
    out = tmp_path / "bundle"
    call_command("bundle", "--case", str(recorded_case.case.pk), "--out", str(out))
    return out


def test_it_verifies_offline_elsewhere_with_only_the_standard_library(bundle, tmp_path):
    elsewhere = tmp_path / "another" / "machine" / "case bundle"
    shutil.copytree(bundle, elsewhere)
    key = tmp_path / "published-key.pem"
    shutil.copy(public_key_path(), key)
    run = subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(elsewhere), "--key", str(key)],
        cwd=tmp_path / "another",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VERIFIED" in run.stdout
    imports = [line for line in VERIFIER.read_text().splitlines() if "import " in line]
    assert all("django" not in line and "case_core" not in line for line in imports)


def test_it_holds_the_record_and_is_audited(bundle, recorded_case):
    record = json.loads((bundle / "data" / "record.json").read_text())
    names = sorted(record["chains"])
    assert names[0] == f"case-{recorded_case.case.pk}" and names[1].startswith("hearing-")
    assert len(names) == 2
    kinds = sorted(f["what"] for f in record["files"])
    assert kinds.count("evidence") == 2 and kinds.count("document") == 1
    exported = AuditEntry.objects.filter(action="record.exported").get()
    assert exported.case_id == recorded_case.case.pk
    assert (bundle / "bagit.txt").exists() and (bundle / "manifest-signature.json").exists()


def _flip(path):
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0x01
    path.write_bytes(bytes(content))


CHANGED = [
    "data/evidence",
    "data/documents",
    "data/audit.jsonl",
    "data/record.json",
    "data/proofs.json",
    "data/checkpoints",
    "data/hearings",
    "data/transcripts",
    "bag-info.txt",
    "manifest-sha256.txt",
    "manifest-signature.json",
    "checkpoint-key.pub.pem",
]


def test_it_fails_on_a_changed_byte_naming_the_file(bundle, tmp_path):
    verify = _verifier()
    key = str(public_key_path())
    assert verify.verify(bundle, key).problems == []
    checked = 0
    for name in CHANGED:
        if not (bundle / name).exists():
            continue  # this case has no transcript
        copy = tmp_path / "changed" / name.replace("/", "-")
        shutil.copytree(bundle, copy)
        folder = copy / name
        if folder.is_dir():
            files = sorted(p for p in folder.iterdir() if p.is_file())
            if not files:
                continue
            target = files[0]
        else:
            target = folder
        _flip(target)
        relative = target.relative_to(copy).as_posix()
        problems = verify.verify(copy, key).problems
        assert any(p.startswith(relative) for p in problems), (relative, problems)
        checked += 1
    assert checked >= len(CHANGED) - 1  # the case has no transcript


def test_it_catches_a_bundle_rewritten_and_signed_with_another_key(bundle, tmp_path):
    """A forger edits an entry, recomputes every hash and manifest and signs with a key of his
    own, shipped in the bundle: checked against the committee's key, it fails."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    published = tmp_path / "published.pem"
    shutil.copy(public_key_path(), published)
    verify = _verifier()
    audit = bundle / "data" / "audit.jsonl"
    rows = [json.loads(line) for line in audit.read_text().splitlines()]
    rows[0]["hashed"]["data"]["claims"] = 0
    prev = "0" * 64
    for row in rows:
        row["prev"] = prev
        row["hash"] = verify.canonical_hash({**row["hashed"], "seq": row["seq"], "prev": prev})
        prev = row["hash"]
    audit.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    bag = bagit.Bag(str(bundle))
    bag.save(manifests=True)
    forger = Ed25519PrivateKey.generate()
    (bundle / "checkpoint-key.pub.pem").write_bytes(
        forger.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    digest = hashlib.sha256((bundle / "manifest-sha256.txt").read_bytes()).digest()
    (bundle / "manifest-signature.json").write_text(
        json.dumps({"signature": forger.sign(digest).hex()})
    )
    bag.save()
    result = verify.verify(bundle, str(published))
    assert "manifest-signature.json: the manifest's signature does not verify" in result.problems
    assert any("differs from the signed head (rewritten)" in p for p in result.problems)


def test_it_refuses_an_unknown_case_or_an_existing_directory(recorded_case, tmp_path):
    with pytest.raises(CommandError, match="no case 999"):
        call_command("bundle", "--case", "999", "--out", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="exists already"):
        call_command("bundle", "--case", str(recorded_case.case.pk), "--out", str(tmp_path))
