"""The composite of a recorded hearing: every speaker's video in a grid, everybody's audio mixed
and level-normalised, made after the hearing with the ffmpeg binary from imageio-ffmpeg
(there is no system ffmpeg and no ffprobe: inputs are probed with PyAV).

All per-speaker files share the recording's timeline (see recording/sink.py), so each input is
placed at its own start time and padded to the common end.
"""

from __future__ import annotations

import math
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import imageio_ffmpeg

from recording.probe import probe

ProgressCallback = Callable[[float, dict], None]


class CompositeError(RuntimeError):
    pass


@dataclass
class _Input:
    path: Path
    kind: str
    start: float
    end: float


def _inputs(paths: list[Path]) -> list[_Input]:
    inputs = []
    for path in paths:
        info = probe(path)
        kinds = {s["kind"] for s in info["streams"] if s["packets"]}
        if not kinds:
            continue
        inputs.append(
            _Input(Path(path), "video" if "video" in kinds else "audio", info["start"], info["end"])
        )
    return inputs


def grid(count: int) -> tuple[int, int]:
    cols = max(1, math.ceil(math.sqrt(count)))
    return cols, max(1, math.ceil(count / cols))


def build(
    paths: list[Path], output: Path, *, width: int = 1280, fps: int = 25
) -> tuple[ffmpeg.nodes.OutputStream, float]:
    """The ffmpeg-python graph for the composite, and its duration in seconds."""
    inputs = _inputs([Path(p) for p in paths])
    if not inputs:
        raise CompositeError("nothing was recorded")
    origin = min(i.start for i in inputs)
    end = max(i.end for i in inputs)
    duration = end - origin
    videos = [i for i in inputs if i.kind == "video"]
    audios = [i for i in inputs if i.kind == "audio"]
    streams = []
    if videos:
        cols, rows = grid(len(videos))
        tile_w = (width // cols) // 2 * 2
        tile_h = (tile_w * 9 // 16) // 2 * 2
        tiles = []
        for item in videos:
            v = ffmpeg.input(str(item.path)).video
            v = v.filter("setpts", "PTS-STARTPTS").filter("fps", fps=fps)
            v = v.filter("scale", tile_w, tile_h, force_original_aspect_ratio="decrease")
            v = v.filter("pad", tile_w, tile_h, "(ow-iw)/2", "(oh-ih)/2", color="black")
            v = v.filter(
                "tpad",
                start_duration=round(item.start - origin, 3),
                stop_duration=round(end - item.end + 0.5, 3),
                start_mode="add",
                stop_mode="clone",
                color="black",
            )
            v = v.filter("trim", duration=round(duration, 3))
            tiles.append(v)
        if len(tiles) == 1:
            video = tiles[0]
        else:
            layout = "|".join(
                f"{(n % cols) * tile_w}_{(n // cols) * tile_h}" for n in range(len(tiles))
            )
            video = ffmpeg.filter(tiles, "xstack", inputs=len(tiles), layout=layout, fill="black")
        streams.append(video.filter("format", "yuv420p"))
    if audios:
        tracks = []
        for item in audios:
            a = ffmpeg.input(str(item.path)).audio
            a = a.filter("aresample", 48000, **{"async": 1, "first_pts": 0})
            delay_ms = int(round((item.start - origin) * 1000))
            if delay_ms > 0:
                a = a.filter("adelay", f"{delay_ms}", all=1)
            tracks.append(a)
        mixed = (
            tracks[0]
            if len(tracks) == 1
            else ffmpeg.filter(
                tracks,
                "amix",
                inputs=len(tracks),
                duration="longest",
                dropout_transition=0,
                normalize=0,
            )
        )
        mixed = mixed.filter("loudnorm", I=-16, TP=-1.5, LRA=11).filter("aresample", 48000)
        streams.append(mixed)
    out = ffmpeg.output(
        *streams,
        str(output),
        vcodec="libx264",
        preset="veryfast",
        crf=26,
        acodec="aac",
        audio_bitrate="96k",
        movflags="+faststart",
        t=round(duration, 3),
    )
    return out.global_args(
        "-nostats", "-progress", "pipe:1", "-loglevel", "error"
    ).overwrite_output(), duration


def make_composite(
    paths: list[str | Path],
    output: str | Path,
    *,
    progress: ProgressCallback | None = None,
    width: int = 1280,
    fps: int = 25,
) -> Path:
    """Make `output` (MP4, H.264 + AAC) from per-speaker WebM files; `progress(fraction, info)`
    is called as ffmpeg reports (parsed from its ``-progress`` output), ending with 1.0."""
    output = Path(output)
    graph, duration = build([Path(p) for p in paths], output, width=width, fps=fps)
    args = graph.compile(cmd=imageio_ffmpeg.get_ffmpeg_exe())
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    info: dict = {}
    best = 0.0
    for line in process.stdout:
        key, _, value = line.strip().partition("=")
        info[key] = value
        if key == "progress":
            done = _seconds(info) / duration if duration > 0 else 0.0
            if done > best and value != "end":
                best = min(done, 0.999)
                if progress is not None:
                    progress(best, dict(info))
    stderr = process.stderr.read()
    if process.wait() != 0:
        raise CompositeError(f"ffmpeg failed ({process.returncode}): {stderr.strip()[-2000:]}")
    if progress is not None:
        progress(1.0, dict(info))
    return output


def _seconds(info: dict) -> float:
    for key, scale in (("out_time_us", 1e-6), ("out_time_ms", 1e-6)):
        try:
            return int(info[key]) * scale
        except (KeyError, ValueError):
            continue
    return 0.0
