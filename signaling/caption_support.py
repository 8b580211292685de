"""Whether live captions can run in a language, asked by signaling, answered by a higher layer.

Signaling owns the captions switch but not the speech engines (transcription, above it). The
transcription app provides the check in its AppConfig.ready (`provide_caption_check`); until one
is provided, captions are reported unavailable (no_model), which is also the truth when the
transcription app is not installed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from case_core.errors import DomainError

CaptionCheck = Callable[[str], DomainError | None]
_check: CaptionCheck | None = None


def provide_caption_check(check: CaptionCheck) -> None:
    global _check
    _check = check


def caption_problem(language: str) -> DomainError | None:
    """Why live captions cannot run in `language`, or None when they can."""
    if _check is None:
        return DomainError("no_model", _("No speech-to-text engine is installed."))
    return _check(language)
