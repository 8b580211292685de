"""SHA-256 of files, streamed in 1 MiB chunks so large recordings never load into memory.

The one implementation for evidence, recordings, signed documents and speech models.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024


def sha256_stream(handle) -> tuple[str, int]:
    """(hex digest, size in bytes) of an open binary file object, read to its end."""
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_file(path: str | Path) -> tuple[str, int]:
    """(hex digest, size in bytes) of the file at `path`."""
    with open(path, "rb") as handle:
        return sha256_stream(handle)
