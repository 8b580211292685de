"""SHA-256 of recorded files (the implementation is case_core.hashing, shared by the case file)."""

from __future__ import annotations

from pathlib import Path

from case_core.hashing import CHUNK, sha256_file, sha256_stream

__all__ = ["CHUNK", "sha256_file", "sha256_stream", "verify"]


def verify(path: str | Path, expected_sha256: str) -> bool:
    return sha256_file(path)[0] == expected_sha256.lower()
