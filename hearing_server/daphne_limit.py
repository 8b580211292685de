"""The body limits of hearing_server.body_limit, inside Daphne.

Daphne's HTTP request (Twisted) receives and spools the whole body before it calls the
application, so a limit applied by the application alone comes after a 10 GiB body has been
written to disk. `LimitedWebRequest` checks the limit as the body arrives: a declared
Content-Length over the limit is answered 413 at once, with no body read (and no
"100 Continue"); a chunked body is answered once the bytes received pass the limit. The rest of
the body is then discarded unread for a moment (so the client can read the answer) and the
connection closed; the application never sees the request.

`install()` makes Daphne build its requests from this class; hearing_server.asgi calls it, so
`tribunal serve` and `daphne hearing_server.asgi:application` both get the limits.
"""

from __future__ import annotations

from urllib.parse import unquote

from daphne import http_protocol

from hearing_server.body_limit import body_limit, too_large_response

# Seconds the rest of a refused body is read and dropped before the connection is closed.
LINGER_SECONDS = 2.0

REASON = b"Content Too Large"


class LimitedWebRequest(http_protocol.WebRequest):
    _limit: int | None = None
    _received = 0
    _refused = False

    def _path(self) -> str:
        raw = getattr(self.channel, "_path", b"") or b""
        return unquote(raw.split(b"?", 1)[0].decode("latin-1"))

    def gotLength(self, length):
        self._limit = body_limit(self._path())
        if length is not None and length > self._limit:
            self._refuse()
            length = 0  # nothing is spooled
        super().gotLength(length)

    def handleContentChunk(self, data):
        if self._refused:
            return
        self._received += len(data)
        if self._limit is not None and self._received > self._limit:
            self._refuse()
            return
        super().handleContentChunk(data)

    def process(self):
        if self._refused:
            return None
        return super().process()

    def _refuse(self) -> None:
        self._refused = True
        self.requestHeaders.removeHeader(b"Expect")  # no "100 Continue" after the answer
        headers = list(self.requestHeaders.getAllRawHeaders())
        flat = [(name.lower(), value) for name, values in headers for value in values]
        status, response_headers, body = too_large_response(self._path(), flat)
        head = b"HTTP/1.1 %d %s\r\n" % (status, REASON)
        head += b"".join(b"%s: %s\r\n" % (name, value) for name, value in response_headers)
        channel = self.channel
        channel.persistent = False
        channel.transport.write(head + b"\r\n" + body)
        from twisted.internet import reactor  # Daphne's (asyncio) reactor, installed by now

        reactor.callLater(LINGER_SECONDS, channel.transport.loseConnection)


def install() -> None:
    """Make Daphne's HTTP factory build LimitedWebRequest (it looks the class up per connection)."""
    http_protocol.WebRequest = LimitedWebRequest
