"""The media engine: WebRTC for hearings, forwarding encoded packets without re-encoding.

A library: it imports nothing of the project and not Django. Settings are passed in by the
composition root (hearing_server/mediaworker); refusals are `media.errors.MediaError`. Consumers
of a hearing's media (the recorder, the caption tap) are sinks attached with
`MediaEngine.attach` (media/sinks.py). Importing this package stays light (no aiortc).
"""
