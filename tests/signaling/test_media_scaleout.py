"""Scale-out media: a server process and a separate `tribunal mediaworker` process on Redis and
PostgreSQL; the hearing is pinned to the worker and real aiortc clients get media through it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import pytest

from media import testing
from tests.support.hearing_media import sources_of
from tests.support.media import wait_for
from tests.support.require import PROJECT_ROOT, need
from tests.support.scaleout import PG_URL, REDIS_URL, free_port, join_peer, reachable, wait_port


def _query(dsn: str, sql: str):
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def media_stack(tmp_path):
    need(reachable("127.0.0.1", 6379), "Redis is not running on 127.0.0.1:6379")
    need(reachable("127.0.0.1", 5432), "PostgreSQL is not running on 127.0.0.1:5432")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"tribunal_media_{uuid.uuid4().hex[:8]}"
    dsn = f"{PG_URL}/{name}"
    _query(f"{PG_URL}/postgres", f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "hearing_server.settings",
        "TRIBUNAL_DATA_DIR": str(tmp_path),
        "TRIBUNAL_MEDIA_HEARTBEAT": "1",
        "TRIBUNAL_SMS_BACKEND": "case_core.notifications.FileBackend",
        "TRIBUNAL_EMAIL_BACKEND": "case_core.notifications.FileBackend",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    py = sys.executable
    procs, logs = [], []
    try:
        subprocess.run(
            [py, "manage.py", "migrate", "-v0"], cwd=PROJECT_ROOT, env=env, check=True, timeout=300
        )
        seed = subprocess.run(
            [py, "-m", "tests.support.scaleout_seed", "m"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        data = json.loads(seed.stdout.strip().splitlines()[-1])
        port = free_port()
        daphne = os.path.join(os.path.dirname(py), "daphne")
        commands = {
            "mediaworker": [py, "manage.py", "mediaworker"],
            "daphne": [
                daphne,
                "-b",
                "127.0.0.1",
                "-p",
                str(port),
                "hearing_server.asgi:application",
            ],
        }
        for label, command in commands.items():
            out = open(tmp_path / f"{label}.log", "w")  # noqa: SIM115
            logs.append(out)
            procs.append(
                subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            )
        wait_port(port, procs[1])
        deadline = time.monotonic() + 30
        workers = []
        while time.monotonic() < deadline and not workers:
            assert procs[0].poll() is None, "the media worker exited"
            workers = _query(dsn, "SELECT channel FROM signaling_mediaworker WHERE NOT stopped")
            time.sleep(0.2)
        assert len(workers) == 1, "the media worker did not register"
        yield data, port, dsn, workers[0][0]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for out in logs:
            out.close()
        for log in tmp_path.glob("*.log"):
            print(log.name, log.read_text()[-4000:])
        _query(f"{PG_URL}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _offer(peer, media):
    client = testing.LoadClient(media, slots=2)
    ref = await peer.send("media.offer", sdp=await client.offer(), sources=sources_of(client))
    reply = await peer.expect(lambda f: f.get("ref") == ref, timeout=20)
    assert reply["type"] == "media.answer", reply
    await client.accept(reply["sdp"])
    return client


async def test_it_pins_a_hearing_to_a_media_worker_process_and_media_flows_through_it(
    media_stack,
    media,
):
    data, port, dsn, worker_channel = media_stack
    uid = data["users"]
    clerk = await join_peer(port, data, "clerk")
    chair = await join_peer(port, data, "chair")
    clients = []
    try:
        await clerk.ok("hearing.control", action="open")
        clients.append(await _offer(clerk, media))
        clients.append(await _offer(chair, media))
        pins = _query(
            dsn,
            f"SELECT media_worker FROM signaling_hearinglive WHERE hearing_id = {data['hearing']}",
        )
        assert pins == [(worker_channel,)]
        layout = await chair.expect(
            lambda f: (
                f["type"] == "media.layout"
                and {"mic", "camera"}
                <= {s["source"] for s in f["slots"] if s["participant_id"] == uid["clerk"]}
            ),
            timeout=15,
        )
        slots = {s["mid"] for s in layout["slots"] if s["participant_id"] == uid["clerk"]}
        chair_media = clients[1]
        assert await wait_for(
            lambda: sum(chair_media.counters[m].packets for m in slots) > 60, timeout=15
        )
        assert await wait_for(lambda: clients[0].received("audio") > 30, timeout=10)
    finally:
        for client in clients:
            await client.close()
        for peer in (clerk, chair):
            await peer.ws.close()
