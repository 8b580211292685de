"""Backup and restore of what a deployment must not lose: the database (with the audit log,
hearing event logs and signed checkpoints in it), the case file's files (local storage) and the
committee's PKI keys. `tribunal backup DIR` / `tribunal restore DIR` (management commands).

A backup is a directory: ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3``
(SQLite, its online backup API), ``files/`` (MEDIA_ROOT), ``pki/`` (TRIBUNAL_PKI_DIR) and
``manifest.json`` with every file's SHA-256. Restore checks the manifest first and refuses a
backup whose files changed; it replaces the database's contents and puts the files back. With
TRIBUNAL_STORAGE=s3 the bucket is backed up with the storage's own tools (versioning,
replication); the manifest says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections


class BackupError(RuntimeError):
    """The backup cannot be made or restored; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    args += ["-U", db.get("USER") or "postgres", "-d", db["NAME"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:2000]}")


def _copy_tree(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)


def backup(directory: Path) -> dict:
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    vendor = connections["default"].vendor
    if vendor == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "-Fc", "-f", str(directory / "database.dump"), *args], env)
    elif vendor == "sqlite":
        with sqlite3.connect(settings.DATABASES["default"]["NAME"]) as source:
            with sqlite3.connect(directory / "database.sqlite3") as target:
                source.backup(target)
    else:
        raise BackupError(f"no backup for a {vendor} database")
    s3 = settings.STORAGES["default"]["BACKEND"].endswith("S3Storage")
    if not s3:
        _copy_tree(Path(settings.MEDIA_ROOT), directory / "files")
    _copy_tree(Path(settings.TRIBUNAL_PKI_DIR), directory / "pki")
    files = {
        str(path.relative_to(directory)): _sha256(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "database": vendor,
        "case_files": "in the S3 bucket (back it up there)" if s3 else "files/",
        "files": files,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def verify(directory: Path) -> dict:
    """The manifest, after checking every file it names against its SHA-256."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest.json in {directory}: {exc}") from None
    for name, digest in manifest["files"].items():
        path = directory / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or changed since the backup")
    present = {str(p.relative_to(directory)) for p in directory.rglob("*") if p.is_file()}
    extra = present - set(manifest["files"]) - {"manifest.json"}
    if extra:
        raise BackupError(f"files not in the manifest: {sorted(extra)[:5]}")
    return manifest


def restore(directory: Path) -> dict:
    directory = Path(directory)
    manifest = verify(directory)
    vendor = connections["default"].vendor
    if manifest["database"] != vendor:
        raise BackupError(f"a {manifest['database']} backup cannot go into a {vendor} database")
    connections.close_all()
    if vendor == "postgresql":
        args, env = _pg_env()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             *args, str(directory / "database.dump")],
            env,
        )  # fmt: skip
    else:
        target = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(directory / "database.sqlite3") as source:
            with sqlite3.connect(target) as copy:
                source.backup(copy)
    _copy_tree(directory / "files", Path(settings.MEDIA_ROOT))
    _copy_tree(directory / "pki", Path(settings.TRIBUNAL_PKI_DIR))
    return manifest
