"""A recorded hearing through the production topology (`scripts/cluster`), in real Chromium
browsers over HTTPS, with ICE forced to relay through coturn (issue 16).

The cluster runs PostgreSQL, Redis, two ASGI servers behind nginx (TLS with a local CA), two
media workers, a task worker and coturn, all as processes. The worker (applicant) and the
employer (respondent) open the hearing page in two Chromium browsers through the proxy; every
RTCPeerConnection is forced to `iceTransportPolicy: "relay"`, so their media reaches the media
worker only through TURN, with the time-limited credentials the page was given. The presiding
arbitrator and the clerk are protocol clients (tests/support/chair.py) on one ASGI server.

Checked: each party receives the other's video and audio (the browsers' WebRTC statistics), the
selected candidate pair is a relayed one; the recording's per-speaker tracks are in the case file
with the recorded duration and their SHA-256, and the task worker makes the composite; then an
ASGI server is killed: the browsers on it reconnect through the proxy to the other server and
keep their seats (still admitted, media still flowing).
"""

from __future__ import annotations

import hashlib
import re
import time

import pytest

from tests.e2e.conftest import DEMO_PASSWORD
from tests.support.chair import ProtocolClient
from tests.support.cluster import FORCE_RELAY_JS, ICE_JS, start_cluster, stop_cluster
from tests.support.require import speech_clip

MEDIA_TIMEOUT = 45.0
RECORD_SECONDS = 12.0
LOW_VIDEO = "localStorage.setItem('tribunal.videoQuality', 'low');"
TIMINGS: dict[str, float] = {}

RECEIVED_JS = """async (other) => {
  const m = window.tribunalMedia;
  if (!m || !m.pc) return null;
  const sources = {};
  m.layout.forEach((s) => { if (s.mid && String(s.participant_id) === String(other)) sources[s.mid] = s.source; });
  const out = { camera: null, mic: null };
  (await m.inbound()).forEach((r) => {
    if (sources[r.mid] === "camera") out.camera = r.framesDecoded;
    if (sources[r.mid] === "mic") out.mic = r.packetsReceived;
  });
  return out;
}"""

TRACKS_PY = """
import json
from recording.models import RecordingFile
print(json.dumps([
    {"role": f.role, "kind": f.kind, "label": f.label, "speaker": f.speaker_id,
     "path": f.evidence.file.path, "sha256": f.evidence.sha256}
    for f in RecordingFile.objects.select_related("evidence")
]))
"""
SEATS_PY = """
import json
from signaling.models import Seat
print(json.dumps({{
    str(s.user_id): [s.admission, s.room.key if s.room else None, s.presence]
    for s in Seat.objects.select_related("room").filter(hearing_id={hearing})
}}))
"""


def _wait(predicate, timeout: float, what: str, gap: float = 0.5) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(gap)
    raise AssertionError(f"{what}: not within {timeout} s")


def _flowing(page, other: int, gap: float = 1.0) -> bool:
    before = page.evaluate(RECEIVED_JS, other)
    time.sleep(gap)
    after = page.evaluate(RECEIVED_JS, other)
    if not before or not after or None in (before["camera"], before["mic"], after["camera"]):
        return False
    return after["camera"] > before["camera"] and after["mic"] > before["mic"]


class ClusterHearing:
    def __init__(self, server, pages, ids, chair, clerk):
        self.server, self.pages, self.ids, self.chair, self.clerk = server, pages, ids, chair, clerk

    def both_flowing(self) -> bool:
        return _flowing(self.pages["worker"], self.ids["employer"]) and _flowing(
            self.pages["employer"], self.ids["worker"]
        )


