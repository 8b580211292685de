"""Start, watch and stop the cluster's processes (the roles of roles.py) on one machine.

`Cluster(directory, ...).start()` finds or starts PostgreSQL and Redis, writes the local CA and
the configuration, runs migrate and collectstatic, then starts two `tribunal serve`, two
`tribunal mediaworker`, one `tribunal worker`, one `tribunal scheduler`, coturn and nginx, each logging to
`<directory>/logs/<name>.log`, and waits until each answers. `kill(name)` / `restart(name)` serve
the failure tests; `stop()` ends every process it started (and only those).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from hearing_server.cluster import conf, tls
from hearing_server.cluster.roles import CLUSTER_COUNTS

# Started as `<role>-<n>`, in this order.
PROCESS_ROLES = ("web", "media", "tasks", "scheduler", "turn", "proxy")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0


def _die_with_parent() -> None:
    """In the child: SIGTERM when the cluster's process dies, however it dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def reachable(host: str, port: int) -> bool:
    with closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Ports:
    https: int = 8443
    web: tuple[int, ...] = (8101, 8102)
    turn: int = 3478
    relay: tuple[int, int] = (49160, 49359)
    media: tuple[int, int] = (40000, 40199)

    @classmethod
    def free(cls) -> Ports:
        """Free ports for a test run beside other services (relay and media ranges fixed)."""
        return cls(https=free_port(), web=(free_port(), free_port()), turn=free_port())


