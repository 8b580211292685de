"""A finished hearing recording made the way the media engine makes one: Opus packets (encoded
here from speech clips with PyAV) written through recording.sink.RecordingSink, each speaker's
track starting at its own time on the recording's timeline (a fake clock stands in for the
seconds that pass in a real hearing). Also used by bench/caption_latency.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from transcription import audio

OPUS_TB = Fraction(1, 48000)
FRAME = 960  # 20 ms at 48 kHz, what browsers send


def opus_packets(pcm16k: np.ndarray) -> list[av.Packet]:
    """16 kHz int16 mono PCM -> 20 ms Opus packets (48 kHz timestamps from 0), as a browser."""
    up = av.AudioResampler(format="s16", layout="stereo", rate=48000)
    encoder = av.CodecContext.create("libopus", "w")
    encoder.sample_rate = 48000
    encoder.layout = "stereo"
    encoder.format = "s16"
    encoder.bit_rate = 32000
    frame = av.AudioFrame.from_ndarray(pcm16k.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = audio.SAMPLE_RATE
    stereo = np.concatenate(
        [f.to_ndarray().reshape(-1) for f in [*up.resample(frame), *up.resample(None)]]
    )
    stereo = np.concatenate([stereo, np.zeros((-len(stereo)) % (FRAME * 2), np.int16)])
    packets: list[av.Packet] = []
    for index in range(len(stereo) // (FRAME * 2)):
        chunk = stereo[index * FRAME * 2 : (index + 1) * FRAME * 2]
        out = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="stereo")
        out.sample_rate = 48000
        out.pts = index * FRAME
        out.time_base = OPUS_TB
        packets.extend(encoder.encode(out))
    packets.extend(encoder.encode(None))
    result = []
    for index, packet in enumerate(packets):  # as the passthrough tap hands them out
        copy = av.Packet(bytes(packet))
        copy.pts = copy.dts = index * FRAME
        copy.time_base = OPUS_TB
        copy.is_keyframe = True
        result.append(copy)
    return result


@dataclass
class Speaker:
    participant_id: str
    pcm: np.ndarray  # 16 kHz int16 mono
    start: float  # seconds on the recording's timeline when their first packet arrives
    label: str = "mic"


class _Clock:
    now = 1000.0

    def monotonic(self) -> float:
        return self.now


def make_recording(directory: Path, speakers: list[Speaker], *, hearing_id: str = "1") -> Path:
    """Record `speakers` with RecordingSink into `directory`; returns it (with manifest.json)."""
    import recording.sink as sink_module

    clock = _Clock()
    real_time = sink_module.time
    sink_module.time = clock
    try:
        sink = sink_module.RecordingSink(directory, hearing_id=hearing_id)
        asyncio.run(sink.start())
        started = clock.now
        for speaker in speakers:
            key = f"{speaker.participant_id}-{speaker.label}"
            sink.add(key, kind="audio", participant_id=speaker.participant_id, label=speaker.label)
            epoch = object()
            for index, packet in enumerate(opus_packets(speaker.pcm)):
                clock.now = started + speaker.start + index * FRAME / 48000
                sink.write(key, packet, epoch=epoch)
        clock.now = started + max(s.start + len(s.pcm) / audio.SAMPLE_RATE for s in speakers)
        asyncio.run(sink.stop())
    finally:
        sink_module.time = real_time
    return directory
