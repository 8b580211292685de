"""faster-whisper (CTranslate2) batch recognition: the record of a hearing."""

from __future__ import annotations

import logging
import math
import os
from pathlib import Path

from django.conf import settings

from case_core.errors import DomainError
from transcription import audio, errors, languages
from transcription.engines.base import check_language
from transcription.results import Segment, Transcript, Word
from transcription.scoring import normalise_chars
from transcription.store import InstalledModel

# Never reach a model hub: every model is a local folder installed by `tribunal models`.
os.environ["HF_HUB_OFFLINE"] = "1"

ENGINE = "whisper"
logging.getLogger("faster_whisper").setLevel(logging.WARNING)  # no per-file INFO chatter


def layout_problems(path: Path) -> list[str]:
    problems = []
    for name in ("model.bin", "config.json", "tokenizer.json"):
        if not (path / name).is_file():
            problems.append(f"{name} is missing")
    if not any((path / n).is_file() for n in ("vocabulary.txt", "vocabulary.json")):
        problems.append("vocabulary.txt (or vocabulary.json) is missing")
    return problems


def options() -> dict:
    threads = getattr(settings, "TRIBUNAL_ASR_CPU_THREADS", 0) or (os.cpu_count() or 1)
    return {
        "compute_type": getattr(settings, "TRIBUNAL_ASR_WHISPER_COMPUTE_TYPE", "int8"),
        "cpu_threads": threads,
    }


def load_native(path: Path, *, compute_type: str = "int8", cpu_threads: int = 0):
    """faster_whisper.WhisperModel for a local folder; model_invalid when it does not load.
    The folder must exist: given anything else, faster-whisper would try a download."""
    from faster_whisper import WhisperModel

    problems = layout_problems(path)
    if problems:
        raise errors.model_invalid(path, "; ".join(problems))
    try:
        return WhisperModel(
            str(path),
            device="cpu",
            compute_type=compute_type,
            cpu_threads=cpu_threads,
            local_files_only=True,
        )
    except Exception as exc:
        raise errors.model_invalid(path, f"faster-whisper could not load it ({exc})") from exc


def _confidence(avg_logprob: float, words) -> float:
    if words:
        return round(sum(w.probability for w in words) / len(words), 3)
    return round(min(1.0, math.exp(avg_logprob)), 3)


def _echoes(text: str, prompt: str | None) -> bool:
    """Whisper sometimes repeats its prompt on unclear audio ("以下是普通话。"): such a
    segment is the prompt, not speech."""
    if not prompt:
        return False
    said = "".join(normalise_chars(text))
    return bool(said) and said in "".join(normalise_chars(prompt))


class WhisperRecognizer:
    engine = ENGINE
    streaming = False

    def __init__(self, model: InstalledModel, *, compute_type="int8", cpu_threads=0):
        self.model = model
        self.native = load_native(model.path, compute_type=compute_type, cpu_threads=cpu_threads)

    def stream(self, *, language: str | None = None):
        raise DomainError(
            "streaming_unsupported",
            "faster-whisper is a batch engine: use a vosk model for live captions.",
        )

    def transcribe(self, source, *, language: str, word_timestamps: bool = False) -> Transcript:
        check_language(self.model, language)
        code = languages.normalize(language)
        pcm = audio.as_pcm(source)
        if len(pcm) == 0:
            segments: list[Segment] = []
        else:
            raw, _info = self.native.transcribe(
                audio.to_float(pcm),
                language=languages.whisper_code(code),
                task="transcribe",
                beam_size=getattr(settings, "TRIBUNAL_ASR_WHISPER_BEAM_SIZE", 5),
                vad_filter=getattr(settings, "TRIBUNAL_ASR_WHISPER_VAD", True),
                word_timestamps=word_timestamps,
                initial_prompt=languages.WHISPER_PROMPTS.get(code),
            )
            prompt = languages.WHISPER_PROMPTS.get(code)
            segments = [
                s
                for s in (self._segment(r, word_timestamps) for r in raw)
                if not _echoes(s.text, prompt)
            ]
        return Transcript(
            engine=ENGINE,
            model=self.model.name,
            language=code,
            duration=round(len(pcm) / audio.SAMPLE_RATE, 3),
            segments=tuple(s for s in segments if s.text),
        )

    @staticmethod
    def _segment(raw, word_timestamps: bool) -> Segment:
        words = tuple(
            Word(
                text=w.word.strip(),
                start=round(float(w.start), 3),
                end=round(float(w.end), 3),
                confidence=round(float(w.probability), 3),
            )
            for w in (raw.words or ())
        )
        return Segment(
            start=round(float(raw.start), 3),
            end=round(float(raw.end), 3),
            text=raw.text.strip(),
            confidence=_confidence(raw.avg_logprob, raw.words if word_timestamps else None),
            words=words,
        )
