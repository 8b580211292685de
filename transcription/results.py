"""What the engines return: words, segments, transcripts and streaming captions."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the audio (or of the stream)
    end: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str
    confidence: float  # 0..1, mean over the segment
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    engine: str
    model: str
    language: str
    duration: float  # seconds of audio
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        joiner = "" if self.language.startswith("zh") else " "
        return joiner.join(s.text for s in self.segments).strip()

    def as_dict(self) -> dict:
        return asdict(self) | {"text": self.text}


@dataclass(frozen=True)
class Caption:
    """One streaming result: a partial (may still change) or a final (fixed) hypothesis."""

    text: str
    final: bool
    words: tuple[Word, ...] = ()

    @property
    def start(self) -> float | None:
        return self.words[0].start if self.words else None

    @property
    def end(self) -> float | None:
        return self.words[-1].end if self.words else None
