"""WebSocket routes: one signaling endpoint per hearing (docs/protocol.md); any other path gets
`error not_found` and close 4404 instead of an exception in the server log."""

import json

from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import path, re_path
from django.utils.translation import gettext as _

from signaling.consumers import CLOSE, HearingConsumer
from signaling.frames import error_frame


class UnknownPathConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()
        message = str(_("There is no WebSocket endpoint at this address."))
        frame = error_frame("not_found", message)
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))
        await self.close(code=CLOSE["wrong_hearing"])

    async def receive(self, text_data=None, bytes_data=None):
        pass  # already closing


websocket_urlpatterns: list = [
    path("ws/hearings/<int:hearing_id>/", HearingConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
