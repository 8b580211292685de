"""Typed refusals of the speech-to-text layer, all `case_core.errors.DomainError`.

Codes: no_model, unsupported_language, unknown_engine, model_invalid, model_exists,
model_source_invalid, checksum_mismatch, download_failed, audio_unreadable,
streaming_unsupported.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from case_core.errors import DomainError


def no_model(engine: str, language: str, detail: str = "") -> DomainError:
    message = _(
        "No %(engine)s speech model is installed for language %(language)s. "
        "An administrator can install one with `tribunal models install`."
    ) % {"engine": engine, "language": language}
    if detail:
        message = f"{message} {detail}"
    return DomainError(
        "no_model", message, status=503, details={"engine": engine, "language": language}
    )


def unsupported_language(language: str, detail: str = "") -> DomainError:
    message = _("Speech recognition does not support language %(language)s.") % {
        "language": language
    }
    if detail:
        message = f"{message} {detail}"
    return DomainError("unsupported_language", message, details={"language": language})


def unknown_engine(engine: str) -> DomainError:
    return DomainError(
        "unknown_engine",
        _("Unknown speech engine %(engine)s (use vosk or whisper).") % {"engine": engine},
        details={"engine": engine},
    )


def model_invalid(path, reason: str) -> DomainError:
    return DomainError(
        "model_invalid",
        _("The speech model at %(path)s cannot be used: %(reason)s")
        % {"path": path, "reason": reason},
        status=503,
        details={"path": str(path)},
    )


def bad_source(message: str) -> DomainError:
    return DomainError("model_source_invalid", message)


def checksum_mismatch(expected: str, actual: str) -> DomainError:
    return DomainError(
        "checksum_mismatch",
        _("SHA-256 mismatch: expected %(expected)s, got %(actual)s. Nothing was installed.")
        % {"expected": expected, "actual": actual},
        details={"expected": expected, "actual": actual},
    )


def audio_unreadable(source, reason: str) -> DomainError:
    return DomainError(
        "audio_unreadable",
        _("Cannot decode audio %(source)s: %(reason)s") % {"source": source, "reason": reason},
        details={"source": str(source)},
    )
