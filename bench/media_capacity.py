"""Media capacity benchmark: 4-party hearings driven by aiortc clients in separate processes.

Each hearing's four clients (one process per hearing) publish pre-encoded VP8 + Opus (no
encoding) and count what they receive without decoding. The server runs in its own process so
its CPU and RSS can be read from /proc. Engines compared in the same run:

* ``passthrough``: our MediaEngine (encoded forwarding), recording off and on;
* ``relay``: the plain aiortc baseline, MediaRelay with decode and re-encode per subscriber.

    .venv/bin/python bench/media_capacity.py --hearings 1,2,4 --seconds 15
    .venv/bin/python bench/media_capacity.py --hearings 1 --seconds 8 --engines passthrough

Prints, per engine/recording/number of hearings: server CPU (% of one core), delivered video fps
and audio packets/s per forwarded stream (min and mean), CPU per forwarded stream, RSS per
hearing, the load generator's CPU and the CPU used by other processes on the machine (a busy
machine starves the clients and lowers the delivered rates: read those columns first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PARTIES = ("arbitrator", "applicant", "respondent", "clerk")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# ---- the server process ---------------------------------------------------------------------
class PassthroughServer:
    def __init__(self, record_dir: str | None) -> None:
        from media.engine import MediaEngine

        self.engine = MediaEngine(ice_timeout=30)
        self.record_dir = record_dir

    async def join(self, hearing: str, participant: str, sdp: str) -> str:
        await self.engine.set_room(hearing, participant, "main")
        return await self.engine.offer(hearing, participant, sdp)

    def stats(self) -> dict:
        slots = [
            slot
            for h in self.engine.hearings.values()
            for seat in h.seats.values()
            for slot in seat.slots
        ]
        return {
            "forwarded": sum(s.forwarded for s in slots if s.kind == "video"),
            "dropped": sum(s.dropped for s in slots if s.kind == "video"),
        }

    async def ready(self, hearing: str) -> None:
        if self.record_dir:  # the recorder is a sink, attached as the media worker attaches it
            from recording.sink import RecordingSink

            sink = RecordingSink(Path(self.record_dir) / f"hearing-{hearing}", hearing_id=hearing)
            await sink.start()
            self.engine.attach(hearing, sink, rooms=("main",))


class RelayServer:
    """The baseline: every received track decoded, relayed, re-encoded for each subscriber."""

    def __init__(self, record_dir: str | None) -> None:
        from aiortc.contrib.media import MediaRelay

        self.relay = MediaRelay()
        self.hearings: dict[str, dict] = {}
        self.pcs = []

    async def join(self, hearing: str, participant: str, sdp: str) -> str:
        from aiortc import RTCPeerConnection, RTCSessionDescription

        from media.config import rtc_configuration

        room = self.hearings.setdefault(hearing, {})
        pc = RTCPeerConnection(rtc_configuration([]))
        self.pcs.append(pc)
        seat = {"pc": pc, "tracks": [], "slots": []}
        room[participant] = seat
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        from aiortc.sdp import SessionDescription

        directions = {m.rtp.muxId: m.direction for m in SessionDescription.parse(sdp).media}
        for t in pc.getTransceivers():
            if directions.get(t.mid) == "recvonly":
                t.direction = "sendonly"
                seat["slots"].append(t)
            else:
                seat["tracks"].append(t.receiver.track)
        for other_name, other in room.items():
            if other_name == participant:
                continue
            for track in other["tracks"]:
                self._fill(seat, track)
            for track in seat["tracks"]:
                self._fill(other, track)
        await pc.setLocalDescription(await pc.createAnswer())
        return pc.localDescription.sdp

    def _fill(self, seat: dict, track) -> None:
        for t in seat["slots"]:
            if t.kind == track.kind and t.sender.track is None:
                t.sender.replaceTrack(self.relay.subscribe(track))
                return

    def stats(self) -> dict:
        return {"forwarded": 0, "dropped": 0}

    async def ready(self, hearing: str) -> None:
        pass


async def serve(engine: str, port_file: str, record_dir: str | None) -> None:
    server = PassthroughServer(record_dir) if engine == "passthrough" else RelayServer(record_dir)

    async def handle(reader, writer):
        while line := await reader.readline():
            request = json.loads(line)
            if request["op"] == "join":
                answer = await server.join(
                    request["hearing"], request["participant"], request["sdp"]
                )
                reply = {"answer": answer}
            elif request["op"] == "stats":
                reply = server.stats()
            else:
                await server.ready(request["hearing"])
                reply = {"ok": True}
            writer.write((json.dumps(reply) + "\n").encode())
            await writer.drain()
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", 0)
    Path(port_file).write_text(str(listener.sockets[0].getsockname()[1]))
    async with listener:
        await listener.serve_forever()


# ---- a client process: one hearing of four ---------------------------------------------------
async def hearing_clients(port: int, hearing: str, media_file: str, seconds: float) -> None:
    from media import testing

    media = testing.load_media(media_file)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def call(request: dict) -> dict:
        writer.write((json.dumps(request) + "\n").encode())
        await writer.drain()
        return json.loads(await reader.readline())

    clients = []
    for name in PARTIES:
        client = testing.LoadClient(media, slots=len(PARTIES) - 1)
        reply = await call(
            {"op": "join", "hearing": hearing, "participant": name, "sdp": await client.offer()}
        )
        await client.accept(reply["answer"])
        clients.append(client)
    await call({"op": "ready", "hearing": hearing})
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # GO

    def snapshot():
        return [(c.kind, c.packets) for client in clients for c in client.counters.values()]

    def keyframe_requests():
        return sum(t.keyframe_requests for client in clients for t in client.tracks.values())

    before, requests = snapshot(), keyframe_requests()
    await asyncio.sleep(seconds)
    after = snapshot()
    streams = {"video": [], "audio": [], "keyframe_requests": keyframe_requests() - requests}
    for (kind, b), (_, a) in zip(before, after, strict=True):
        streams[kind].append((a - b) / seconds)
    print("RESULT " + json.dumps(streams), flush=True)
    for client in clients:
        await client.close()


# ---- the driver --------------------------------------------------------------------------------
def proc_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def host_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, to show contention by other processes."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def server_stats(port: int) -> dict:
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(b'{"op": "stats"}\n')
        return json.loads(conn.makefile().readline())


def proc_rss_mb(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE / 2**20


def ensure_media(path: Path, width: int, height: int) -> Path:
    if not path.exists():
        from media import testing

        print(f"encoding test media {width}x{height} once into {path} ...", file=sys.stderr)
        testing.make_test_media(path, seconds=4, width=width, height=height, bitrate=500_000)
    return path


def run_case(
    engine: str, record: bool, hearings: int, media: Path, seconds: float, warmup: float
) -> dict:
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        args = [python, __file__, "serve", "--engine", engine, "--port-file", str(port_file)]
        if record:
            args += ["--record-dir", str(Path(tmp) / "rec")]
        server = subprocess.Popen(args, cwd=ROOT)
        clients = []
        try:
            while not port_file.exists() or not port_file.read_text():
                time.sleep(0.05)
            port = int(port_file.read_text())
            rss_idle = proc_rss_mb(server.pid)
            for n in range(hearings):
                clients.append(
                    subprocess.Popen(
                        [
                            python,
                            __file__,
                            "clients",
                            "--port",
                            str(port),
                            "--hearing",
                            f"h{n}",
                            "--media",
                            str(media),
                            "--seconds",
                            str(seconds),
                        ],
                        cwd=ROOT,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        text=True,
                    )
                )
            for client in clients:
                line = client.stdout.readline()
                if not line.startswith("READY"):
                    raise RuntimeError(f"client failed: {line!r}")
            time.sleep(warmup)
            cpu0, t0 = proc_cpu_seconds(server.pid), time.monotonic()
            load0 = sum(proc_cpu_seconds(c.pid) for c in clients)
            stats0 = server_stats(port)
            host0 = host_busy()
            for client in clients:
                client.stdin.write("GO\n")
                client.stdin.flush()
            results = []
            for client in clients:
                line = client.stdout.readline()
                results.append(json.loads(line.split(" ", 1)[1]))
            cpu1, t1 = proc_cpu_seconds(server.pid), time.monotonic()
            load1 = sum(proc_cpu_seconds(c.pid) for c in clients)
            stats1 = server_stats(port)
            host1 = host_busy()
            rss = proc_rss_mb(server.pid)
        finally:
            for client in clients:
                client.wait(timeout=30) if client.poll() is None else None
            server.kill()
            server.wait()
    video = [v for r in results for v in r["video"]]
    audio = [a for r in results for a in r["audio"]]
    cpu = 100 * (cpu1 - cpu0) / (t1 - t0)
    streams = hearings * len(PARTIES) * (len(PARTIES) - 1)
    return {
        "engine": engine,
        "recording": record,
        "hearings": hearings,
        "server_cpu_pct": round(cpu, 1),
        "fps_min": round(min(video), 1),
        "fps_mean": round(sum(video) / len(video), 1),
        "audio_pps_min": round(min(audio), 1),
        "audio_pps_mean": round(sum(audio) / len(audio), 1),
        "cpu_pct_per_stream": round(cpu / streams, 2),
        "rss_mb_per_hearing": round((rss - rss_idle) / hearings, 1),
        "rss_mb": round(rss, 1),
        "server_video_drop_pct": round(
            100
            * (stats1["dropped"] - stats0["dropped"])
            / max(
                stats1["forwarded"] - stats0["forwarded"] + stats1["dropped"] - stats0["dropped"], 1
            ),
            1,
        ),
        "keyframe_requests_per_s": round(sum(r["keyframe_requests"] for r in results) / seconds, 2),
        "clients_cpu_pct": round(100 * (load1 - load0) / (t1 - t0), 1),
        "others_cpu_pct": round(
            100 * (os.cpu_count() or 1) * (host1[0] - host0[0]) / max(host1[1] - host0[1], 1)
            - cpu
            - 100 * (load1 - load0) / (t1 - t0),
            1,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    s = sub.add_parser("serve")
    s.add_argument("--engine", choices=("passthrough", "relay"), required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--record-dir")
    c = sub.add_parser("clients")
    c.add_argument("--port", type=int, required=True)
    c.add_argument("--hearing", required=True)
    c.add_argument("--media", required=True)
    c.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--hearings", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--engines", default="passthrough,relay")
    parser.add_argument("--size", default="640x480")
    parser.add_argument(
        "--media-cache", default=str(Path(tempfile.gettempdir()) / "opentribunal-bench")
    )
    args = parser.parse_args()
    if args.command == "serve":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")
        asyncio.run(serve(args.engine, args.port_file, args.record_dir))
        return
    if args.command == "clients":
        asyncio.run(hearing_clients(args.port, args.hearing, args.media, args.seconds))
        return
    width, height = (int(x) for x in args.size.split("x"))
    cache = Path(args.media_cache)
    cache.mkdir(parents=True, exist_ok=True)
    media = ensure_media(cache / f"media-{width}x{height}.webm", width, height)
    cases = []
    for engine in args.engines.split(","):
        for record in (False, True) if engine == "passthrough" else (False,):
            for hearings in (int(h) for h in args.hearings.split(",")):
                cases.append((engine, record, hearings))
    header = f"{'engine':<12}{'rec':<5}{'hear':>5}{'cpu%':>8}{'fps min/mean':>15}{'audio/s min/mean':>18}{'cpu%/stream':>13}{'MB/hearing':>12}{'clients%':>10}{'others%':>9}{'PLI/s':>7}{'srv drop%':>10}"
    print(
        f"# {os.cpu_count()} cores; {width}x{height} VP8 ~500 kbps + Opus; 4 parties/hearing, 12 forwarded streams each"
    )
    print(header)
    for engine, record, hearings in cases:
        r = run_case(engine, record, hearings, media, args.seconds, args.warmup)
        print(
            f"{r['engine']:<12}{'on' if r['recording'] else 'off':<5}{r['hearings']:>5}{r['server_cpu_pct']:>8}"
            f"{r['fps_min']:>8}/{r['fps_mean']:<6}{r['audio_pps_min']:>10}/{r['audio_pps_mean']:<7}"
            f"{r['cpu_pct_per_stream']:>13}{r['rss_mb_per_hearing']:>12}"
            f"{r['clients_cpu_pct']:>10}{r['others_cpu_pct']:>9}{r['keyframe_requests_per_s']:>7}{r['server_video_drop_pct']:>10}",
            flush=True,
        )


if __name__ == "__main__":
    main()
