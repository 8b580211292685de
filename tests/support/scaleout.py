"""Running several server processes on PostgreSQL and Redis for the scale-out tests: ports,
the shared services, and a protocol peer over a real WebSocket."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time
from contextlib import closing

REDIS_URL = os.environ.get("TRIBUNAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
PG_URL = os.environ.get("TRIBUNAL_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432")


def reachable(host: str, port: int) -> bool:
    with closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited")
        if reachable("127.0.0.1", port):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


class Peer:
    def __init__(self, ws, hearing: int):
        self.ws, self.hearing, self.n, self.inbox = ws, hearing, 0, []

    async def send(self, type_, **fields):
        self.n += 1
        ref = f"r{self.n}"
        await self.ws.send(
            json.dumps({"type": type_, "v": 1, "hearing": self.hearing, "ref": ref, **fields})
        )
        return ref

    async def expect(self, pred, timeout=10):
        for i, f in enumerate(self.inbox):
            if pred(f):
                return self.inbox.pop(i)
        async with asyncio.timeout(timeout):
            while True:
                f = json.loads(await self.ws.recv())
                if pred(f):
                    return f
                self.inbox.append(f)

    async def ok(self, type_, **fields):
        ref = await self.send(type_, **fields)
        reply = await self.expect(lambda f: f.get("ref") == ref)
        assert reply["type"] == "ack", reply
        return reply.get("result")


async def join_peer(port, data, who) -> Peer:
    import websockets

    ws = await websockets.connect(
        f"ws://127.0.0.1:{port}/ws/hearings/{data['hearing']}/", origin="http://127.0.0.1"
    )
    peer = Peer(ws, data["hearing"])
    ref = await peer.send("hello", credential=data["credentials"][who])
    welcome = await peer.expect(lambda f: f.get("ref") == ref)
    assert welcome["type"] == "welcome", welcome
    peer.welcome = welcome
    return peer