@dataclass
class Cluster:
    directory: Path
    ports: Ports = field(default_factory=Ports)
    database: str = "tribunal_cluster"
    database_url: str | None = None  # default: the local PostgreSQL, started if absent
    redis_url: str | None = None  # default: the local Redis, started if absent
    redis_db: int = 3  # the local Redis's database (channel groups are named per hearing)
    fresh: bool = False  # drop the database first
    seed: bool = False  # load the demo data (before the processes start: no one else writes)
    demo: dict = field(default_factory=dict)  # what `tribunal seed --json` printed
    extra_env: dict = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    commands: dict[str, list[str]] = field(default_factory=dict)

    # ---- paths and environment -----------------------------------------------------------
    def __post_init__(self) -> None:
        self.directory = Path(self.directory).resolve()
        self.logs = self.directory / "logs"
        self.run_dir = self.directory / "run"
        self.data = self.directory / "data"
        self.tls_dir = self.directory / "tls"
        for path in (self.logs, self.run_dir, self.data, self.tls_dir):
            path.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"https://localhost:{self.ports.https}"

    def _secret(self, name: str) -> Path:
        path = self.directory / name
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNAL_", "DJANGO_"))}
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="hearing_server.settings",
            PYTHONUNBUFFERED="1",
            TRIBUNAL_EMBEDDED="0",
            SECRET_KEY_FILE=str(self._secret("secret_key")),
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            ALLOWED_HOSTS="localhost,127.0.0.1",
            CSRF_TRUSTED_ORIGINS=self.url,
            TRIBUNAL_PUBLIC_URL=self.url,
            TRIBUNAL_BEHIND_PROXY="1",
            TRIBUNAL_DATA_DIR=str(self.data),
            MEDIA_ROOT=str(self.data / "media"),
            STATIC_ROOT=str(self.data / "static"),
            TRIBUNAL_RECORDING_DIR=str(self.data / "recordings"),
            TRIBUNAL_MEDIA_MODE="workers",
            # Media on loopback: the workers bind and advertise 127.0.0.1 in one UDP range and
            # accept candidates there (coturn's relay addresses are on loopback too).
            TRIBUNAL_MEDIA_BIND_IP="127.0.0.1",
            TRIBUNAL_MEDIA_PORT_MIN=str(self.ports.media[0]),
            TRIBUNAL_MEDIA_PORT_MAX=str(self.ports.media[1]),
            TRIBUNAL_ICE_ALLOWED_NETWORKS="127.0.0.0/8",
            TRIBUNAL_TURN_URLS=f"turn:127.0.0.1:{self.ports.turn}?transport=udp",
            TRIBUNAL_TURN_SECRET_FILE=str(self._secret("turn_secret")),
            LOG_FORMAT="json",
        )
        env.update(self.extra_env)
        return env

    # ---- PostgreSQL and Redis ---------------------------------------------------------------
    def _postgres(self) -> None:
        if self.database_url:
            return
        port = 5432
        if not reachable("127.0.0.1", port):
            port = self._start_postgres()
        import psycopg

        admin = f"postgres://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, autocommit=True) as db:
            if self.fresh:
                db.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            exists = db.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.database]
            ).fetchone()
            if not exists:
                db.execute(f'CREATE DATABASE "{self.database}"')
        self.database_url = f"postgres://postgres@127.0.0.1:{port}/{self.database}"

    def _start_postgres(self) -> int:
        """A PostgreSQL of the cluster's own in <directory>/pg (run as `postgres` when root)."""
        bindir = Path(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
            or "/usr/lib/postgresql/15/bin"
        )
        pgdata, port = self.directory / "pg", free_port()
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(exist_ok=True)
            if as_user:
                shutil.chown(pgdata, "postgres")
            subprocess.run(
                [*as_user, str(bindir / "initdb"), "-D", str(pgdata), "-U", "postgres",
                 "--auth=trust"],
                check=True, capture_output=True,
            )  # fmt: skip
        self._spawn(
            "postgres",
            [*as_user, str(bindir / "postgres"), "-D", str(pgdata), "-p", str(port),
             "-k", str(pgdata), "-c", "listen_addresses=127.0.0.1"],
        )  # fmt: skip
        self._wait(lambda: reachable("127.0.0.1", port), "postgres")
        return port

    def _redis(self) -> None:
        if self.redis_url:
            return
        port = 6379
        if not reachable("127.0.0.1", port):
            port = free_port()
            self._spawn(
                "redis",
                ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                 "--appendonly", "no"],
            )  # fmt: skip
            self._wait(lambda: reachable("127.0.0.1", port), "redis")
        self.redis_url = f"redis://127.0.0.1:{port}/{self.redis_db}"

    # ---- processes ----------------------------------------------------------------------------
    def _spawn(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (the child holds it)
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal's Ctrl-C reaches the cluster, not each child
            preexec_fn=_die_with_parent,
        )
        log.close()
        self.processes[name] = process
        self.commands[name] = command
        return process

    def _tribunal(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "hearing_server.cli", *args]

    def cli(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            self._tribunal(*args),
            cwd=PROJECT_ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"tribunal {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _wait(self, ready, what: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            process = self.processes.get(what)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{what} exited:\n{self.log(what)}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not start in {timeout} s:\n{self.log(what)}")

    def log(self, name: str, size: int = 4000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.tls_dir / "ca.pem"))

    def get(self, url: str, *, timeout: float = 3) -> tuple[int, bytes]:
        context = self.ssl_context() if url.startswith("https:") else None
        try:
            with urllib.request.urlopen(url, timeout=timeout, context=context) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except OSError:
            return 0, b""

    def ready(self, port: int) -> dict | None:
        status, body = self.get(f"http://127.0.0.1:{port}/ready")
        return json.loads(body) if status == 200 else None

    def process_names(self) -> list[str]:
        """The long-running processes, `<role>-<n>`, in start order (roles.CLUSTER_COUNTS; db,
        redis and setup are started before them)."""
        counts = dict(CLUSTER_COUNTS, web=len(self.ports.web))
        return [f"{role}-{n + 1}" for role in PROCESS_ROLES for n in range(counts[role])]

    def start_role(self, name: str) -> None:
        """Start (or start again) one of the cluster's named processes."""
        env = self.env()
        role, _, index = name.partition("-")
        if role == "web":
            port = self.ports.web[int(index) - 1]
            self._spawn(name, self._tribunal("serve", "--port", str(port)), env)
            self._wait(lambda: self.ready(port) is not None, name)
        elif role == "media":
            self._spawn(name, self._tribunal("mediaworker"), env)
            self._wait(lambda: "ready" in self.log(name, 2000), name)
        elif role == "tasks":
            self._spawn(name, self._tribunal("worker"), env)
        elif role == "scheduler":
            self._spawn(name, self._tribunal("scheduler"), env)
        elif role == "turn":
            self._spawn(name, ["turnserver", "-c", str(self.directory / "turnserver.conf")])
            self._wait(lambda: reachable("127.0.0.1", self.ports.turn), name)
        elif role == "proxy":
            self._spawn(
                name,
                ["nginx", "-e", str(self.logs / "nginx-error.log"), "-c",
                 str(self.directory / "nginx.conf"), "-g", "daemon off;"],
            )  # fmt: skip
            self._wait(lambda: self.get(self.url + "/health")[0] == 200, name)
        else:
            raise ValueError(f"unknown process {name!r}")

    def start(self) -> Cluster:
        self._postgres()
        self._redis()
        certs = tls.ensure_certificates(self.tls_dir, ["localhost", "127.0.0.1"])
        env = self.env()
        (self.directory / "nginx.conf").write_text(
            conf.nginx_conf(
                run=self.run_dir,
                logs=self.logs,
                listen="127.0.0.1",
                https_port=self.ports.https,
                server_name="localhost",
                upstreams=[f"127.0.0.1:{port}" for port in self.ports.web],
                cert=certs["cert"],
                key=certs["key"],
                static_root=Path(env["STATIC_ROOT"]),
                max_body="22m",
            )
        )
        (self.directory / "turnserver.conf").write_text(
            conf.turn_conf(
                run=self.run_dir,
                logs=self.logs,
                listen="127.0.0.1",
                port=self.ports.turn,
                relay_ip="127.0.0.1",
                relay_range=self.ports.relay,
                secret=Path(env["TRIBUNAL_TURN_SECRET_FILE"]).read_text().strip(),
                realm="opentribunal.local",
                loopback_peers=True,
            )
        )
        # setup: the schema and the static files, before any server starts
        self.cli("migrate", "--no-input", "-v", "0")
        self.cli("collectstatic", "--no-input", "-v", "0")
        if self.seed:
            self.demo = json.loads(self.cli("seed", "--json"))
        for name in self.process_names():
            self.start_role(name)
        self._wait(lambda: (self.ready(self.ports.web[0]) or {}).get("checks", {}).get(
            "media_workers") == 2, "media workers registered")  # fmt: skip
        return self

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes[name]
        if process.poll() is None:
            os.kill(process.pid, sig)
            process.wait(timeout=15)

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            process = self.processes[name]
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self.processes.clear()

    def describe(self) -> str:
        return "\n".join(
            [
                f"OpenTribunal cluster in {self.directory}",
                f"  https:   {self.url}/  (CA: {self.tls_dir / 'ca.pem'})",
                f"  web:     {', '.join(f'127.0.0.1:{p}' for p in self.ports.web)}",
                f"  turn:    127.0.0.1:{self.ports.turn}/udp (relay {self.ports.relay[0]}-"
                f"{self.ports.relay[1]})",
                f"  media:   UDP {self.ports.media[0]}-{self.ports.media[1]} on 127.0.0.1",
                f"  db:      {self.database_url}",
                f"  redis:   {self.redis_url}",
                f"  logs:    {self.logs}",
                "  processes: " + ", ".join(f"{n} ({p.pid})" for n, p in self.processes.items()),
            ]
        )
