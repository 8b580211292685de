"""`tribunal backup` and `tribunal restore` on PostgreSQL: a case file lost (database emptied,
files deleted) comes back whole from its backup: the same rows, the audit chain verifies, every
evidence file matches its SHA-256; a changed backup is refused (hearing_server/backup.py).
One test, one migrated database: the CLI calls are what costs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.require import PROJECT_ROOT, need
from tests.support.scaleout import PG_URL, reachable

DATABASE = f"tribunal_deploy_backup_{os.getpid()}"  # its own, even beside another run
UPLOAD_PY = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from case_core.models import Case, User
from case_core.services.evidence import evidence_upload
case = Case.objects.filter(members__user__username="worker").first()
worker = User.objects.get(username="worker")
pdf = b"%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n" + b"x" * 2048
evidence_upload(actor=worker, case=case, upload=SimpleUploadedFile("contract.pdf", pdf), title="Contract")
print(1)
"""
STATE_PY = """
import hashlib, json
from case_core.models import AuditEntry, Case, Evidence, User
def digest(e):
    with e.file.open("rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
print(json.dumps({
    "cases": Case.objects.count(), "users": User.objects.count(),
    "audit": AuditEntry.objects.count(),
    "evidence": sorted([e.sha256, digest(e)] for e in Evidence.objects.all()),
}))
"""


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as db:
        db.execute(sql)


@pytest.fixture
def tribunal(tmp_path):
    need(reachable("127.0.0.1", 5432), "PostgreSQL is not running on 127.0.0.1:5432")
    _psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{DATABASE}"')
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(
        DATABASE_URL=f"{PG_URL}/{DATABASE}",
        TRIBUNAL_DATA_DIR=str(tmp_path / "data"),
        DJANGO_SETTINGS_MODULE="hearing_server.settings",
    )

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, "-m", "hearing_server.cli", *args],
            env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if ok and done.returncode != 0:
            raise AssertionError(f"tribunal {args[0]} failed:\n{done.stdout}\n{done.stderr}")
        return done

    run.state = lambda: json.loads(run("shell", "-c", STATE_PY).stdout.strip().splitlines()[-1])
    yield run
    _psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def test_it_restores_a_lost_case_file_from_its_backup(tribunal, tmp_path):
    tribunal("migrate", "--no-input", "-v", "0")
    tribunal("seed")
    tribunal("shell", "-c", UPLOAD_PY)
    before = tribunal.state()
    assert before["evidence"] and all(stored == actual for stored, actual in before["evidence"])
    tribunal("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"] == "postgresql" and "database.dump" in manifest["files"]

    # Disaster: the database emptied and the files gone.
    _psql(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{DATABASE}"')
    for path in sorted((tmp_path / "data" / "media").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()

    tribunal("restore", str(tmp_path / "backup"))
    after = tribunal.state()
    assert after == before
    assert all(stored == actual for stored, actual in after["evidence"])
    tribunal("verify_audit")

    # A backup whose files changed is refused, and nothing is restored from it.
    dump = tmp_path / "backup" / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    refused = tribunal("restore", str(tmp_path / "backup"), ok=False)
    assert refused.returncode != 0 and "changed since the backup" in refused.stderr
    assert tribunal("backup", str(tmp_path / "backup"), ok=False).returncode != 0  # not empty
