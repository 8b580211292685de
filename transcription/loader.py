"""One loaded model per process: recognizers cached by (engine, model path, options)."""

from __future__ import annotations

import threading

from transcription.store import InstalledModel, check_engine

_lock = threading.Lock()
_cache: dict[tuple, object] = {}


def open_recognizer(model: InstalledModel):
    """A new recognizer for `model` (loads it: seconds, hundreds of MB). Prefer `load`."""
    check_engine(model.engine)
    if model.engine == "vosk":
        from transcription.engines.vosk_engine import VoskRecognizer

        return VoskRecognizer(model)
    from transcription.engines.whisper_engine import WhisperRecognizer, options

    return WhisperRecognizer(model, **options())


def _key(model: InstalledModel) -> tuple:
    extra: tuple = ()
    if model.engine == "whisper":
        from transcription.engines.whisper_engine import options

        extra = tuple(sorted(options().items()))
    return (model.engine, str(model.path.resolve()), model.sha256, extra)


def load(model: InstalledModel):
    """The process-wide recognizer for `model`, loading it on first use only."""
    key = _key(model)
    with _lock:
        recognizer = _cache.get(key)
        if recognizer is None:
            recognizer = open_recognizer(model)
            _cache[key] = recognizer
        return recognizer


def loaded() -> list[tuple]:
    with _lock:
        return list(_cache)


def clear() -> None:
    with _lock:
        _cache.clear()
