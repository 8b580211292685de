"""The presiding arbitrator as a plain WebSocket client of the hearing protocol (no media).

The end-to-end hearing keeps the browsers to the people whose media is under test (the parties)
and the clerk, whose controls are driven through the page; the chair's few commands (start the
hearing, open a private room, move people) go over the protocol exactly as docs/protocol.md
describes, which also keeps a 2-core machine from drowning in video decoders.
"""

from __future__ import annotations

import itertools
import json
import queue
import threading

from websockets.sync.client import connect

CREDENTIAL_JS = """
import json
from case_core.models import User
from signaling.services.credentials import credential_issue
user = User.objects.get(username={username!r})
print(json.dumps(credential_issue(actor=user, hearing_id={hearing})))
"""


class ProtocolClient:
    """One participant's WebSocket: send a command, wait for its ack; broadcasts are queued."""

    def __init__(self, server, username: str):
        self.hearing = server.hearing_id
        issued = server.query(CREDENTIAL_JS.format(username=username, hearing=self.hearing))
        url = f"ws://127.0.0.1:{server.port}{issued['ws_path']}"
        self.ws = connect(url, origin=server.url, open_timeout=30, max_size=2**20)
        self.refs = itertools.count(1)
        self.replies: dict[str, queue.Queue] = {}
        self.broadcasts: queue.Queue = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.welcome = self.command("hello", credential=issued["credential"])
        self.closed = threading.Event()
        self.heart = threading.Thread(target=self._heartbeat, daemon=True)
        self.heart.start()

    def _heartbeat(self) -> None:
        """Ping as the hearing page does, so the server does not close a silent connection."""
        while not self.closed.wait(5):
            try:
                self.ws.send(json.dumps({"type": "ping", "v": 1, "hearing": self.hearing}))
            except Exception:
                return

    def _read(self) -> None:
        try:
            for message in self.ws:
                frame = json.loads(message)
                box = self.replies.get(frame.get("ref") or "")
                (box or self.broadcasts).put(frame)
        except Exception:  # the connection closed; the test sees missing replies
            return

    def command(self, type_: str, timeout: float = 20, **fields) -> dict:
        ref = f"chair-{next(self.refs)}"
        box = self.replies[ref] = queue.Queue()
        self.ws.send(
            json.dumps({"type": type_, "v": 1, "hearing": self.hearing, "ref": ref, **fields})
        )
        reply = box.get(timeout=timeout)
        if reply["type"] == "error":
            raise AssertionError(f"{type_} refused: {reply}")
        return reply

    def close(self) -> None:
        self.closed.set()
        try:
            self.ws.close()
        except Exception:
            pass
