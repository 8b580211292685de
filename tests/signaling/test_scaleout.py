"""Two server processes (daphne) sharing one hearing through Redis and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.support.require import PROJECT_ROOT, need
from tests.support.scaleout import (
    PG_URL,
    REDIS_URL,
    free_port,
    join_peer,
    reachable,
    wait_port,
)


@pytest.fixture
def shared_stack(tmp_path):
    """A fresh PostgreSQL database, migrated and seeded, and two daphne processes on Redis."""
    need(reachable("127.0.0.1", 6379), "Redis is not running on 127.0.0.1:6379")
    need(reachable("127.0.0.1", 5432), "PostgreSQL is not running on 127.0.0.1:5432")
    import psycopg
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    name = f"tribunal_scaleout_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG_URL}/{name}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "hearing_server.settings",
        "TRIBUNAL_DATA_DIR": str(tmp_path),
        "TRIBUNAL_SMS_BACKEND": "case_core.notifications.FileBackend",
        "TRIBUNAL_EMAIL_BACKEND": "case_core.notifications.FileBackend",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    py = sys.executable
    procs = []
    try:
        subprocess.run(
            [py, "manage.py", "migrate", "-v0"], cwd=PROJECT_ROOT, env=env, check=True, timeout=300
        )
        seed = subprocess.run(
            [py, "-m", "tests.support.scaleout_seed"],
            cwd=PROJECT_ROOT,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        data = json.loads(seed.stdout.strip().splitlines()[-1])
        ports = [free_port(), free_port()]
        daphne = os.path.join(os.path.dirname(py), "daphne")
        logs = [open(tmp_path / f"daphne-{port}.log", "w") for port in ports]  # noqa: SIM115
        for port, out in zip(ports, logs, strict=True):
            procs.append(
                subprocess.Popen(
                    [daphne, "-b", "127.0.0.1", "-p", str(port), "hearing_server.asgi:application"],
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        for port, proc in zip(ports, procs, strict=True):
            wait_port(port, proc)
        yield data, ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in tmp_path.glob("daphne-*.log"):  # shown by pytest when the test fails
            print(log.name, log.read_text()[-4000:])
        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_it_shares_a_hearing_between_two_server_processes(shared_stack):
    data, (port_a, port_b) = shared_stack
    uid = data["users"]
    clerk = await join_peer(port_a, data, "clerk")
    chair = await join_peer(port_b, data, "chair")
    await clerk.ok("hearing.control", action="open")
    await chair.expect(lambda f: f["type"] == "hearing" and f["hearing"]["status"] == "open")
    party = await join_peer(port_b, data, "applicant")
    assert party.welcome["you"]["room"] == "waiting"
    # admission crosses from A to B
    await clerk.expect(lambda f: f["type"] == "seat" and f["seat"]["user"] == uid["applicant"])
    await clerk.ok("identity.verify", user=uid["applicant"], method="in_person")
    await clerk.ok("admit", user=uid["applicant"])
    await party.expect(
        lambda f: (
            f["type"] == "seat"
            and f["seat"]["user"] == uid["applicant"]
            and f["seat"]["admission"] == "admitted"
        )
    )
    # a room move made on B is seen on A
    await chair.ok("room.open", label="Applicant", members=[uid["applicant"], uid["chair"]])
    seat = await clerk.expect(
        lambda f: (
            f["type"] == "seat"
            and f["seat"]["user"] == uid["applicant"]
            and f["seat"]["room"] == "caucus-1"
        )
    )
    assert seat["event"] == "room.moved"
    # chat in the caucus crosses nothing it should not: B -> B only, A (main room) does not get it
    await party.ok("chat.send", text="caucus only")
    got = await chair.expect(lambda f: f["type"] == "chat")
    assert got["text"] == "caucus only" and got["room"] == "caucus-1"
    await chair.ok("room.close", room="caucus-1")
    await party.expect(
        lambda f: (
            f["type"] == "seat"
            and f["seat"]["user"] == uid["applicant"]
            and f["seat"]["room"] == "main"
        )
    )
    # chat in the main room crosses from A to B
    await clerk.ok("chat.send", text="back in the main room")
    got = await party.expect(lambda f: f["type"] == "chat" and f["room"] == "main")
    assert got["text"] == "back in the main room" and got["from"]["user"] == uid["clerk"]
    assert not [f for f in clerk.inbox if f["type"] == "chat" and f["text"] == "caucus only"]
    for peer in (clerk, chair, party):
        await peer.ws.close()
