"""Files of secrets kept outside the database (the generated SECRET_KEY, the committee's keys):
created once, atomically and private, and refused when others may read them.

Plain Python (no Django), so settings can use it before Django is set up.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class ExposedFile(Exception):
    """A secret's file that others may read (its message says how to fix it)."""


def create_once(path: Path, data: bytes, *, private: bool = True) -> None:
    """Write `data` to a temporary file (0600, or 0644 when not `private`), then link it into
    place: the file appears whole or not at all, and a process that loses the race to create it
    keeps the winner's file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def read_private(path: Path, what: str) -> bytes:
    """The bytes of a private file; ExposedFile if its mode lets others read it."""
    path = Path(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ExposedFile(
            f"{path} holds {what} but others may read it (mode {mode:o}); run: chmod 600 {path}"
        )
    return path.read_bytes()
