"""The engine forwards encoded packets, unchanged, routed strictly by room."""

from __future__ import annotations

import asyncio

from aiortc.codecs import opus, vpx

from tests.support.media import delta, from_whom, join, wait_for

H = "hearing-1"


async def test_it_forwards_packets_unchanged_without_decoding_or_encoding(
    engine, media, monkeypatch
):
    calls = []

    def forbid(name):
        def _called(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} must not run for forwarded media")

        return _called

    monkeypatch.setattr(vpx.Vp8Decoder, "decode", forbid("Vp8Decoder.decode"))
    monkeypatch.setattr(vpx.Vp8Encoder, "encode", forbid("Vp8Encoder.encode"))
    monkeypatch.setattr(opus.OpusDecoder, "decode", forbid("OpusDecoder.decode"))
    monkeypatch.setattr(opus.OpusEncoder, "encode", forbid("OpusEncoder.encode"))
    arbitrator = await join(engine, media, H, "arbitrator", slots=2)
    applicant = await join(engine, media, H, "applicant", slots=2)
    for track in applicant.tracks.values():
        track.keep_digests = True
    for counter in arbitrator.counters.values():
        counter.keep_digests = True
    try:
        assert await wait_for(
            lambda: arbitrator.received("video") > 45 and arbitrator.received("audio") > 75
        )
        assert calls == []
        got = from_whom(engine, H, arbitrator, "applicant")
        assert got["video"] > 45 and got["audio"] > 75
        for kind, label in (("video", "camera"), ("audio", "mic")):
            slot = next(
                s
                for s in engine.layout(H, "arbitrator")
                if s["participant_id"] == "applicant" and s["kind"] == kind
            )
            received = arbitrator.counters[slot["mid"]].digests
            sent = applicant.tracks[label].sent_digests
            # every packet received is byte-identical to one sent, in order
            start = sent.index(received[0])
            assert received == sent[start : start + len(received)]
        # 2 s test clip at 30 fps: about a second and a half of steady frame rate
        rates = await delta({"a": arbitrator}, "video", 1.5)
        assert rates["a"] >= 40
    finally:
        await arbitrator.close()
        await applicant.close()


async def test_it_forwards_keyframe_requests_for_a_late_joiner(engine, media):
    applicant = await join(engine, media, H, "applicant", slots=1)
    respondent = await join(engine, media, H, "respondent", slots=1)
    try:
        assert await wait_for(lambda: respondent.received("video") > 20)
        # the clip has one keyframe, at its start: only a forwarded request restarts it
        requests_before = applicant.tracks["camera"].keyframe_requests
        await asyncio.sleep(0.7)  # the applicant is now mid-clip (delta frames only)
        late = await join(engine, media, H, "clerk", slots=2)
        assert await wait_for(lambda: late.received("video") > 0, timeout=3)
        first = [c for c in late.counters.values() if c.kind == "video" and c.packets]
        assert first and all(c.first_was_keyframe for c in first)
        assert applicant.tracks["camera"].keyframe_requests > requests_before
        assert max(c.first_at for c in first) - min(c.first_at for c in first) < 3
        await late.close()
    finally:
        await applicant.close()
        await respondent.close()


async def test_it_routes_media_by_room_and_a_move_takes_effect_within_a_second(engine, media):
    clients = {
        name: await join(engine, media, H, name, slots=3)
        for name in ("mediator", "worker", "employer")
    }
    try:
        assert await wait_for(lambda: all(c.received("video") > 20 for c in clients.values()))
        # private caucus: mediator with the worker; the employer is left alone
        await engine.set_room(H, "mediator", "caucus-worker")
        await engine.set_room(H, "worker", "caucus-worker")
        await asyncio.sleep(1.0)
        assert all(slot["participant_id"] is None for slot in engine.layout(H, "employer"))
        got = await delta(clients, "video", 1.0)
        assert got["employer"] == 0, "the employer must receive nobody from the caucus"
        assert got["mediator"] > 20 and got["worker"] > 20
        worker_from = {
            who: from_whom(engine, H, clients["worker"], who) for who in ("mediator", "employer")
        }
        assert worker_from["employer"] == {"audio": 0, "video": 0}
        audio = await delta(clients, "audio", 1.0)
        assert audio["employer"] == 0
        # the return restores media between everybody within a second
        await engine.set_room(H, "mediator", "main")
        await engine.set_room(H, "worker", "main")
        await asyncio.sleep(1.0)
        got = await delta(clients, "video", 1.0)
        assert all(count > 40 for count in got.values()), got
    finally:
        for client in clients.values():
            await client.close()


async def test_it_gives_the_waiting_room_no_media_and_forwards_none_of_it(engine, media):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    waiting = await join(engine, media, H, "applicant", room="waiting", slots=2)
    try:
        await asyncio.sleep(1.5)
        assert chair.received("video") == 0 and chair.received("audio") == 0
        assert waiting.received("video") == 0 and waiting.received("audio") == 0
        await engine.set_room(H, "applicant", "main")
        assert await wait_for(
            lambda: chair.received("video") > 10 and waiting.received("video") > 10, timeout=3
        )
    finally:
        await chair.close()
        await waiting.close()


async def test_it_stops_forwarding_the_audio_of_a_participant_muted_by_the_chair(engine, media):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "respondent", slots=2)
    try:
        assert await wait_for(lambda: chair.received("audio") > 20)
        await engine.mute(H, "respondent")
        await asyncio.sleep(0.3)
        got = await delta({"chair": chair, "party": party}, "audio", 1.0)
        assert got["chair"] == 0 and got["party"] > 30
        video = await delta({"chair": chair}, "video", 1.0)
        assert video["chair"] > 20, "muting stops audio only"
        await engine.mute(H, "respondent", False)
        assert await wait_for(
            lambda: (
                chair.received("audio") > 0
                and from_whom(engine, H, chair, "respondent")["audio"] > 0
            )
        )
    finally:
        await chair.close()
        await party.close()


async def test_it_forwards_a_screen_share_as_an_extra_video_track(engine, media):
    presenter = await join(engine, media, H, "applicant", screen=True, slots=2)
    viewer = await join(engine, media, H, "arbitrator", slots=2)

    def sources():
        layout = engine.layout(H, "arbitrator")
        return sorted(s["source"] for s in layout if s.get("participant_id") == "applicant")

    try:
        assert await wait_for(lambda: sources() == ["camera", "mic", "screen"]), sources()
        assert await wait_for(
            lambda: all(c.packets > 10 for c in viewer.counters.values() if c.kind == "video")
        )
    finally:
        await presenter.close()
        await viewer.close()


async def test_it_resumes_media_on_a_new_connection_after_an_ice_restart(engine, media):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    try:
        assert await wait_for(lambda: chair.received("video") > 10)
        await party.close()
        from media import testing

        again = testing.LoadClient(media, slots=2)
        answer = await engine.restart_ice(H, "applicant", await again.offer())
        await again.accept(answer)
        again.participant_id = "applicant"
        assert engine.stats()["peer_connections"] == 2
        assert await wait_for(
            lambda: (
                again.received("video") > 10
                and from_whom(engine, H, chair, "applicant")["video"] > 10
            )
        )
        await again.close()
    finally:
        await chair.close()
