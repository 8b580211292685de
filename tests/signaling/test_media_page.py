"""The hearing page gives the browser media client its ICE servers and strings."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_gives_the_media_client_the_configured_ice_servers(client, hearing, clerk, settings):
    servers = [{"urls": "turn:turn.example:3478", "username": "u", "credential": "p"}]
    settings.TRIBUNAL_ICE_SERVERS = servers
    client.force_login(clerk)
    page = client.get(f"/hearings/{hearing.pk}/")
    config = page.context["config"]
    assert config["iceServers"] == servers
    assert config["strings"]["media"]["shareScreen"]
    body = page.content.decode()
    assert body.index("signaling/media.js") < body.index("signaling/hearing.js")


def test_it_uses_no_ice_server_by_default(client, hearing, clerk, settings):
    settings.TRIBUNAL_ICE_SERVERS = []
    client.force_login(clerk)
    assert client.get(f"/hearings/{hearing.pk}/").context["config"]["iceServers"] == []


def test_it_tells_the_media_client_whether_the_role_may_send(client, hearing, clerk, observer):
    """Observers only receive: their page has no media.publish, so media.js opens no devices."""
    client.force_login(clerk)
    assert "media.publish" in client.get(f"/hearings/{hearing.pk}/").context["config"]["may"]
    client.force_login(observer)
    config = client.get(f"/hearings/{hearing.pk}/").context["config"]
    assert config["role"] == "observer" and "media.publish" not in config["may"]
