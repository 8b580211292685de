"""Files hashed while they are served: a download that did not match its hash is noticed.

`HashingReader` wraps an open stored file: every byte read is hashed, and when the file has been
read to its end the hash is compared with the one on record. A mismatch is logged, audited
(`evidence.served_changed`, with both hashes) and the case's record is queued for verification
(which alerts the administrators and flags the case's pages). The bytes already sent cannot be
recalled; what the record says was sent is then true.
"""

from __future__ import annotations

import hashlib
import logging

log = logging.getLogger(__name__)


class HashingReader:
    def __init__(self, stream, evidence) -> None:
        self._stream = stream
        self._evidence = evidence
        self._digest = hashlib.sha256()
        self._position = 0
        self._done = False

    def read(self, size: int = -1) -> bytes:
        if self._position is not None and self._where() != self._position:
            self._position = None  # not read from the start in order: nothing to compare
        chunk = self._stream.read(size)
        if self._position is not None:
            self._digest.update(chunk)
            self._position += len(chunk)
        if not chunk and not self._done and size != 0:
            self._done = True
            self._finished()
        return chunk

    def _where(self) -> int | None:
        try:
            return self._stream.tell()
        except (AttributeError, OSError):
            return None

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def __iter__(self):
        return iter(lambda: self.read(1 << 16), b"")

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stream.close()

    def _finished(self) -> None:
        if self._position is None:
            return
        sent = self._digest.hexdigest()
        if sent == self._evidence.sha256:
            return
        log.error(
            "evidence %s was served with SHA-256 %s but is recorded as %s",
            self._evidence.pk,
            sent,
            self._evidence.sha256,
        )
        try:
            from case_core.audit import audit_record
            from case_core.tasks import verify_case_record

            audit_record(
                actor=None,
                case=self._evidence.case,
                action="evidence.served_changed",
                data={"evidence": self._evidence.pk, "sha256": self._evidence.sha256, "sent": sent},
            )
            verify_case_record.enqueue(self._evidence.case_id, "evidence.served_changed")
        except Exception:  # never break the response being sent
            log.exception("could not record a changed file served")
