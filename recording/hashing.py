"""SHA-256 of recorded files, streamed so large recordings do not load into memory."""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024


def sha256_file(path: str | Path) -> tuple[str, int]:
    """Return (hex digest, size in bytes)."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify(path: str | Path, expected_sha256: str) -> bool:
    return sha256_file(path)[0] == expected_sha256.lower()


def sha256_stream(handle) -> tuple[str, int]:
    """(hex digest, size) of an open binary file object, read to its end."""
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
