"""Live WebM writing of already-encoded VP8 / Opus packets, without any encoder.

PyAV opens a codec context for every output stream; a stream copied from an *input* template
with ``opaque=True`` gets a decoder context, which costs nothing until fed. The templates are
two tiny WebM files (one 16x16 VP8 frame; 20 ms of Opus silence) made once with
:func:`make_templates` and embedded here, so recording never instantiates an encoder.

Crash safety: the Matroska muxer runs in ``live`` mode (unknown-size segment, no cues to write at
the end) with clusters of at most one second flushed to disk as they close; a process killed
mid-hearing leaves a file that plays up to the last cluster.
"""

from __future__ import annotations

import base64
import io
from fractions import Fraction
from functools import cache
from pathlib import Path

import av

LIVE_OPTIONS = {"live": "1", "cluster_time_limit": "1000", "flush_packets": "1"}

_VIDEO_TEMPLATE = (
    "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAAAG4EU2bdLpNu4tTq4QVSalmU6yB"
    "oU27i1OrhBZUrmtTrIHWTbuMU6uEElTDZ1OsggEZTbuMU6uEHFO7a1OsggGi7AEAAAAAAABZAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAVSalmsCrXsYMPQkBNgIxMYXZmNjIuMy4xMDBXQYxMYXZmNjIuMy4xMDBEiYhAQIAAAAAAABZU"
    "rmu+rgEAAAAAAAA114EBc8WI8tEsWYjFr3mcgQAitZyDdW5kiIEAhoVWX1ZQOIOBASPjg4QB/KBV4IawgRC6gRAS"
    "VMNn13Nzn2PAgGfImUWjh0VOQ09ERVJEh4xMYXZmNjIuMy4xMDBzc7JjwItjxYjy0SxZiMWveWfIoUWjiERVUkFU"
    "SU9ORIeTMDA6MDA6MDAuMDMzMDAwMDAwAB9DtnWo54EAo6OBAACAEAIAnQEqEAAQAABHCIWFiIWEiAICAAwNYAD+"
    "/6tQgBxTu2uRu4+zgQC3iveBAfGCAXXwgQM="
)
_AUDIO_TEMPLATE = (
    "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQRChYECGFOAZwEAAAAAAAHVEU2bdLpNu4tTq4QVSalmU6yB"
    "oU27i1OrhBZUrmtTrIHWTbuMU6uEElTDZ1OsggFATbuMU6uEHFO7a1OsggG/7AEAAAAAAABZAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAVSalmsCrXsYMPQkBNgIxMYXZmNjIuMy4xMDBXQYxMYXZmNjIuMy4xMDBEiYhAPAAAAAAAABZU"
    "rmvlrgEAAAAAAABc14EBc8WIw57Z2nAGmROcgQAitZyDdW5kiIEAhoZBX09QVVNWqoNjLqBWu4QExLQAg4EC4ZGf"
    "gQK1iEDncAAAAAAAYmSBEGOik09wdXNIZWFkAQI4AYC7AAAAAAASVMNn13Nzn2PAgGfImUWjh0VOQ09ERVJEh4xM"
    "YXZmNjIuMy4xMDBzc7JjwItjxYjDntnacAaZE2fIoUWjiERVUkFUSU9ORIeTMDA6MDA6MDAuMDI4MDAwMDAwAB9D"
    "tnWe54EAo4eBAACA/P/+oJChh4EAFQD8//51ooQAzf5gHFO7a5G7j7OBALeK94EB8YIBnPCBAw=="
)


@cache
def _template(kind: str) -> av.container.InputContainer:
    data = _VIDEO_TEMPLATE if kind == "video" else _AUDIO_TEMPLATE
    return av.open(io.BytesIO(base64.b64decode(data)), "r", format="webm")


class LiveWebmWriter:
    """One stream (VP8 video or Opus audio) into one WebM file, written cluster by cluster."""

    def __init__(self, path: Path, kind: str, *, width: int = 0, height: int = 0) -> None:
        self.path = Path(path)
        self.kind = kind
        self.container = av.open(str(self.path), "w", format="webm", options=dict(LIVE_OPTIONS))
        template = _template(kind).streams[0]
        self.stream = self.container.add_stream_from_template(template, opaque=True)
        if kind == "video":
            self.stream.codec_context.width = width
            self.stream.codec_context.height = height
        self.last_pts: int | None = None
        self.packets = 0

    def write(self, data: bytes, pts: int, time_base: Fraction, keyframe: bool) -> None:
        packet = av.Packet(data)
        packet.pts = pts
        packet.dts = pts
        packet.time_base = time_base
        packet.is_keyframe = keyframe
        packet.stream = self.stream
        self.container.mux(packet)
        self.packets += 1

    def close(self) -> None:
        self.container.close()


def make_templates() -> dict[str, bytes]:
    """Regenerate the embedded templates (needs libvpx and libopus encoders, used once)."""
    import numpy as np

    result = {}
    for kind in ("video", "audio"):
        buf = io.BytesIO()
        out = av.open(buf, "w", format="webm")
        if kind == "video":
            stream = out.add_stream("libvpx", rate=30)
            stream.width, stream.height, stream.pix_fmt = 16, 16, "yuv420p"
            frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        else:
            stream = out.add_stream("libopus", rate=48000)
            stream.layout = "stereo"
            frame = av.AudioFrame(format="s16", layout="stereo", samples=960)
            frame.sample_rate = 48000
            for plane in frame.planes:
                plane.update(bytes(plane.buffer_size))
            frame.pts = 0
        for packet in [*stream.encode(frame), *stream.encode()]:
            out.mux(packet)
        out.close()
        result[kind] = buf.getvalue()
    return result
