"""Web page fixtures: a test client that speaks English (pages default to zh-hans)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def web(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def as_user(web):
    """`as_user(user)` signs `user` in on the English client and returns the client."""

    def sign_in(user):
        web.force_login(user)
        return web

    return sign_in
