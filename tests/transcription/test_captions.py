"""Live captions: the whisper adapter on real speech, Opus packets as the media engine forwards
them, the caption tap on a real MediaEngine with an aiortc participant, and the refusals."""

from __future__ import annotations

import asyncio
import os
import threading
import time

import numpy as np
import pytest

from case_core.errors import DomainError
from tests.support.asr_models import LIBRI_REFERENCE
from tests.support.recordings import opus_packets
from tests.support.require import speech_clip
from transcription import audio
from transcription.live.engines import caption_engine
from transcription.live.lane import Job, Lane
from transcription.live.pipeline import CaptionSession, OpusDecoder
from transcription.live.replay import replay_packets, replay_pcm
from transcription.scoring import normalise_words


def covered(reference: str, text: str) -> float:
    said = set(normalise_words(text))
    words = normalise_words(reference)
    return sum(w in said for w in words) / len(words)


@pytest.fixture(scope="module")
def libri():
    return audio.decode_pcm(speech_clip("libri_1995-1837-0001.wav"))


def test_it_captions_librispeech_with_the_speakers_id(models, libri):
    events = replay_pcm(libri, language="en", participant_id="42", speed=2.0)
    finals = [e for e in events if e.final]
    assert finals, events
    assert {e.participant_id for e in events} == {"42"}
    assert {e.engine for e in events} == {"whisper"}
    text = " ".join(e.text for e in finals)
    assert covered(LIBRI_REFERENCE, text) >= 0.8, text
    assert [e.seq for e in finals] == list(range(len(finals)))
    assert all(e.start < e.end for e in finals)
    assert finals[0].frame(name="Wang", role="applicant", user=42) == {
        "type": "caption",
        "speaker": 42,
        "name": "Wang",
        "role": "applicant",
        "text": finals[0].text,
        "final": True,
        "start": round(finals[0].start, 2),
        "end": round(finals[0].end, 2),
        "seq": 0,
    }


def test_it_captions_nothing_for_silence_or_faint_noise(models):
    rng = np.random.default_rng(1)
    quiet = np.concatenate(
        [np.zeros(audio.SAMPLE_RATE * 2, np.int16), rng.normal(0, 30, audio.SAMPLE_RATE * 2)]
    ).astype(np.int16)
    assert replay_pcm(quiet, language="en", speed=8.0, tail=0.5) == []


def test_it_decodes_opus_packets_as_the_engine_forwards_them(libri):
    packets = opus_packets(libri[: audio.SAMPLE_RATE * 3])
    decoder = OpusDecoder()
    pcm = np.concatenate([decoder.decode(p) for p in packets])
    assert abs(len(pcm) - audio.SAMPLE_RATE * 3) < audio.SAMPLE_RATE * 0.05
    assert decoder.errors == 0
    assert np.sqrt(np.mean(pcm.astype(np.float64) ** 2)) > 300  # speech, not silence
    assert decoder.decode(b"\xff\x00garbage").size == 0 or decoder.errors >= 0  # never raises


def test_it_captions_opus_packets_through_the_session(models, libri):
    events = replay_packets(opus_packets(libri), language="en", participant_id="7", speed=4.0)
    text = " ".join(e.text for e in events if e.final)
    assert covered(LIBRI_REFERENCE, text) >= 0.8, text
    assert {e.participant_id for e in events} == {"7"}


def test_it_refuses_a_language_without_any_model(settings, packaged_dir, tmp_path):
    only = tmp_path / "models"
    only.mkdir()
    for name in ("whisper-tiny-en", "vosk-ko-small"):  # English and Korean only
        os.symlink(packaged_dir / name, only / name)
    settings.TRIBUNAL_MODELS_DIR = only
    assert caption_engine("en").model.name == "whisper-tiny-en"
    with pytest.raises(DomainError) as refused:
        CaptionSession("1", "zh-hans", print)
    assert refused.value.code == "no_model"
    assert "zh-hans" in refused.value.message


def test_it_prefers_vosk_where_a_vosk_model_covers_the_language(models, settings):
    settings.TRIBUNAL_ASR_MODELS = {**settings.TRIBUNAL_ASR_MODELS, "vosk": {"ko": "vosk-ko-small"}}
    chosen = caption_engine("ko")
    assert (chosen.engine, chosen.model.name) == ("vosk", "vosk-ko-small")
    assert caption_engine("en").engine == "whisper"  # no vosk model covers English here
    settings.TRIBUNAL_CAPTIONS_ENGINE = "vosk"  # forced: no fallback to whisper
    with pytest.raises(DomainError) as refused:
        caption_engine("en")
    assert refused.value.code == "no_model"


def test_it_drops_the_oldest_job_of_a_stream_that_falls_behind():
    lane = Lane("test", max_queue=2)
    gate = threading.Event()
    ran: list[int] = []
    lane.submit("a", Job(run=lambda: gate.wait(5) and 0, done=ran.append))
    time.sleep(0.1)  # the first job is running and holds the lane
    for n in range(1, 5):
        lane.submit("a", Job(run=lambda n=n: n, done=ran.append))
    lane.submit("b", Job(run=lambda: 10, done=ran.append))
    gate.set()
    assert lane.wait_idle(5)
    assert lane.dropped == 2
    assert ran == [0, 3, 10, 4]  # round robin between streams; 1 and 2 were dropped


async def test_it_taps_a_real_media_engine_and_captions_only_the_main_room(models, libri, tmp_path):
    from media.engine import MediaEngine
    from media.testing import AUDIO_TB, EncodedMedia, LoadClient
    from transcription.live.tap import attach_caption_tap

    speech = [(bytes(p), int(p.pts)) for p in opus_packets(libri[: audio.SAMPLE_RATE * 5])]
    silence = opus_packets(np.zeros(audio.SAMPLE_RATE * 2, np.int16))
    speech += [(bytes(p), int(p.pts) + speech[-1][1] + 960) for p in silence]
    media = EncodedMedia(audio=speech)
    assert AUDIO_TB.denominator == 48000
    engine = MediaEngine(ice_timeout=10)
    events = []
    clients = []
    tap = await attach_caption_tap(engine, "h1", events.append, language="en")
    try:
        for who, room in (("11", "main"), ("12", "caucus-1")):
            await engine.set_room("h1", who, room)
            client = LoadClient(media, video=False, slots=1)
            await client.connect(engine, "h1", who)
            clients.append(client)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(e.final for e in events):
            await asyncio.sleep(0.2)
    finally:
        await tap.stop()
        for client in clients:
            await client.close()
        await engine.shutdown()
    finals = [e for e in events if e.final]
    assert finals, "no caption within 30 s"
    assert {e.participant_id for e in events} == {"11"}  # the caucus is private
    said = " ".join(e.text for e in finals)
    assert covered("it was the first great sorrow of his life", said) >= 0.6, finals
