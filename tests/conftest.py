"""The whole suite's settings per test (media root, outbox, fast hashing, in-memory channel
layer) and the shared fixtures and helpers, which live in tests/support/ and are registered here.
"""

from __future__ import annotations

import pytest

from tests.support.require import PROJECT_ROOT, SHARED, SPEECH, chromium_path, need, speech_clip

pytest_plugins = [
    "tests.support.personas",
    "tests.support.asr_models",
    "tests.support.media",
    "tests.support.hearings",
    "tests.support.hearing_client",
    "tests.support.hearing_media",
    "tests.support.transcripts",
    "tests.support.paperwork",
    "tests.support.logs",
    "tests.support.record",
]
__all__ = ["PROJECT_ROOT", "SHARED", "SPEECH", "chromium_path", "need", "speech_clip"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end the test database's other sessions before pytest-django drops it.

    Threads that touched the database (Channels' sync_to_async executor, the embedded media
    worker, live servers) keep their connections open until their thread exits, which is after
    the session ends; PostgreSQL then refuses to drop the database ("being accessed by other
    users"). This runs after the last test and before the parent fixture's teardown."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TRIBUNAL_PKI_DIR = tmp_path / "pki"  # the committee CA and seal, made on first use
    settings.TRIBUNAL_CHECKPOINT_KEY = tmp_path / "record" / "checkpoint-ed25519.pem"
    settings.TRIBUNAL_CHECKPOINT_DIR = tmp_path / "record" / "checkpoints"
    settings.TRIBUNAL_NOTIFICATION_FILE = str(tmp_path / "outbox.log")
    settings.TRIBUNAL_SMS_BACKEND = "case_core.notifications.FileBackend"
    settings.TRIBUNAL_EMAIL_BACKEND = "case_core.notifications.FileBackend"
    # Personas are created in almost every test; the production hasher costs ~0.3 s each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _in_process_channel_layer(settings):
    """In-process tests (Channels' communicator) run on the in-memory layer and the embedded media
    worker, one fresh layer per test (each async test has its own event loop). Redis is exercised
    for real by the multi-process tests (tests/signaling/test_scaleout.py, test_media_scaleout.py),
    which start their own server processes with REDIS_URL."""
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    settings.TRIBUNAL_MEDIA_MODE = "embedded"
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
