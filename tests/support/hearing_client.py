"""A small hearing-protocol client over Channels' WebsocketCommunicator, for in-process tests.

Every `Client` that opens is remembered; the autouse fixture `_close_hearing_clients` closes the
ones a test left open, whether it passed or failed, so no consumer outlives its test's loop."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from signaling.services import credential_issue

ORIGIN = (b"origin", b"http://127.0.0.1")
TIMEOUT = 3


_refs = itertools.count(1)
_open_clients: list[Client] = []


class Client:
    """One participant's connection, speaking protocol v1."""

    def __init__(self, hearing_id: int, user=None, path: str | None = None):
        from hearing_server.asgi import application

        self.hearing_id = hearing_id
        self.user = user
        self.comm = WebsocketCommunicator(
            application, path or f"/ws/hearings/{hearing_id}/", headers=[ORIGIN]
        )
        self.inbox: list[dict] = []
        self.welcome: dict | None = None
        self.closed_code: int | None = None

    async def open(self):
        connected, _ = await self.comm.connect()
        assert connected
        _open_clients.append(self)
        return self

    async def join(self, credential: str | None = None, expect_welcome: bool = True):
        await self.open()
        if credential is None:
            credential = await issue(self.user, self.hearing_id)
        reply = await self.request("hello", credential=credential)
        if expect_welcome:
            assert reply["type"] == "welcome", reply
            self.welcome = reply
        return reply

    async def send_raw(self, text: str):
        await self.comm.send_to(text_data=text)

    async def send(self, type_: str, **fields) -> str:
        ref = fields.pop("ref", None) or f"r{next(_refs)}"
        frame = {"type": type_, "v": 1, "hearing": self.hearing_id, "ref": ref, **fields}
        await self.comm.send_to(text_data=json.dumps(frame))
        return ref

    async def recv(self, timeout: float = TIMEOUT) -> dict:
        if self.inbox:
            return self.inbox.pop(0)
        return await self._read(timeout)

    async def _read(self, timeout: float) -> dict:
        message = await self.comm.receive_output(timeout)
        if message["type"] == "websocket.close":
            self.closed_code = message.get("code")
            return {"type": "__closed__", "code": self.closed_code}
        return json.loads(message["text"])

    async def expect(self, predicate, timeout: float = TIMEOUT) -> dict:
        """The first frame (queued or new) matching `predicate`; others stay queued."""
        for i, frame in enumerate(self.inbox):
            if predicate(frame):
                return self.inbox.pop(i)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"no matching frame; queued: {self.inbox}")
            try:
                frame = await self._read(left)
            except TimeoutError:
                raise AssertionError(f"no matching frame; queued: {self.inbox}") from None
            if predicate(frame):
                return frame
            self.inbox.append(frame)
            if frame["type"] == "__closed__":
                raise AssertionError(f"closed while waiting; queued: {self.inbox}")

    async def request(self, type_: str, **fields) -> dict:
        """Send a frame and return its reply (ack, error, welcome, pong, roster) by ref."""
        ref = await self.send(type_, **fields)
        return await self.expect(lambda f: f.get("ref") == ref or f["type"] == "__closed__")

    async def ok(self, type_: str, **fields) -> dict:
        reply = await self.request(type_, **fields)
        assert reply["type"] == "ack", reply
        return reply["result"]

    async def refused(self, type_: str, code: str | None = None, **fields) -> dict:
        reply = await self.request(type_, **fields)
        assert reply["type"] == "error", reply
        if code:
            assert reply["code"] == code, reply
        return reply

    async def seat_of(self, user_id: int, **match) -> dict:
        frame = await self.expect(
            lambda f: (
                f["type"] == "seat"
                and f["seat"]["user"] == user_id
                and all(f["seat"].get(k) == v for k, v in match.items())
            )
        )
        return frame["seat"]

    async def closed(self, timeout: float = TIMEOUT) -> int:
        frame = await self.expect(lambda f: f["type"] == "__closed__", timeout)
        return frame["code"]

    async def close(self):
        if self in _open_clients:
            _open_clients.remove(self)
        await self.comm.disconnect()


async def issue(user, hearing_id: int) -> str:
    data = await database_sync_to_async(credential_issue)(actor=user, hearing_id=hearing_id)
    return data["credential"]


async def connect(hearing, user) -> Client:
    client = Client(hearing.pk, user)
    await client.join()
    return client


async def control(client: Client, action: str) -> dict:
    return await client.ok("hearing.control", action=action)


async def verified_and_admitted(clerk: Client, party: Client) -> None:
    uid = party.user.pk
    await clerk.ok("identity.verify", user=uid, method="id_document_on_camera")
    await clerk.ok("admit", user=uid)
    await party.seat_of(uid, admission="admitted")


@pytest.fixture(autouse=True)
def _no_grace_timers_left():
    """Cancel reconnect-grace timers still sleeping when a test ends (their loop closes)."""
    yield
    from signaling.consumers import _grace_tasks

    for task in list(_grace_tasks):
        try:
            task.cancel()
        except RuntimeError:  # its loop is already closed
            pass
    _grace_tasks.clear()


@pytest.fixture(autouse=True)
def _close_hearing_clients(request):
    """For async tests (the only ones that can open a client), close every hearing client the
    test opened and did not close, also when it failed. Sync tests (browser tests run their own
    event loop) are left alone."""
    if inspect.iscoroutinefunction(getattr(request.node, "obj", None)):
        request.getfixturevalue("_hearing_clients_closed")


@pytest.fixture
async def _hearing_clients_closed():
    yield
    while _open_clients:
        client = _open_clients.pop()
        try:
            await client.comm.disconnect()
        except Exception:  # noqa: BLE001 - its consumer may already have closed
            pass
