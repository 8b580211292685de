"""The aiortc packet hook: verified at start-up, and loud when an aiortc upgrade breaks it."""

from __future__ import annotations

import aiortc
import pytest
from aiortc import rtcrtpreceiver, rtcrtpsender

from media import passthrough
from media.engine import MediaEngine


@pytest.fixture(autouse=True)
def _fresh_check():
    passthrough.reset_check_cache()
    yield
    passthrough.reset_check_cache()


def test_it_accepts_the_pinned_aiortc():
    passthrough.check_aiortc_internals()
    assert aiortc.__version__ == passthrough.TESTED_AIORTC_VERSION


def test_it_fails_loudly_when_the_receiver_no_longer_queues_encoded_frames(monkeypatch):
    async def _handle_rtp_packet(self, packet, arrival_time_ms):  # a refactored aiortc
        self._decode(packet)

    monkeypatch.setattr(rtcrtpreceiver.RTCRtpReceiver, "_handle_rtp_packet", _handle_rtp_packet)
    with pytest.raises(passthrough.AiortcInternalsChanged, match="_handle_rtp_packet"):
        passthrough.check_aiortc_internals()
    with pytest.raises(passthrough.AiortcInternalsChanged):
        MediaEngine()


def test_it_fails_loudly_when_the_sender_would_encode_packets(monkeypatch):
    async def _next_encoded_frame(self, codec):
        return self.encoder.encode(await self.track.recv())

    monkeypatch.setattr(rtcrtpsender.RTCRtpSender, "_next_encoded_frame", _next_encoded_frame)
    with pytest.raises(passthrough.AiortcInternalsChanged, match="pack"):
        passthrough.check_aiortc_internals()


def test_it_fails_loudly_when_the_decoder_worker_is_gone(monkeypatch):
    monkeypatch.delattr(rtcrtpreceiver, "decoder_worker")
    with pytest.raises(passthrough.AiortcInternalsChanged, match="decoder_worker"):
        passthrough.check_aiortc_internals()


def test_it_fails_loudly_on_another_aiortc_version(monkeypatch):
    monkeypatch.setattr(aiortc, "__version__", "1.17.0")
    with pytest.raises(passthrough.AiortcInternalsChanged, match="1.17.0"):
        passthrough.check_aiortc_internals()


async def test_it_delivers_identical_encoded_packets_over_a_real_connection(media):
    """End to end through the hook alone: an aiortc receiver yields av.Packets whose bytes
    are exactly what the sender packed, and no decoder thread or decoder ever runs."""
    import asyncio
    import threading

    from aiortc import RTCPeerConnection

    from media import testing
    from media.config import rtc_configuration

    sender = testing.LoadClient(media, slots=0)
    sender.tracks["camera"].keep_digests = True
    receiver = RTCPeerConnection(rtc_configuration([]))
    counters = {}

    @receiver.on("track")
    def on_track(track):
        pass

    await receiver.setRemoteDescription(aiortc.RTCSessionDescription(await sender.offer(), "offer"))
    for transceiver in receiver.getTransceivers():
        counter = testing.Counter(transceiver.kind, keep_digests=True)
        counters[transceiver.kind] = counter
        passthrough.enable_receiver_passthrough(transceiver.receiver, counter)
    await receiver.setLocalDescription(await receiver.createAnswer())
    await sender.accept(receiver.localDescription.sdp)
    for _ in range(100):
        if counters["video"].packets > 20 and counters["audio"].packets > 20:
            break
        await asyncio.sleep(0.05)
    assert counters["video"].packets > 20 and counters["audio"].packets > 20
    assert not [t for t in threading.enumerate() if t.name.endswith("-decoder")]
    sent = sender.tracks["camera"].sent_digests
    got = counters["video"].digests
    start = sent.index(got[0])
    assert got == sent[start : start + len(got)]
    await sender.close()
    await receiver.close()
