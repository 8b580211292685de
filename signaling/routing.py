"""WebSocket routes: one signaling endpoint per hearing (docs/protocol.md)."""

from django.urls import path

from signaling.consumers import HearingConsumer

websocket_urlpatterns: list = [
    path("ws/hearings/<int:hearing_id>/", HearingConsumer.as_asgi()),
]
