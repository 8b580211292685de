"""Decode any audio file (WAV, WebM/Opus, Matroska, ...) to 16 kHz mono int16 PCM with PyAV."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import av
import numpy as np

from transcription import errors

SAMPLE_RATE = 16000

AudioSource = str | Path | bytes | BinaryIO


def decode_pcm(source: AudioSource, *, stream_index: int = 0) -> np.ndarray:
    """The `stream_index`-th audio stream of `source` as int16 mono PCM at 16 kHz (1-D array)."""
    return np.concatenate(list(iter_decode_pcm(source, stream_index=stream_index)) or [_EMPTY])


_EMPTY = np.zeros(0, dtype=np.int16)


def iter_decode_pcm(source: AudioSource, *, stream_index: int = 0) -> Iterator[np.ndarray]:
    """Decode lazily: yields int16 mono 16 kHz chunks (one per decoded frame)."""
    label = source if isinstance(source, str | Path) else "<stream>"
    opened = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        container = av.open(str(opened) if isinstance(opened, Path) else opened)
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise errors.audio_unreadable(label, str(exc)) from exc
    with container:
        audio_streams = container.streams.audio
        if len(audio_streams) <= stream_index:
            raise errors.audio_unreadable(label, "no audio stream")
        stream = audio_streams[stream_index]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    yield out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
            for out in resampler.resample(None):
                yield out.to_ndarray().reshape(-1).astype(np.int16, copy=False)
        except av.error.FFmpegError as exc:
            raise errors.audio_unreadable(label, str(exc)) from exc


def as_pcm(audio: AudioSource | np.ndarray) -> np.ndarray:
    """int16 mono 16 kHz PCM from a file/bytes, or an array (int16, or float in -1..1)."""
    if isinstance(audio, np.ndarray):
        if audio.dtype == np.int16:
            return audio.reshape(-1)
        return (np.clip(audio.reshape(-1), -1.0, 1.0) * 32767).astype(np.int16)
    return decode_pcm(audio)


def to_float(pcm: np.ndarray) -> np.ndarray:
    return pcm.astype(np.float32) / 32768.0


def chunks(pcm: np.ndarray, seconds: float = 0.1) -> Iterator[np.ndarray]:
    step = max(1, int(SAMPLE_RATE * seconds))
    for i in range(0, len(pcm), step):
        yield pcm[i : i + step]
