"""Per-speaker recording: one WebM per speaker track, hashed, crash-safe; and the composite."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from recording.composite import make_composite
from recording.hashing import sha256_file, verify
from recording.probe import probe
from tests.support.media import Recording, join

H = "hearing-3"
ROOT = Path(__file__).resolve().parents[2]


def test_it_keeps_files_playable_when_the_process_is_killed_mid_hearing(media_dir, tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.crash_recorder",
            str(media_dir / "test-media.webm"),
            str(tmp_path / "rec"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("RECORDING "), line
        directory = Path(line.split(" ", 1)[1].strip())
        time.sleep(4.0)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    files = sorted(directory.glob("*.webm"))
    assert [f.name for f in files] == [
        "applicant-camera.webm",
        "applicant-mic.webm",
        "arbitrator-camera.webm",
        "arbitrator-mic.webm",
    ]
    for path in files:
        info = probe(path)
        assert info["duration"] > 1.5 and info["end"] > 2.5, (
            path.name,
            info,
        )  # 4 s recorded; the last cluster (~1 s) may be lost
        assert len(sha256_file(path)[0]) == 64
    import av

    with av.open(str(directory / "arbitrator-camera.webm")) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames > 50
    events = [json.loads(line) for line in (directory / "events.jsonl").read_text().splitlines()]
    assert events[0]["type"] == "recording_started"
    assert {e["key"] for e in events if e["type"] == "track_started"} == {f.stem for f in files}


async def test_it_records_each_speaker_separately_with_hashes_and_events(engine, media, tmp_path):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    listener = await join(engine, media, H, "clerk", video=False, slots=2)
    try:
        await asyncio.sleep(0.5)
        recording = Recording(engine, H, tmp_path / "rec")
        directory = await recording.start()
        await asyncio.sleep(2.0)
        await engine.set_room(H, "applicant", "caucus")  # not recorded while away
        await asyncio.sleep(1.0)
        await engine.set_room(H, "applicant", "main")
        await asyncio.sleep(1.0)
        files = await recording.stop()
    finally:
        for client in (chair, party, listener):
            await client.close()
    tracks = {f.path.name: f for f in files if f.kind != "events"}
    assert set(tracks) == {
        "arbitrator-mic.webm",
        "arbitrator-camera.webm",
        "applicant-mic.webm",
        "applicant-camera.webm",
        "clerk-mic.webm",
    }
    for name, recorded in tracks.items():
        assert verify(recorded.path, recorded.sha256)
        info = probe(recorded.path)
        assert info["streams"][0]["codec"] == ("vp8" if "camera" in name else "opus")
        assert 3.0 < info["end"] < 5.0, (name, info)
    # the caucus second is a gap in the applicant's track, not in the arbitrator's
    assert tracks["applicant-mic.webm"].packets < tracks["arbitrator-mic.webm"].packets - 30
    events = [json.loads(line) for line in (directory / "events.jsonl").read_text().splitlines()]
    assert [e["room"] for e in events if e["type"] == "room"] == ["caucus", "main"]
    manifest = json.loads((directory / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} == set(tracks) | {"events.jsonl"}


async def test_it_makes_a_grid_composite_with_mixed_audio_and_reports_progress(
    engine, media, tmp_path
):
    chair = await join(engine, media, H, "arbitrator", slots=2)
    party = await join(engine, media, H, "applicant", slots=2)
    clerk = await join(engine, media, H, "clerk", video=False, slots=2)
    try:
        await asyncio.sleep(0.5)
        recording = Recording(engine, H, tmp_path / "rec")
        await recording.start()
        await asyncio.sleep(3.0)
        files = await recording.stop()
    finally:
        for client in (chair, party, clerk):
            await client.close()
    progress = []
    output = await asyncio.to_thread(
        make_composite,
        [f.path for f in files if f.kind != "events"],
        tmp_path / "composite.mp4",
        progress=lambda fraction, info: progress.append(fraction),
        width=640,
    )
    info = probe(output)
    kinds = {s["kind"]: s for s in info["streams"]}
    assert kinds["video"]["codec"] == "h264" and kinds["video"]["width"] == 640
    assert kinds["audio"]["codec"] == "aac"
    assert 2.5 < info["duration"] < 4.0
    assert progress[-1] == 1.0 and progress == sorted(progress)
