"""Language codes: the hearing's (zh-hans, en) and what each engine wants."""

from __future__ import annotations

import re

from django.conf import settings

MULTI = "multi"  # a multilingual model (whisper base): covers every language

_ALIASES = {
    "zh": "zh-hans",
    "zh-cn": "zh-hans",
    "zh-hans": "zh-hans",
    "zh-hans-cn": "zh-hans",
    "cn": "zh-hans",
    "cmn": "zh-hans",
    "mandarin": "zh-hans",
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "multi": MULTI,
    "multilingual": MULTI,
    "*": MULTI,
}
_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")

# Whisper's language tokens for our codes; a prompt nudging whisper to simplified characters.
_WHISPER = {"zh-hans": "zh", "en": "en"}
WHISPER_PROMPTS = {"zh-hans": "以下是普通话的句子。"}


def normalize(code: str) -> str:
    """Canonical language code ('zh-CN' -> 'zh-hans', 'en_US' -> 'en'); ValueError if malformed."""
    lowered = (code or "").strip().lower().replace("_", "-")
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    if not _CODE.match(lowered):
        raise ValueError(f"not a language code: {code!r}")
    return lowered


def whisper_code(language: str) -> str:
    return _WHISPER.get(language, language.split("-", 1)[0])


def hearing_languages() -> tuple[str, ...]:
    """Languages a hearing can be held in (settings.LANGUAGES), canonical codes."""
    return tuple(normalize(code) for code, _label in settings.LANGUAGES)
