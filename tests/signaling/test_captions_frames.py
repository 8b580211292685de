"""Live captions through the real consumer and the hearing's media worker: a real aiortc client
speaks a LibriSpeech clip in the main room of an English hearing, the chair turns captions on,
the main room gets `caption` frames naming the speaker, the waiting room and a caucus get none;
parties may not switch captions; with no model for the language the tribunal is told why and the
hearing goes on."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest
from channels.db import database_sync_to_async

from case_core.models import Invitee
from media.testing import EncodedMedia
from signaling.models import HearingEvent, HearingLive
from tests.support.asr_models import LIBRI_REFERENCE
from tests.support.hearing_client import connect
from tests.support.hearing_media import (
    admitted_mediation,
    embedded_worker,
    offer_through,
    wait_for,
)
from tests.support.personas import make_user
from tests.support.require import speech_clip
from transcription import audio
from transcription.scoring import normalise_words

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
]


def covered(reference: str, text: str) -> float:
    said = set(normalise_words(text))
    words = normalise_words(reference)
    return sum(w in said for w in words) / len(words)


@pytest.fixture(scope="module")
def speech() -> EncodedMedia:
    """The LibriSpeech clip then 2 s of silence, as 20 ms Opus packets a browser would send."""
    from tests.support.recordings import opus_packets

    pcm = audio.decode_pcm(speech_clip("libri_1995-1837-0001.wav"))
    pcm = np.concatenate([pcm, np.zeros(audio.SAMPLE_RATE * 2, np.int16)])
    return EncodedMedia(audio=[(bytes(p), int(p.pts)) for p in opus_packets(pcm)])


def _language(hearing, language: str):
    hearing.language = language
    hearing.save(update_fields=["language"])
    return hearing


async def _drain(ws, seconds: float = 0.5) -> list[dict]:
    """Every frame the connection has or gets within `seconds`."""
    frames, ws.inbox = list(ws.inbox), []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await ws.comm.receive_nothing(0.1):  # (a timed-out read would end the connection)
            continue
        frames.append(await ws._read(1))
    return frames


async def test_the_main_room_gets_captions_naming_the_speaker_and_nobody_else_does(
    mediation, mediator, applicant, respondent, tiny_en_models, speech
):
    await database_sync_to_async(_language)(mediation, "en")
    visitor = await database_sync_to_async(make_user)("visitor")
    await database_sync_to_async(Invitee.objects.create)(
        hearing=mediation, user=visitor, role="witness"
    )
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    waiting = await connect(mediation, visitor)  # never admitted: stays in the waiting room
    client = None
    try:
        await chair.ok("room.open", label="Respondent side", members=[respondent.pk])
        await r.seat_of(respondent.pk, room="caucus-1")
        result = await chair.ok("captions.set", enabled=True)
        assert result == {"captions": True, "available": True}
        state = await a.expect(lambda f: f["type"] == "hearing")
        assert state["event"] == "captions.enabled" and state["hearing"]["captions"] is True
        client, reply = await offer_through(a, speech, slots=1, video=False)
        assert reply["type"] == "media.answer", reply
        captions: list[dict] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = " ".join(f["text"] for f in captions if f["final"])
            if covered(LIBRI_REFERENCE, text) >= 0.8:
                break
            for frame in await _drain(chair, 0.5):
                if frame["type"] == "caption":
                    captions.append(frame)
        assert captions, "no caption within 60 s"
        for frame in captions:
            assert frame["speaker"] == applicant.pk, frame
            assert (frame["name"], frame["role"]) == (applicant.name, "applicant"), frame
            assert frame["v"] == 1 and frame["hearing"] == mediation.pk and frame["ref"] is None
            assert frame["start"] <= frame["end"]
        said = " ".join(f["text"] for f in captions if f["final"])
        assert covered(LIBRI_REFERENCE, said) >= 0.8, said
        assert embedded_worker().captions.taps  # the pinned worker taps the hearing
        # the waiting room and the caucus heard nothing, so they get no caption either
        for ws in (waiting, r):
            assert not [f for f in await _drain(ws) if f["type"] == "caption"]
        # final captions are in the hearing's event log, for the minutes
        logged = await database_sync_to_async(
            lambda: list(HearingEvent.objects.filter(hearing=mediation, kind="caption"))
        )()
        assert logged and {e.subject_id for e in logged} == {applicant.pk}
        assert {e.data["speaker"] for e in logged} == {applicant.pk}
        assert all(e.data["text"] and e.data["start"] <= e.data["end"] for e in logged)
        await chair.ok("captions.set", enabled=False)
        assert await wait_for(lambda: not embedded_worker().captions.taps, timeout=3)
        await chair.ok("captions.set", enabled=True)  # on again, media already running
        assert await wait_for(lambda: embedded_worker().captions.taps, timeout=10)
    finally:
        if client is not None:
            await client.close()
        for ws in (chair, a, r, waiting):
            await ws.close()


async def test_only_the_chair_and_the_clerk_switch_captions(
    mediation, mediator, clerk, applicant, tiny_en_models
):
    await database_sync_to_async(_language)(mediation, "en")
    chair = await connect(mediation, mediator)
    desk = await connect(mediation, clerk)
    party = await connect(mediation, applicant)
    try:
        refused = await party.refused("captions.set", "forbidden", enabled=True)
        assert refused["message"]
        await party.refused("captions.set", "invalid_frame", enabled="yes")
        assert (await desk.ok("captions.set", enabled=True))["captions"] is True
        await chair.refused("captions.set", "no_change", enabled=True)
        assert (await chair.ok("captions.set", enabled=False))["captions"] is False
        live = await database_sync_to_async(HearingLive.objects.get)(hearing=mediation)
        assert live.captions is False
        kinds = await database_sync_to_async(
            lambda: list(
                HearingEvent.objects.filter(hearing=mediation, kind__startswith="captions.")
                .order_by("seq")
                .values_list("kind", "actor_id")
            )
        )()
        assert kinds == [("captions.enabled", clerk.pk), ("captions.disabled", mediator.pk)]
    finally:
        for ws in (chair, desk, party):
            await ws.close()


async def test_without_a_model_the_tribunal_is_told_and_the_hearing_goes_on(
    mediation, mediator, clerk, applicant, respondent, tiny_en_models
):
    from transcription.services import transcription_notices

    await database_sync_to_async(_language)(mediation, "zh-hans")
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    desk = await connect(mediation, clerk)
    try:
        result = await chair.ok("captions.set", enabled=True)
        assert result["captions"] is True and result["available"] is False
        assert result["code"] == "no_model"
        for ws in (chair, desk):
            notice = await ws.expect(lambda f: f["type"] == "notice", timeout=5)
            assert notice["event"] == "captions.unavailable", notice
            assert "zh-hans" in notice["message"] and notice["data"]["code"] == "no_model"
            assert ws.inbox == [] or all(f["type"] != "error" for f in ws.inbox)
        await asyncio.sleep(0.2)
        assert not [f for f in await _drain(a, 0.3) if f["type"] == "notice"]
        # everything else keeps working
        sent = await a.ok("chat.send", text="我有工资单。")
        chat = await chair.expect(lambda f: f["type"] == "chat")
        assert chat["text"] == "我有工资单。" and chat["seq"] == sent["seq"]
        notices = await database_sync_to_async(transcription_notices)(mediation)
        assert [(n["kind"], n["code"]) for n in notices] == [("captions.unavailable", "no_model")]
    finally:
        for ws in (chair, a, r, desk):
            await ws.close()
