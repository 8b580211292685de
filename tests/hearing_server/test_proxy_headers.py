"""The server believes X-Forwarded-For only when told a proxy sets it (per-address limits)."""

from __future__ import annotations

from hearing_server.management.commands.serve import daphne_args


def test_it_ignores_forwarded_addresses_unless_behind_a_proxy(settings):
    settings.TRIBUNAL_BEHIND_PROXY = False
    assert "--proxy-headers" not in daphne_args("127.0.0.1", 8000)
    settings.TRIBUNAL_BEHIND_PROXY = True
    args = daphne_args("0.0.0.0", 8443)
    assert "--proxy-headers" in args and args[-1] == "hearing_server.asgi:application"
