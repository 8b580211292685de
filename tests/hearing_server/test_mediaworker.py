"""The media worker speaks the typed bus: every command round-trips through one pydantic union,
a malformed one is answered `invalid` (no traceback), and the library's MediaError reaches the
caller as the wire error with the same code."""

from __future__ import annotations

import logging

import pytest
from channels.layers import InMemoryChannelLayer

from hearing_server.mediaworker.worker import MediaWorker
from media.engine import MediaEngine
from signaling import media_commands as mc

COMMANDS = [
    mc.Route(
        hearing=7,
        seq=3,
        seats=[mc.SeatRoute(participant=1, room="main", muted=False, publish=False, name="T")],
    ),
    mc.Offer(hearing=7, participant=1, session="s", sdp="v=0", sources={"0": "mic"}),
    mc.Restart(hearing=7, participant=1, sdp="v=0"),
    mc.Candidate(hearing=7, participant=1, candidate=None),
    mc.Hangup(hearing=7, participant=1, session="s"),
    mc.RecordStart(hearing=7, rooms=["main"]),
    mc.RecordStop(hearing=7, actor=3),
    mc.CaptionsStart(hearing=7, language="en"),
    mc.CaptionsStop(hearing=7),
    mc.Close(hearing=7, actor=None),
    mc.Stats(hearing=7, reply_to="me", call="c1"),
]


def test_it_round_trips_every_command_through_one_union():
    for command in COMMANDS:
        message = mc.command_message(command)
        assert message["type"] == "media.command" and message["cmd"] == command.cmd
        assert mc.parse_command(message) == command
    assert {c.cmd for c in COMMANDS} == {
        "route",
        "offer",
        "restart",
        "candidate",
        "hangup",
        "record.start",
        "record.stop",
        "captions.start",
        "captions.stop",
        "close",
        "stats",
    }


@pytest.fixture
async def worker():
    layer = InMemoryChannelLayer()
    worker = MediaWorker("mediaworker.test", engine=MediaEngine(ice_timeout=5), layer=layer)
    assert set(worker.handlers) == {type(c) for c in COMMANDS}
    yield worker
    await worker.engine.shutdown()


async def _reply(worker, message: dict) -> dict:
    await worker.handle({**message, "reply_to": "caller", "call": "c1"})
    return await worker.layer.receive("caller")


async def test_it_answers_a_malformed_command_invalid_without_a_traceback(worker, caplog):
    for bad in (
        {"type": "media.command", "cmd": "explode", "hearing": 7},
        {"type": "media.command", "cmd": "offer", "hearing": 7, "participant": 1},
        {"type": "media.command", "cmd": "route", "hearing": "seven", "seats": []},
    ):
        reply = await _reply(worker, bad)
        assert reply["ok"] is False and reply["error"]["code"] == "invalid", reply
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_it_maps_the_engines_refusals_to_wire_errors_with_the_same_code(worker):
    reply = await _reply(
        worker, mc.command_message(mc.Candidate(hearing=7, participant=1, candidate=None))
    )
    assert reply["ok"] is False and reply["error"]["code"] == "not_admitted"
    assert reply["error"]["details"]["detail"]  # the library's own words, for developers
    await worker.handle(mc.command_message(COMMANDS[0]))  # seat 1 in main, may not publish
    stats = await _reply(worker, mc.command_message(mc.Stats(hearing=7)))
    assert stats["ok"] and stats["result"]["seats"] == 1 and stats["result"]["handled"] == 3
    assert worker.routing["7"]["1"]["publish"] is False
    assert worker.engine.hearings["7"].seats["1"].publish is False
