"""Signaling load benchmark: N participants across M hearings over real WebSockets on loopback.

Starts its own server (daphne subprocess; with --redis two of them on the Redis channel layer and
PostgreSQL), seeds M mediation sessions (one mediator + parties each), then every participant
connects and sends `hello`, the mediator admits everyone (`admit.all`), and in each hearing one
admitted participant at a time sends chat at --chat-rate messages/s for --seconds. Every chat
carries its send time, so each receiver measures the broadcast latency.

    .venv/bin/python bench/signaling_load.py -n 200 -m 10 --seconds 10
    .venv/bin/python bench/signaling_load.py -n 1000 -m 10 --seconds 15
    .venv/bin/python bench/signaling_load.py -n 200 -m 10 --redis   # two processes on Redis

Prints connections held, frames/s, broadcast p50/p99 latency and server RSS per connection.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGE = os.sysconf("SC_PAGE_SIZE")
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")


# ---- seeding (runs in a subprocess against the server's database) ----------------------------
def seed(n: int, m: int) -> dict:
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from case_core.models import Hearing, HearingKind, Invitee, User
    from signaling.services import credential_issue
    from tests.personas import make_user, submit_online

    tag = uuid.uuid4().hex[:6]
    case = submit_online(make_user(f"b{tag}-filer"))
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"b{tag}-{i}", password=password, display_name=f"P{i}") for i in range(n)]
    )
    hearings = []
    for _ in range(m):
        hearing = Hearing.objects.create(
            case=case,
            kind=HearingKind.MEDIATION,
            status="open",
            scheduled_start=timezone.now() + timedelta(minutes=5),
        )
        hearings.append({"id": hearing.pk, "members": []})
    invitees = []
    for i, user in enumerate(users):
        h = hearings[i % m]
        role = "mediator" if not h["members"] else ("applicant" if i % 2 else "respondent")
        invitees.append(Invitee(hearing_id=h["id"], user=user, role=role))
        h["members"].append({"user": user.pk, "role": role})
    Invitee.objects.bulk_create(invitees)
    for h in hearings:
        for member in h["members"]:
            user = User(pk=member["user"], is_active=True)
            member["credential"] = credential_issue(actor=user, hearing_id=h["id"])["credential"]
    return {"hearings": hearings}


# ---- server processes ------------------------------------------------------------------------
def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, proc, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {proc.returncode}")
        with closing(socket.socket()) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not start")


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * PAGE


class Stack:
    def __init__(self, redis: bool, processes: int, tmp: str):
        self.redis, self.tmp, self.procs, self.ports = redis, tmp, [], []
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hearing_server.settings",
            "TRIBUNAL_DATA_DIR": tmp,
            "TRIBUNAL_JOIN_CREDENTIAL_TTL": "3600",
            "TRIBUNAL_SMS_BACKEND": "case_core.notifications.FileBackend",
            "TRIBUNAL_EMAIL_BACKEND": "case_core.notifications.FileBackend",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("REDIS_URL", None)
        self.env.pop("DATABASE_URL", None)
        self.db_name = None
        if redis:
            import psycopg
            import redis as redis_lib

            redis_lib.Redis.from_url(REDIS_URL).flushdb()
            self.db_name = f"tribunal_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.db_name}"')
            self.env["DATABASE_URL"] = f"{PG_URL}/{self.db_name}"
            self.env["REDIS_URL"] = REDIS_URL
        self.processes = processes

    def prepare(self, n: int, m: int) -> dict:
        py = sys.executable
        subprocess.run([py, "manage.py", "migrate", "-v0"], cwd=ROOT, env=self.env, check=True)
        out = subprocess.run(
            [py, __file__, "--seed", str(n), str(m)],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        daphne = str(Path(sys.executable).parent / "daphne")
        for _ in range(self.processes):
            port = free_port()
            log = open(Path(self.tmp) / f"daphne-{port}.log", "w")  # noqa: SIM115
            proc = subprocess.Popen(
                [daphne, "-b", "127.0.0.1", "-p", str(port), "hearing_server.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            self.procs.append(proc)
            self.ports.append(port)
        for port, proc in zip(self.ports, self.procs, strict=True):
            wait_port(port, proc)

    def rss(self) -> int:
        return sum(rss(p.pid) for p in self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.db_name:
            import psycopg

            with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


# ---- clients ---------------------------------------------------------------------------------
class Stats:
    def __init__(self):
        self.received = 0
        self.sent = 0
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.recording = False


class Participant:
    def __init__(self, hearing: int, member: dict, port: int, stats: Stats):
        self.hearing, self.member, self.port, self.stats = hearing, member, port, stats
        self.ws = None
        self.admitted = asyncio.Event()
        self.n = 0

    async def join(self, sem: asyncio.Semaphore) -> None:
        import websockets

        async with sem:
            self.ws = await websockets.connect(
                f"ws://127.0.0.1:{self.port}/ws/hearings/{self.hearing}/",
                origin="http://127.0.0.1",
                max_queue=None,
                ping_interval=None,
            )
            await self.send("hello", credential=self.member["credential"])
            welcome = json.loads(await self.ws.recv())
            if welcome["type"] != "welcome":
                raise RuntimeError(f"join refused: {welcome}")
            if welcome["you"]["admission"] == "admitted":
                self.admitted.set()
        self.reader = asyncio.ensure_future(self.read())

    async def send(self, type_: str, **fields) -> None:
        self.n += 1
        frame = {"type": type_, "v": 1, "hearing": self.hearing, "ref": f"r{self.n}", **fields}
        await self.ws.send(json.dumps(frame))
        self.stats.sent += 1

    async def read(self) -> None:
        uid = self.member["user"]
        try:
            async for text in self.ws:
                now = time.perf_counter()
                frame = json.loads(text)
                self.stats.received += 1
                kind = frame["type"]
                if kind == "chat" and self.stats.recording:
                    self.stats.latencies.append(now - float(frame["text"].split()[-1]))
                elif kind == "seat" and frame["seat"]["user"] == uid:
                    if frame["seat"]["admission"] == "admitted":
                        self.admitted.set()
                elif kind == "error":
                    self.stats.errors[frame["code"]] = self.stats.errors.get(frame["code"], 0) + 1
        except Exception:
            pass


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


async def run(args, data: dict, stack: Stack) -> dict:
    stats = Stats()
    clients: list[Participant] = []
    for i, h in enumerate(data["hearings"]):
        for j, member in enumerate(h["members"]):
            port = stack.ports[(i + j) % len(stack.ports)]
            clients.append(Participant(h["id"], member, port, stats))
    rss_before = stack.rss()
    sem = asyncio.Semaphore(args.concurrency)
    t0 = time.perf_counter()
    results = await asyncio.gather(*(c.join(sem) for c in clients), return_exceptions=True)
    failed = [r for r in results if isinstance(r, Exception)]
    join_s = time.perf_counter() - t0
    # admit everyone: the mediator (first member) of each hearing sends admit.all
    by_hearing: dict[int, list[Participant]] = {}
    for c in clients:
        if c.ws is not None:
            by_hearing.setdefault(c.hearing, []).append(c)
    t1 = time.perf_counter()
    for members in by_hearing.values():
        await members[0].send("admit.all")
    log(f"joined {len(clients) - len(failed)}/{len(clients)} in {join_s:.1f}s; admitting")
    try:
        await asyncio.wait_for(
            asyncio.gather(*(c.admitted.wait() for c in clients if c.ws is not None)),
            args.admit_timeout,
        )
    except TimeoutError:
        log(f"admission incomplete after {args.admit_timeout}s")
    admitted = sum(1 for c in clients if c.admitted.is_set())
    admit_s = time.perf_counter() - t1
    log(f"admitted {admitted} in {admit_s:.1f}s; chatting")
    await asyncio.sleep(1)
    rss_after = stack.rss()
    # chat
    stats.recording = True
    received_before, sent_before = stats.received, stats.sent
    t2 = time.perf_counter()

    async def talker(members: list[Participant]) -> None:
        members = [c for c in members if c.admitted.is_set()]
        if not members:
            return
        interval = 1.0 / args.chat_rate
        deadline = time.perf_counter() + args.seconds
        next_at = time.perf_counter() + random.random() * interval
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            speaker = random.choice(members)
            await speaker.send("chat.send", text=f"bench {time.perf_counter():.6f}")
            next_at += interval

    await asyncio.gather(*(talker(m) for m in by_hearing.values()))
    await asyncio.sleep(2)  # let the last broadcasts arrive
    elapsed = time.perf_counter() - t2
    frames = (stats.received - received_before) + (stats.sent - sent_before)
    held = sum(1 for c in clients if c.ws is not None and c.ws.state.name == "OPEN")
    for c in clients:
        if c.ws is not None:
            await c.ws.close()
    return {
        "participants": len(clients),
        "hearings": len(data["hearings"]),
        "server_processes": len(stack.procs),
        "channel_layer": "redis" if stack.redis else "in-memory",
        "database": "postgresql" if stack.redis else "sqlite",
        "join_failures": len(failed),
        "join_failure_kinds": sorted({f"{type(e).__name__}: {str(e)[:80]}" for e in failed})[:5],
        "connections_held": held,
        "admitted": admitted,
        "join_seconds": round(join_s, 2),
        "admit_seconds": round(admit_s, 2),
        "chat_messages": sum(1 for _ in range(0)) or None,
        "frames_per_second": round(frames / elapsed, 1),
        "broadcast_deliveries": len(stats.latencies),
        "broadcast_p50_ms": round(pct(stats.latencies, 50) * 1000, 2),
        "broadcast_p99_ms": round(pct(stats.latencies, 99) * 1000, 2),
        "broadcast_max_ms": round(max(stats.latencies, default=float("nan")) * 1000, 2),
        "server_rss_mb_before": round(rss_before / 2**20, 1),
        "server_rss_mb_after": round(rss_after / 2**20, 1),
        "server_kb_per_connection": round((rss_after - rss_before) / 1024 / max(held, 1), 1),
        "errors": stats.errors,
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--seed":
        print(json.dumps(seed(int(sys.argv[2]), int(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--participants", type=int, default=200)
    parser.add_argument("-m", "--hearings", type=int, default=10)
    parser.add_argument(
        "--redis",
        action="store_true",
        help="two server processes on Redis + PostgreSQL (default: one, embedded)",
    )
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=10.0, help="chat phase length")
    parser.add_argument(
        "--chat-rate", type=float, default=2.0, help="chat messages per second in each hearing"
    )
    parser.add_argument("--concurrency", type=int, default=50, help="joins in flight at once")
    parser.add_argument("--admit-timeout", type=float, default=120.0)
    parser.add_argument("--keep-logs", action="store_true", help="print the servers' log tails")
    args = parser.parse_args()
    if args.participants < 2 * args.hearings:
        parser.error("need at least two participants per hearing")
    processes = args.processes or (2 if args.redis else 1)
    with tempfile.TemporaryDirectory(prefix="signaling-bench-") as tmp:
        os.environ["BENCH_TMP"] = tmp
        stack = Stack(args.redis, processes, tmp)
        try:
            data = stack.prepare(args.participants, args.hearings)
            stack.start()
            result = asyncio.run(run(args, data, stack))
        finally:
            stack.stop()
            if args.keep_logs:
                for log in Path(tmp).glob("daphne-*.log"):
                    sys.stderr.write(f"--- {log.name}\n{log.read_text()[-3000:]}\n")
    result["chat_rate_per_hearing"] = args.chat_rate
    result["chat_seconds"] = args.seconds
    result.pop("chat_messages")
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key.ljust(width)}  {value}")


if __name__ == "__main__":
    main()
