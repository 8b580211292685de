"""The one place that reaches into aiortc's private internals (aiortc is pinned to 1.16.0).

aiortc decodes every received stream and encodes every sent one. For a forwarding engine both
are waste, so this module:

* makes an ``RTCRtpReceiver`` hand out each reassembled jitter-buffer frame as an encoded
  ``av.Packet`` (VP8 or Opus) instead of decoding it: the receiver's private decoder queue is
  replaced by a :class:`PacketTap` before the receiver starts, and the module-level
  ``decoder_worker`` is wrapped so that no decoder thread runs for tapped receivers;
* relies on ``RTCRtpSender._next_encoded_frame`` calling the encoder's ``pack()`` (no encoding)
  for anything that is not an ``av.Frame``: a forwarding track yields :class:`OutgoingPacket`;
* forwards keyframe requests (PLI/FIR) that a subscriber sends to our sender, and sends PLI to a
  publisher through the receiver's private ``_send_rtcp_pli``.

:func:`check_aiortc_internals` verifies every private detail used here and raises
:class:`AiortcInternalsChanged` if an aiortc upgrade changed one. Call it at start-up.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import aiortc
import av
from aiortc import rtcrtpreceiver, rtcrtpsender
from aiortc.jitterbuffer import JitterFrame
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtcrtpsender import RTCRtpSender

logger = logging.getLogger(__name__)

TESTED_AIORTC_VERSION = "1.16.0"
_QUEUE_ATTR = "_RTCRtpReceiver__decoder_queue"
_THREAD_ATTR = "_RTCRtpReceiver__decoder_thread"
_STARTED_ATTR = "_RTCRtpReceiver__started"
_ORIGINAL_WORKER = rtcrtpreceiver.decoder_worker

PacketCallback = Callable[[av.Packet], None]


class AiortcInternalsChanged(RuntimeError):
    """aiortc no longer has the private internals the passthrough hook relies on."""


class OutgoingPacket:
    """What a forwarding track yields to an ``RTCRtpSender``: not an ``av.Frame``, so the
    sender calls the encoder's ``pack()``, which only reads ``bytes()``, ``pts``, ``time_base``."""

    __slots__ = ("data", "pts", "time_base")

    def __init__(self, data: bytes, pts: int, time_base: Fraction) -> None:
        self.data = data
        self.pts = pts
        self.time_base = time_base

    def __bytes__(self) -> bytes:
        return self.data


def is_vp8_keyframe(data: bytes) -> bool:
    """RFC 6386 section 9.1: bit 0 of the frame tag is 0 for a key frame."""
    return bool(data) and (data[0] & 0x01) == 0


def vp8_dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a VP8 key frame header, or None for other frames."""
    if len(data) < 10 or not is_vp8_keyframe(data) or data[3:6] != b"\x9d\x01\x2a":
        return None
    width = int.from_bytes(data[6:8], "little") & 0x3FFF
    height = int.from_bytes(data[8:10], "little") & 0x3FFF
    return width, height


class PacketTap:
    """Stands in for the receiver's decoder queue: ``put((codec, JitterFrame))`` arrives on the
    event loop from ``RTCRtpReceiver._handle_rtp_packet``; ``put(None)`` when it stops."""

    def __init__(self, receiver: RTCRtpReceiver, on_packet: PacketCallback | None) -> None:
        self._receiver = receiver
        self.on_packet = on_packet
        self.on_end: Callable[[], None] | None = None
        self.packets = 0
        self.ended = False

    def put(self, item: tuple[Any, JitterFrame] | None) -> None:
        if item is None:
            self._end()
            return
        codec, frame = item
        packet = av.Packet(frame.data)
        packet.pts = frame.timestamp
        packet.dts = frame.timestamp
        packet.time_base = Fraction(1, codec.clockRate)
        if codec.name == "VP8":
            packet.is_keyframe = is_vp8_keyframe(frame.data)
        else:
            packet.is_keyframe = True
        self.packets += 1
        if self.on_packet is not None:
            try:
                self.on_packet(packet)
            except Exception:  # a consumer's bug must not kill the receiver
                logger.exception("passthrough consumer failed")
        else:
            track = self._receiver.track
            if track is not None:
                track._queue.put_nowait(packet)

    def _end(self) -> None:
        if self.ended:
            return
        self.ended = True
        if self.on_end is not None:
            self.on_end()
        track = self._receiver.track
        if self.on_packet is None and track is not None:
            track._queue.put_nowait(None)


def _decoder_worker(loop, input_q, output_q, decode_error) -> None:
    """Replaces aiortc's decoder thread body: tapped receivers get no decoder at all."""
    if isinstance(input_q, PacketTap):
        return
    _ORIGINAL_WORKER(loop, input_q, output_q, decode_error)


def _install_worker_hook() -> None:
    if rtcrtpreceiver.decoder_worker is not _decoder_worker:
        rtcrtpreceiver.decoder_worker = _decoder_worker


