"""Which engine makes a hearing's live captions, and the per-speaker adapters for each.

Choice (settings.TRIBUNAL_CAPTIONS_ENGINE): "auto" (default) takes vosk when an installed vosk
model covers the hearing's language (true streaming, partial results every chunk), else the
whisper adapter: energy endpointing (caption_vad) and one whisper decode per utterance. The
whisper model for captions is TRIBUNAL_CAPTIONS_WHISPER_MODELS[language] when installed
(default en: whisper-tiny-en, about 4x faster than base), else the batch engine's model for the
language. "vosk" or "whisper" force one engine. No model at all: DomainError no_model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.conf import settings

from case_core.errors import DomainError
from transcription import audio, errors, languages, loader, store
from transcription.live.vad import Endpointer, Utterance
from transcription.results import Caption
from transcription.store import InstalledModel


@dataclass(frozen=True)
class CaptionEngine:
    engine: str  # "vosk" or "whisper"
    model: InstalledModel
    language: str  # canonical code


def caption_engine(language: str) -> CaptionEngine:
    """The engine and model for live captions in `language`; no_model if there is none."""
    choice = getattr(settings, "TRIBUNAL_CAPTIONS_ENGINE", "auto")
    try:
        code = languages.normalize(language)
    except ValueError:
        raise errors.unsupported_language(language) from None
    if choice in ("auto", "vosk"):
        try:
            return CaptionEngine("vosk", store.resolve("vosk", code), code)
        except DomainError as exc:
            if choice == "vosk" or exc.code not in ("no_model", "unsupported_language"):
                raise
    try:
        return CaptionEngine("whisper", whisper_caption_model(code), code)
    except DomainError as exc:
        if exc.code == "no_model":
            raise errors.no_model("vosk / whisper", code, "Live captions are off.") from None
        raise


def whisper_caption_model(code: str) -> InstalledModel:
    wanted = (getattr(settings, "TRIBUNAL_CAPTIONS_WHISPER_MODELS", {}) or {}).get(code)
    if wanted:
        for model in store.list_models():
            if model.name == wanted and model.engine == "whisper" and model.covers(code):
                return model
    return store.resolve("whisper", code)


class WhisperCaptioner:
    """One speaker on the whisper adapter: endpointing here, decoding on the lane's thread."""

    engine = "whisper"

    def __init__(self, engine: CaptionEngine, *, partials: bool = False) -> None:
        self.recognizer = loader.load(engine.model)
        self.language = engine.language
        self.endpointer = Endpointer(
            silence=getattr(settings, "TRIBUNAL_CAPTIONS_SILENCE", 0.4),
            max_seconds=getattr(settings, "TRIBUNAL_CAPTIONS_MAX_UTTERANCE", 6.0),
            partial_every=1.0 if partials else 0.0,
        )

    def accept(self, pcm: np.ndarray) -> list[Utterance]:
        return self.endpointer.accept(pcm)

    def finish(self) -> list[Utterance]:
        return self.endpointer.finish()

    def recognise(self, utterance: Utterance) -> str:
        """Greedy whisper on one utterance (runs on the lane's thread)."""
        from transcription.engines.whisper_engine import _echoes

        prompt = languages.WHISPER_PROMPTS.get(self.language)
        segments, _info = self.recognizer.native.transcribe(
            audio.to_float(utterance.pcm),
            language=languages.whisper_code(self.language),
            task="transcribe",
            beam_size=1,
            best_of=1,
            temperature=0.0,
            vad_filter=False,
            condition_on_previous_text=False,
            without_timestamps=True,
            initial_prompt=prompt,
        )
        kept = [
            s.text.strip()
            for s in segments
            if not (s.no_speech_prob > 0.6 and s.avg_logprob < -1.0) and not _echoes(s.text, prompt)
        ]
        joiner = "" if self.language.startswith("zh") else " "
        return joiner.join(t for t in kept if t).strip()


class VoskCaptioner:
    """One speaker on a vosk stream; chunks go to the lane in order, 100 ms at a time."""

    engine = "vosk"

    def __init__(self, engine: CaptionEngine) -> None:
        self.stream = loader.load(engine.model).stream(language=engine.language)

    def recognise(self, pcm: np.ndarray) -> list[Caption]:
        return self.stream.accept(pcm)

    def finish(self) -> list[Caption]:
        return self.stream.finish()


def caption_problem(language: str) -> DomainError | None:
    """Why live captions cannot run in `language` (no_model, ...), or None when they can.
    Signaling asks this through `signaling.caption_support` before it turns captions on."""
    try:
        caption_engine(language)
    except DomainError as exc:
        return exc
    return None
