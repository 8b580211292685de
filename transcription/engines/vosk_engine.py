"""vosk (Kaldi) streaming recognition: live captions with word timings and confidences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from transcription import audio, errors
from transcription.engines.base import check_language
from transcription.results import Caption, Segment, Transcript, Word
from transcription.store import InstalledModel

ENGINE = "vosk"


def layout_problems(path: Path) -> list[str]:
    """Missing parts of a vosk model folder (empty when it looks complete)."""
    problems = []
    if not (path / "am" / "final.mdl").is_file():
        problems.append("am/final.mdl is missing")
    if not any((path / "conf" / n).is_file() for n in ("model.conf", "mfcc.conf")):
        problems.append("conf/model.conf is missing")
    graph = path / "graph"
    has_static = (graph / "HCLG.fst").is_file()
    has_lookahead = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    if not (has_static or has_lookahead):
        problems.append("graph/HCLG.fst (or graph/HCLr.fst + graph/Gr.fst) is missing")
    return problems


def load_native(path: Path):
    """vosk.Model for the folder; model_invalid when it does not load. Always from a path:
    vosk.Model(lang=...) would try to download."""
    import vosk

    vosk.SetLogLevel(-1)
    problems = layout_problems(path)
    if problems:
        raise errors.model_invalid(path, "; ".join(problems))
    try:
        return vosk.Model(str(path))
    except Exception as exc:
        raise errors.model_invalid(path, f"vosk could not load it ({exc})") from exc


def _words(items) -> tuple[Word, ...]:
    return tuple(
        Word(
            text=item["word"],
            start=round(float(item["start"]), 3),
            end=round(float(item["end"]), 3),
            confidence=round(float(item.get("conf", 1.0)), 3),
        )
        for item in items or ()
    )


class VoskStream:
    """One speaker's stream. Not thread-safe; the shared model is."""

    def __init__(self, native_model, *, sample_rate: int = audio.SAMPLE_RATE):
        import vosk

        self._rec = vosk.KaldiRecognizer(native_model, sample_rate)
        self._rec.SetWords(True)
        self._rec.SetPartialWords(True)
        self._last_partial = ""

    def accept(self, pcm: bytes | np.ndarray) -> list[Caption]:
        data = pcm.astype(np.int16, copy=False).tobytes() if isinstance(pcm, np.ndarray) else pcm
        if not data:
            return []
        if self._rec.AcceptWaveform(data):
            self._last_partial = ""
            return self._final(self._rec.Result())
        partial = json.loads(self._rec.PartialResult())
        text = partial.get("partial", "")
        if not text or text == self._last_partial:
            return []
        self._last_partial = text
        return [Caption(text=text, final=False, words=_words(partial.get("partial_result")))]

    def finish(self) -> list[Caption]:
        self._last_partial = ""
        return self._final(self._rec.FinalResult())

    @staticmethod
    def _final(raw: str) -> list[Caption]:
        result = json.loads(raw)
        text = result.get("text", "").strip()
        if not text:
            return []
        return [Caption(text=text, final=True, words=_words(result.get("result")))]


class VoskRecognizer:
    engine = ENGINE
    streaming = True

    def __init__(self, model: InstalledModel):
        self.model = model
        self.native = load_native(model.path)

    def stream(self, *, language: str | None = None) -> VoskStream:
        check_language(self.model, language)
        return VoskStream(self.native)

    def transcribe(self, source, *, language: str, word_timestamps: bool = False) -> Transcript:
        """Batch use of the streaming path: every final caption becomes a segment."""
        check_language(self.model, language)
        pcm = audio.as_pcm(source)
        stream = self.stream()
        finals: list[Caption] = []
        for chunk in audio.chunks(pcm, 0.5):
            finals.extend(c for c in stream.accept(chunk) if c.final)
        finals.extend(stream.finish())
        segments = tuple(
            Segment(
                start=c.start or 0.0,
                end=c.end or 0.0,
                text=c.text,
                confidence=round(sum(w.confidence for w in c.words) / max(1, len(c.words)), 3),
                words=c.words if word_timestamps else (),
            )
            for c in finals
        )
        return Transcript(
            engine=ENGINE,
            model=self.model.name,
            language=language,
            duration=round(len(pcm) / audio.SAMPLE_RATE, 3),
            segments=segments,
        )