def enable_receiver_passthrough(
    receiver: RTCRtpReceiver, on_packet: PacketCallback | None = None
) -> PacketTap:
    """Make `receiver` deliver encoded ``av.Packet``s instead of decoded frames.

    With `on_packet`, every packet is handed to it synchronously on the event loop (no queue,
    no task); without it, ``receiver.track.recv()`` returns the packets. Must be called after
    ``setRemoteDescription`` and before the connection starts the receiver.
    """
    check_aiortc_internals()
    if getattr(receiver, _STARTED_ATTR):
        raise RuntimeError("the receiver has already started; enable passthrough earlier")
    existing = getattr(receiver, _QUEUE_ATTR)
    if isinstance(existing, PacketTap):
        existing.on_packet = on_packet
        return existing
    _install_worker_hook()
    tap = PacketTap(receiver, on_packet)
    setattr(receiver, _QUEUE_ATTR, tap)
    return tap


def receiver_tap(receiver: RTCRtpReceiver) -> PacketTap | None:
    tap = getattr(receiver, _QUEUE_ATTR, None)
    return tap if isinstance(tap, PacketTap) else None


def request_keyframe(receiver: RTCRtpReceiver) -> bool:
    """Send a PLI to the publisher for every SSRC the receiver currently hears."""
    sources = receiver.getSynchronizationSources()
    for source in sources:
        coro = receiver._send_rtcp_pli(source.source)
        _spawn(coro)
    return bool(sources)


def on_keyframe_request(sender: RTCRtpSender, callback: Callable[[], None]) -> None:
    """Call `callback` whenever the remote end of `sender` asks for a keyframe (PLI or FIR)."""
    original = sender._send_keyframe

    def _send_keyframe() -> None:
        original()
        callback()

    sender._send_keyframe = _send_keyframe


def _spawn(coro) -> None:
    import asyncio

    task = asyncio.ensure_future(coro)
    _pending.add(task)
    task.add_done_callback(_pending.discard)


_pending: set = set()
_checked = False


def check_aiortc_internals() -> None:
    """Raise AiortcInternalsChanged unless aiortc still has every private detail used here."""
    global _checked
    if _checked:
        return
    problems: list[str] = []
    if aiortc.__version__ != TESTED_AIORTC_VERSION:
        problems.append(f"aiortc {aiortc.__version__} is not the tested {TESTED_AIORTC_VERSION}")

    def source_of(obj) -> str:
        try:
            return inspect.getsource(obj)
        except (OSError, TypeError):
            problems.append(f"cannot read the source of {obj!r}")
            return ""

    worker = getattr(rtcrtpreceiver, "decoder_worker", None)
    if worker is None or not callable(worker):
        problems.append("aiortc.rtcrtpreceiver.decoder_worker is gone")
    else:
        params = list(inspect.signature(_ORIGINAL_WORKER).parameters)
        if params != ["loop", "input_q", "output_q", "decode_error"]:
            problems.append(f"decoder_worker signature changed: {params}")
    init = source_of(RTCRtpReceiver.__init__)
    receive = source_of(RTCRtpReceiver.receive)
    handle = source_of(RTCRtpReceiver._handle_rtp_packet)
    stop = source_of(RTCRtpReceiver._RTCRtpReceiver__stop_decoder)
    for needle, where, text in [
        ("self.__decoder_queue", "RTCRtpReceiver.__init__", init),
        ("self.__started", "RTCRtpReceiver.__init__", init),
        ("target=decoder_worker", "RTCRtpReceiver.receive", receive),
        ("self.__decoder_queue", "RTCRtpReceiver.receive", receive),
        ("self.__decoder_thread", "RTCRtpReceiver._handle_rtp_packet", handle),
        ("self.__decoder_queue.put((codec, encoded_frame))", "_handle_rtp_packet", handle),
        ("self.__decoder_queue.put(None)", "RTCRtpReceiver.__stop_decoder", stop),
    ]:
        if needle not in text:
            problems.append(f"{where} no longer contains {needle!r}")
    if not callable(getattr(RTCRtpReceiver, "_send_rtcp_pli", None)):
        problems.append("RTCRtpReceiver._send_rtcp_pli is gone")
    if "_queue" not in source_of(rtcrtpreceiver.RemoteStreamTrack.__init__):
        problems.append("RemoteStreamTrack no longer has _queue")
    next_frame = source_of(RTCRtpSender._next_encoded_frame)
    if "isinstance(data, Frame)" not in next_frame or ".pack(data)" not in next_frame:
        problems.append("RTCRtpSender._next_encoded_frame no longer packs non-Frame data")
    rtcp = source_of(RTCRtpSender._handle_rtcp_packet)
    if "self._send_keyframe()" not in rtcp:
        problems.append("RTCRtpSender._handle_rtcp_packet no longer calls _send_keyframe()")
    if not callable(getattr(RTCRtpSender, "_send_keyframe", None)):
        problems.append("RTCRtpSender._send_keyframe is gone")
    if not hasattr(rtcrtpsender, "RTCRtpSender"):
        problems.append("aiortc.rtcrtpsender.RTCRtpSender is gone")
    frame = JitterFrame(b"x", 1)
    if getattr(frame, "data", None) != b"x" or getattr(frame, "timestamp", None) != 1:
        problems.append("JitterFrame no longer has data and timestamp")
    if problems:
        raise AiortcInternalsChanged(
            "the aiortc passthrough hook (media/passthrough.py) is broken: " + "; ".join(problems)
        )
    _checked = True


def reset_check_cache() -> None:
    """For tests: make the next check_aiortc_internals() run again."""
    global _checked
    _checked = False
