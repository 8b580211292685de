"""The SECRET_KEY: never a constant; generated once per data directory; kept on loopback."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings

from hearing_server.secret_key import is_published, listen_refusal, load_or_create
from tests.support.require import PROJECT_ROOT

# The key the embedded default used to fall back to (published in the project's history).
PUBLISHED_KEY = "embedded-insecure-key-change-me-for-any-deployment-0123456789abcdef"
UNSET = (
    "SECRET_KEY",
    "TRIBUNAL_DEPLOYMENT",
    "TRIBUNAL_EMBEDDED",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
)
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def tribunal(*args, data_dir, timeout=120, **env_extra):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update({"TRIBUNAL_DATA_DIR": str(data_dir), **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "hearing_server.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_runs_on_no_key_published_in_the_source():
    assert not is_published(settings.SECRET_KEY)
    assert is_published(PUBLISHED_KEY)
    source = (PROJECT_ROOT / "hearing_server" / "settings.py").read_text(encoding="utf-8")
    assert PUBLISHED_KEY not in source


def test_it_generates_a_private_key_once_and_keeps_it_across_restarts(tmp_path):
    first = tribunal("shell", "-v0", "-c", PRINT_KEY, data_dir=tmp_path)
    second = tribunal("shell", "-v0", "-c", PRINT_KEY, data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and second.stdout.strip() == key
    path = tmp_path / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key
    other = tribunal("shell", "-v0", "-c", PRINT_KEY, data_dir=tmp_path / "elsewhere")
    assert other.stdout.strip() != key  # generated, not a constant
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no leftovers


def test_it_keeps_one_key_when_processes_race_to_create_it(tmp_path):
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_or_create(tmp_path), range(16)))
    assert len(keys) == 1


def test_it_refuses_a_key_file_others_can_read(tmp_path):
    load_or_create(tmp_path)
    (tmp_path / "secret_key").chmod(0o644)
    out = tribunal("check", data_dir=tmp_path)
    assert out.returncode != 0 and "chmod 600" in out.stderr


def test_it_refuses_to_serve_beyond_loopback_with_the_generated_key(tmp_path):
    out = tribunal("serve", "--host", "0.0.0.0", "--port", str(free_port()), data_dir=tmp_path)
    assert out.returncode != 0
    assert "Refusing to listen on 0.0.0.0" in out.stderr and "TRIBUNAL_DEPLOYMENT" in out.stderr
    demo = tribunal("demo", "--host", "0.0.0.0", "--port", str(free_port()), data_dir=tmp_path)
    assert demo.returncode != 0 and "Refusing to listen" in demo.stderr
    assert "OpenTribunal is starting" not in demo.stdout  # refused before migrating or seeding
    args = ("serve", "--host", "0.0.0.0", "--port", str(free_port()), "--deployment")
    published = tribunal(*args, data_dir=tmp_path, SECRET_KEY=PUBLISHED_KEY)
    assert published.returncode != 0 and "published" in published.stderr


def test_it_lets_a_declared_deployment_or_loopback_listen():
    key = "k" * 60
    assert listen_refusal("0.0.0.0", key=key, generated=True, deployment=True) is None
    assert listen_refusal("0.0.0.0", key=key, generated=False, deployment=False) is None
    for host in ("127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"):
        assert listen_refusal(host, key=key, generated=True, deployment=False) is None, host
    for host in ("0.0.0.0", "::", "192.0.2.7", "tribunal.example.org"):
        assert listen_refusal(host, key=key, generated=True, deployment=False), host
        assert listen_refusal(host, key=PUBLISHED_KEY, generated=False, deployment=True), host


def test_it_fails_the_deploy_check_on_a_published_or_generated_key(tmp_path):
    production = {
        "TRIBUNAL_EMBEDDED": "0",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "tribunal.example.org",
    }
    out = tribunal("check", "--deploy", data_dir=tmp_path, SECRET_KEY=PUBLISHED_KEY, **production)
    assert out.returncode != 0 and "tribunal.E001" in out.stderr
    out = tribunal("check", "--deploy", data_dir=tmp_path)
    assert out.returncode != 0 and "tribunal.E002" in out.stderr
    out = tribunal("check", "--deploy", data_dir=tmp_path, TRIBUNAL_DEPLOYMENT="1")
    assert out.returncode == 0 and "tribunal.E" not in out.stdout + out.stderr
