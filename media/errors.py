"""MediaError: the one error type of the media library.

The library knows nothing of the project, so it does not raise the project's DomainError; the
composition root (hearing_server/mediaworker) maps a MediaError to the wire error with the same
code. `message` is English, for logs and tests; `details` carries machine-readable specifics.
"""

from __future__ import annotations


class MediaError(Exception):
    def __init__(
        self, code: str, message: str, *, status: int = 400, details: dict | None = None
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.details = dict(details or {})
