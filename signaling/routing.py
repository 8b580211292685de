"""WebSocket routes (the hearing signaling endpoint is added by the tribunal work)."""

websocket_urlpatterns: list = []
