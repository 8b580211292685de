"""Probing recordings with PyAV (the bundled ffmpeg has no ffprobe).

Live WebM files carry no duration in their header, so the duration is measured from the
packets themselves."""

from __future__ import annotations

from pathlib import Path

import av


def probe(path: str | Path) -> dict:
    """{"duration": seconds, "start": seconds, "streams": [{kind, codec, packets, width, height}]}"""
    with av.open(str(path)) as container:
        streams = []
        first: float | None = None
        last = 0.0
        counts = {s.index: 0 for s in container.streams}
        for packet in container.demux():
            if packet.pts is None or packet.size == 0:
                continue
            counts[packet.stream.index] += 1
            start = float(packet.pts * packet.time_base)
            end = start + float((packet.duration or 0) * packet.time_base)
            first = start if first is None else min(first, start)
            last = max(last, end)
        for stream in container.streams:
            info = {
                "kind": stream.type,
                "codec": stream.codec_context.name,
                "packets": counts[stream.index],
            }
            if stream.type == "video":
                info.update(width=stream.codec_context.width, height=stream.codec_context.height)
            streams.append(info)
    first = first or 0.0
    return {"duration": max(last - first, 0.0), "start": first, "end": last, "streams": streams}