def _open_hearing(page, server, username: str) -> None:
    path = f"/hearings/{server.hearing_id}/"
    page.goto(f"{server.url}/signin/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(server.url + path)
    page.get_by_role("button", name="Join the hearing").click()  # after the device check
    page.wait_for_function("document.getElementById('conn').textContent === 'Connected'")


@pytest.fixture(scope="module")
def cluster_server(tmp_path_factory):
    started = time.monotonic()
    server = start_cluster(tmp_path_factory.mktemp("cluster"), "tribunal_e2e_cluster")
    TIMINGS["cluster up (migrate, seed, 8 processes)"] = time.monotonic() - started
    try:
        yield server
    finally:
        stop_cluster(server)
        print("\nCluster e2e timings (s):", {k: round(v, 1) for k, v in TIMINGS.items()})


@pytest.fixture(scope="module")
def hearing(cluster_server, chromium):
    server = cluster_server
    chair = ProtocolClient(server, "arbitrator")
    clerk = ProtocolClient(server, "clerk")
    chair.command("hearing.control", action="open")
    chair.command("hearing.control", action="start")
    pages = {
        "worker": chromium(
            "cluster-worker",
            speech_clip("libri_1995-1837-0001.wav"),
            init_script=FORCE_RELAY_JS + LOW_VIDEO,
            args=server.chromium_args(),
        ),
        "employer": chromium(
            "cluster-employer",
            speech_clip("polar.wav"),
            init_script=FORCE_RELAY_JS + LOW_VIDEO,
            args=server.chromium_args(),
        ),
    }
    for name, page in pages.items():
        _open_hearing(page, server, name)
    ids = {
        name: page.evaluate(
            "JSON.parse(document.getElementById('hearing-config').textContent).userId"
        )
        for name, page in pages.items()
    }
    for name in ("worker", "employer"):
        clerk.command("identity.verify", user=ids[name], method="id_document_on_camera")
        clerk.command("admit", user=ids[name])
    yield ClusterHearing(server, pages, ids, chair, clerk)
    chair.close()
    clerk.close()


def test_it_relays_each_partys_media_through_turn_over_https(hearing):
    TIMINGS["first media both ways"] = _wait(
        hearing.both_flowing, MEDIA_TIMEOUT, "worker and employer receiving each other", gap=0
    )
    for name, page in hearing.pages.items():
        ice = page.evaluate(ICE_JS)
        assert ice["policy"] == "relay", ice
        assert ice["local"] == "relay", f"{name}'s media does not go through TURN: {ice}"
        assert ice["remoteAddress"] == "127.0.0.1", ice  # the media worker's advertised address
        assert page.evaluate("location.protocol") == "https:"
        # The page was given TURN with a credential made for this person, expiring in a day.
        config = page.evaluate("JSON.parse(document.getElementById('hearing-config').textContent)")
        turn = [s for s in config["iceServers"] if str(s["urls"]).find("turn:") >= 0]
        assert turn, config["iceServers"]
        expiry, user = turn[0]["username"].split(":")
        assert user == str(hearing.ids[name])
        assert 86000 < int(expiry) - time.time() <= 86400
    # coturn allocated a relay for each browser, authenticated by its time-limited credential.
    turn_log = hearing.server.cluster.log("turnserver", 500_000)
    for name in ("worker", "employer"):
        assert re.search(
            rf"user <\d+:{hearing.ids[name]}>: incoming packet ALLOCATE processed, success",
            turn_log,
        ), turn_log[-3000:]


def test_it_records_through_the_cluster_and_files_hashed_tracks_and_the_composite(hearing):
    from recording.probe import probe

    server, chair = hearing.server, hearing.chair
    chair.command("recording.start")
    started = time.monotonic()
    time.sleep(RECORD_SECONDS)
    chair.command("recording.stop")
    recorded = time.monotonic() - started

    rows: list[dict] = []

    def tracks_filed() -> bool:
        rows[:] = server.query(TRACKS_PY)
        return len([r for r in rows if r["role"] == "track"]) >= 4

    TIMINGS["tracks in the case file"] = _wait(tracks_filed, 40, "tracks in the case file")
    tracks = [r for r in rows if r["role"] == "track"]
    ids = hearing.ids
    speakers = {(r["speaker"], r["label"]) for r in tracks}
    for name in ("worker", "employer"):
        assert {(ids[name], "mic"), (ids[name], "camera")} <= speakers, speakers
    for track in tracks:
        with open(track["path"], "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == track["sha256"]
        if track["speaker"] in ids.values():
            duration = probe(track["path"])["duration"]
            assert abs(duration - recorded) < 2.5, f"{track}: {duration:.1f} s of {recorded:.1f}"

    # The cluster's task worker makes the composite by itself.
    def composite_filed() -> bool:
        rows[:] = server.query(TRACKS_PY)
        return any(r["role"] == "composite" for r in rows)

    TIMINGS["composite by the task worker"] = _wait(composite_filed, 90, "the composite", gap=2)
    composite = next(r for r in rows if r["role"] == "composite")
    info = probe(composite["path"])
    assert {s["kind"] for s in info["streams"]} == {"audio", "video"}
    assert abs(info["duration"] - recorded) < 3.0


PINNED_PY = """
import json
from signaling.models import HearingLive, MediaWorker
channel = HearingLive.objects.get(hearing_id={hearing}).media_worker
worker = MediaWorker.objects.filter(channel=channel).first()
print(json.dumps({{"channel": channel, "pid": worker.pid if worker else None}}))
"""


def test_it_moves_the_media_to_a_live_worker_when_its_worker_dies(hearing):
    server, cluster = hearing.server, hearing.server.cluster
    pinned = server.query(PINNED_PY.format(hearing=server.hearing_id))
    name = next(n for n, p in cluster.processes.items() if p.pid == pinned["pid"])
    assert name.startswith("media-"), (name, pinned)
    tracks_before = [r for r in server.query(TRACKS_PY) if r["role"] == "track"]
    hearing.chair.command("recording.start")
    time.sleep(3)
    cluster.kill(name)  # during a recorded hearing
    killed = time.monotonic()
    _wait(hearing.both_flowing, 90, "media between the parties after its worker died", gap=0)
    back = time.monotonic()
    TIMINGS["media back after its worker died"] = back - killed
    repinned = server.query(PINNED_PY.format(hearing=server.hearing_id))
    assert repinned["channel"] != pinned["channel"] and repinned["pid"] is not None
    for page in hearing.pages.values():
        assert page.evaluate(ICE_JS)["local"] == "relay"
    # The recording went on at the live worker: stopped there, it is filed with each party's
    # tracks from about when media came back.
    time.sleep(6)
    hearing.chair.command("recording.stop")
    after_back = time.monotonic() - back
    new_tracks: list[dict] = []

    def filed() -> bool:
        rows = [r for r in server.query(TRACKS_PY) if r["role"] == "track"]
        new_tracks[:] = [r for r in rows if r not in tracks_before]
        return len(new_tracks) >= 4

    _wait(filed, 40, "the recording of the live worker in the case file")
    from recording.probe import probe

    for name in ("worker", "employer"):
        mic = next(
            r for r in new_tracks if r["speaker"] == hearing.ids[name] and r["label"] == "mic"
        )
        duration = probe(mic["path"])["duration"]
        assert after_back - 1 < duration < after_back + (back - killed) + 2, (duration, after_back)


def test_it_keeps_the_seats_when_an_asgi_server_dies(hearing):
    server, cluster = hearing.server, hearing.server.cluster
    seats_before = server.query(SEATS_PY.format(hearing=server.hearing_id))
    # The protocol clients are on the last server; the browsers came through the proxy. Kill the
    # first server: every browser on it reconnects through the proxy to the other one.
    cluster.kill("web-1")
    killed = time.monotonic()
    for page in hearing.pages.values():
        page.wait_for_function(
            "document.getElementById('conn').textContent === 'Connected'", timeout=30_000
        )
    TIMINGS["pages connected after web-1 died"] = time.monotonic() - killed
    # Probe a page through the proxy: it answers with one server down.
    assert cluster.get(cluster.url + "/health")[0] == 200
    seats_after = server.query(SEATS_PY.format(hearing=server.hearing_id))
    for name in ("worker", "employer"):
        uid = str(hearing.ids[name])
        assert seats_before[uid][:2] == ["admitted", "main"], seats_before
        assert seats_after[uid][:2] == ["admitted", "main"], seats_after
    TIMINGS["media after web-1 died"] = _wait(
        hearing.both_flowing, 30, "media between the parties after the server died", gap=0
    )
