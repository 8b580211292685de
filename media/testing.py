"""Test and load-generation media: pre-encoded VP8 + Opus sent by aiortc clients without any
encoding, and receivers that count what arrives without decoding. Used by tests/ and bench/."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from media import passthrough
from media.config import rtc_configuration

VIDEO_TB = Fraction(1, 90000)
AUDIO_TB = Fraction(1, 48000)


def make_test_media(
    path: str | Path,
    *,
    seconds: float = 4.0,
    width: int = 640,
    height: int = 480,
    fps: int = 30,
    bitrate: int = 500_000,
    tone: float = 440.0,
) -> Path:
    """Encode a moving VP8 test pattern and an Opus tone once (keyframe only at the start)."""
    path = Path(path)
    out = av.open(str(path), "w", format="webm")
    video = out.add_stream("libvpx", rate=fps)
    video.width, video.height, video.pix_fmt = width, height, "yuv420p"
    video.bit_rate = bitrate
    video.codec_context.gop_size = 100000
    video.codec_context.options = {
        "deadline": "realtime",
        "cpu-used": "8",
        "lag-in-frames": "0",
        "auto-alt-ref": "0",
        "kf-max-dist": "100000",
    }
    audio = out.add_stream("libopus", rate=48000)
    audio.layout = "stereo"
    yy, xx = np.mgrid[0:height, 0:width]
    frames = int(seconds * fps)
    for i in range(frames):
        img = np.zeros((height, width, 3), np.uint8)
        img[..., 0] = (xx + i * 4) % 256
        img[..., 1] = (yy + i * 2) % 256
        img[..., 2] = ((xx // 40 + yy // 40 + i // 10) % 2) * 255
        frame = av.VideoFrame.from_ndarray(img, format="rgb24")
        frame.pts = i
        for packet in video.encode(frame):
            out.mux(packet)
    for packet in video.encode():
        out.mux(packet)
    samples = int(seconds * 48000) // 960
    for i in range(samples):
        t = (np.arange(960) + i * 960) / 48000
        wave = (0.3 * np.sin(2 * np.pi * tone * t)).astype(np.float32)
        frame = av.AudioFrame.from_ndarray(
            np.stack([wave, wave]).reshape(1, -1), format="flt", layout="stereo"
        )
        frame.sample_rate = 48000
        frame.pts = i * 960
        for packet in audio.encode(frame):
            out.mux(packet)
    for packet in audio.encode():
        out.mux(packet)
    out.close()
    return path


@dataclass
class EncodedMedia:
    video: list[tuple[bytes, int, bool]] = field(default_factory=list)  # data, pts (90 kHz), key
    audio: list[tuple[bytes, int]] = field(default_factory=list)  # data, pts (48 kHz)
    video_period: int = 3000
    audio_period: int = 960


def load_media(path: str | Path) -> EncodedMedia:
    media = EncodedMedia()
    with av.open(str(path)) as container:
        for packet in container.demux():
            if packet.size == 0 or packet.pts is None:
                continue
            seconds = packet.pts * packet.time_base
            if packet.stream.type == "video":
                media.video.append((bytes(packet), int(seconds / VIDEO_TB), packet.is_keyframe))
            else:
                media.audio.append((bytes(packet), int(seconds / AUDIO_TB)))
    if len(media.video) > 1:
        media.video_period = media.video[1][1] - media.video[0][1]
    return media


class PacketPlayerTrack(MediaStreamTrack):
    """Loops pre-encoded packets in real time. A keyframe request restarts the loop at its
    first frame (the keyframe), as an encoder honouring PLI would produce one."""

    def __init__(self, kind: str, media: EncodedMedia) -> None:
        super().__init__()
        self.kind = kind
        self.items = media.video if kind == "video" else [(d, p, True) for d, p in media.audio]
        self.tb = VIDEO_TB if kind == "video" else AUDIO_TB
        period = media.video_period if kind == "video" else media.audio_period
        self.loop_length = self.items[-1][1] - self.items[0][1] + period
        self.index = 0
        self.base = 0
        self.start: float | None = None
        self.keyframe_requests = 0
        self.sent = 0
        self.sent_digests: list[str] = []
        self.keep_digests = False
        self._restart = False

    def request_keyframe(self) -> None:
        self.keyframe_requests += 1
        self._restart = True

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        if self.start is None:
            self.start = time.monotonic()
        if self._restart and self.kind == "video":
            self._restart = False
            if self.index != 0:
                current = self.items[self.index][1]
                self.base += current - self.items[0][1]
                self.index = 0
        data, pts, key = self.items[self.index]
        out_pts = self.base + pts - self.items[0][1]
        self.index += 1
        if self.index == len(self.items):
            self.index = 0
            self.base += self.loop_length
        delay = self.start + float(out_pts * self.tb) - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        packet = av.Packet(data)
        packet.pts = out_pts
        packet.time_base = self.tb
        self.sent += 1
        if self.keep_digests:
            self.sent_digests.append(hashlib.sha1(data).hexdigest())
        return packet


@dataclass
class Counter:
    """What one client receiver got, counted without decoding."""

    kind: str
    mid: str | None = None
    packets: int = 0
    bytes: int = 0
    keyframes: int = 0
    first_at: float | None = None
    first_was_keyframe: bool | None = None
    last_at: float | None = None
    digests: list[str] = field(default_factory=list)
    keep_digests: bool = False

    def __call__(self, packet: av.Packet) -> None:
        data = bytes(packet)
        now = time.monotonic()
        key = self.kind == "video" and passthrough.is_vp8_keyframe(data)
        if self.first_at is None:
            self.first_at = now
            self.first_was_keyframe = key
        self.last_at = now
        self.packets += 1
        self.bytes += len(data)
        self.keyframes += key
        if self.keep_digests:
            self.digests.append(hashlib.sha1(data).hexdigest())


class LoadClient:
    """An aiortc participant: publishes pre-encoded mic/camera (optional screen), offers
    `slots` receive slots per kind, and counts what each slot receives."""

    def __init__(
        self,
        media: EncodedMedia | None,
        *,
        audio: bool = True,
        video: bool = True,
        screen: bool = False,
        slots: int = 3,
    ) -> None:
        self.pc = RTCPeerConnection(rtc_configuration([]))
        self.tracks: dict[str, PacketPlayerTrack] = {}
        self.counters: dict[str, Counter] = {}
        if media is not None:
            if audio:
                self._publish("mic", PacketPlayerTrack("audio", media))
            if video:
                self._publish("camera", PacketPlayerTrack("video", media))
            if screen:
                self._publish("screen", PacketPlayerTrack("video", media))
        self.recv_transceivers = []
        for _ in range(slots):
            for kind in ("audio", "video"):
                self.recv_transceivers.append(self.pc.addTransceiver(kind, direction="recvonly"))

    def _publish(self, label: str, track: PacketPlayerTrack) -> None:
        transceiver = self.pc.addTransceiver(track, direction="sendonly")
        passthrough.on_keyframe_request(transceiver.sender, track.request_keyframe)
        self.tracks[label] = track

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return self.pc.localDescription.sdp

    async def accept(self, answer_sdp: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer_sdp, type="answer"))
        for transceiver in self.recv_transceivers:
            counter = Counter(transceiver.kind, transceiver.mid)
            self.counters[transceiver.mid] = counter
            passthrough.enable_receiver_passthrough(transceiver.receiver, counter)

    async def connect(self, engine, hearing_id: str, participant_id: str) -> None:
        await self.accept(await engine.offer(hearing_id, participant_id, await self.offer()))

    def received(self, kind: str) -> int:
        return sum(c.packets for c in self.counters.values() if c.kind == kind)

    async def close(self) -> None:
        await self.pc.close()
