"""/health and /ready (hearing_server/health.py), settings from secret files (env.py) and the
JSON log lines (hearing_server/logs.py)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest

from hearing_server.env import SettingsError, env_secret
from hearing_server.logs import JsonFormatter
from tests.support.require import PROJECT_ROOT

pytestmark = pytest.mark.django_db


def test_it_answers_health_for_any_host_without_touching_the_database(client, settings):
    settings.ALLOWED_HOSTS = ["tribunal.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    reply = client.get("/health", HTTP_HOST="10.0.0.5:8000")
    assert reply.status_code == 200 and reply.json() == {"status": "ok"}
    assert reply["Cache-Control"] == "no-store"


def test_it_is_ready_when_the_database_answers(client):
    reply = client.get("/ready")
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "ready" and body["checks"]["database"] == "ok"


def test_it_is_not_ready_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    reply = client.get("/ready")
    assert reply.status_code == 503
    assert reply.json()["status"] == "unavailable"
    assert "ConnectionError" in reply.json()["checks"]["redis"]


def test_it_leaves_other_methods_and_paths_to_the_site(client):
    assert client.post("/ready").status_code != 200
    assert client.get("/healthz").status_code == 404


def test_it_reads_a_secret_from_its_file(tmp_path, monkeypatch):
    path = tmp_path / "secret"
    path.write_text("from-a-file\n")
    monkeypatch.setenv("TRIBUNAL_X_FILE", str(path))
    monkeypatch.delenv("TRIBUNAL_X", raising=False)
    assert env_secret("TRIBUNAL_X") == "from-a-file"
    monkeypatch.setenv("TRIBUNAL_X", "inline")
    with pytest.raises(SettingsError, match="not both"):
        env_secret("TRIBUNAL_X")
    monkeypatch.delenv("TRIBUNAL_X")
    path.write_text("")
    with pytest.raises(SettingsError, match="empty"):
        env_secret("TRIBUNAL_X")
    monkeypatch.setenv("TRIBUNAL_X_FILE", str(tmp_path / "absent"))
    with pytest.raises(SettingsError, match="cannot read"):
        env_secret("TRIBUNAL_X")


def test_it_refuses_turn_urls_without_a_secret():
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNAL_TURN", "DATABASE_URL"))
    }
    env["TRIBUNAL_TURN_URLS"] = "turn:127.0.0.1:3478"
    done = subprocess.run(
        [sys.executable, "-c", "import hearing_server.settings"],
        env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode != 0 and "TRIBUNAL_TURN_SECRET" in done.stderr


def test_it_writes_one_json_object_a_log_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("tribunal.test").makeRecord(
            "tribunal.test", logging.ERROR, __file__, 1, "hearing %s failed", (7,),
            sys.exc_info(), extra={"hearing": 7, "odd": object()},
        )  # fmt: skip
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR" and entry["message"] == "hearing 7 failed"
    assert entry["hearing"] == 7 and entry["odd"].startswith("<object")
    assert "ValueError: boom" in entry["exception"] and entry["time"].endswith("+00:00")
