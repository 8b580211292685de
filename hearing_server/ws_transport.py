"""The WebSocket transport limit of `tribunal serve` (Daphne), docs/protocol.md sections 3 and 7.

Daphne refuses a WebSocket message over its maximum message size before the application sees it.
That cap sits well above the protocol's largest frame (TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES): every
frame up to it reaches the hearing consumer, which answers `frame_too_large` and keeps the
connection. A message over the cap is refused by the transport with a close frame 1009 (Message
Too Big), where autobahn's default (`failByDrop`) would drop the TCP connection (1006) and make
the client reconnect and send it again.
"""

from __future__ import annotations

import daphne.cli
import daphne.server
from django.conf import settings

MIN_TRANSPORT_MAX_BYTES = 1024 * 1024


def transport_max_bytes() -> int:
    """The largest WebSocket message the server reads: 1 MiB, or twice the protocol's largest
    frame if an operator raised that above 512 KiB."""
    largest = max(settings.TRIBUNAL_WS_MAX_FRAME_BYTES, settings.TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES)
    return max(MIN_TRANSPORT_MAX_BYTES, 2 * largest)


def daphne_limit_args() -> list[str]:
    cap = str(transport_max_bytes())
    return ["--websocket-max-message-size", cap, "--websocket-max-frame-size", cap]


class Server(daphne.server.Server):
    def run(self):
        from twisted.internet import reactor  # the asyncio reactor daphne.server installed

        reactor.callWhenRunning(self._close_cleanly)
        super().run()

    def _close_cleanly(self) -> None:
        # runs before the first connection is accepted: protocols copy the option when they start
        self.ws_factory.setProtocolOptions(failByDrop=False)


class CommandLineInterface(daphne.cli.CommandLineInterface):
    server_class = Server
