"""A recorded video hearing in real Chromium browsers against the real server (issue 4).

The presiding arbitrator (a protocol client, tests/e2e/chair.py) opens and starts the demo
hearing; the clerk (audio only), the worker (applicant) and the employer (respondent) open it in
three Chromium browsers; the parties land in the waiting room; the clerk verifies their identities
and admits them through the page's buttons, and later starts and stops the recording there. Each browser's fake camera sends a test pattern and its
fake microphone a speech clip. The tests then read the browsers' own WebRTC statistics
(window.tribunalMedia, signaling/static/signaling/media.js) and the case file.

The tests share one hearing (module-scoped: the browsers cost ~20 s to set up) and run in file
order; each leaves the rooms as it found them. The parties' cameras run at the low-bandwidth
setting (320x180, 15 fps) so that three browsers, the server and the recorder fit on 2 cores.
"""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, artifacts_dir
from tests.support.chair import ProtocolClient
from tests.support.require import speech_clip

MEDIA_TIMEOUT = 40.0  # first media after admission: getUserMedia, ICE, DTLS, a keyframe
ROOM_MOVE_TIMEOUT = 6.0  # "within a few seconds" of a room move, both ways
RECORD_SECONDS = 19.0  # the LibriSpeech clip (8.7 s, looped) is heard whole at least once
TIMINGS: dict[str, float] = {}

# What `other` sends this page, by the page's own getStats(): decoded camera frames, received
# microphone packets and played-out samples (0 unless the <audio> element plays).
RECEIVED_JS = """async (other) => {
  const m = window.tribunalMedia;
  if (!m || !m.pc) return null;
  const sources = {};
  m.layout.forEach((s) => { if (s.mid && String(s.participant_id) === String(other)) sources[s.mid] = s.source; });
  const out = { camera: null, mic: null, samples: null, slots: Object.keys(sources).length };
  (await m.inbound()).forEach((r) => {
    if (sources[r.mid] === "camera") out.camera = r.framesDecoded;
    if (sources[r.mid] === "mic") { out.mic = r.packetsReceived; out.samples = r.totalSamplesReceived; }
  });
  return out;
}"""


def _user_id(page) -> int:
    return page.evaluate("JSON.parse(document.getElementById('hearing-config').textContent).userId")


def _open_hearing(page, server, username: str) -> None:
    path = f"/hearings/{server.hearing_id}/"
    page.goto(f"{server.url}/signin/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(server.url + path)
    page.get_by_role("button", name="Join the hearing").click()  # after the device check
    page.wait_for_function("document.getElementById('conn').textContent === 'Connected'")


def _person(page, name: str):
    return page.locator("#rooms .person", has_text=name)


def _verify(page, name: str, method: str = "Identity document shown on camera") -> None:
    """The clerk's identity check, through the page's dialog."""
    _person(page, name).get_by_role("button", name="Verify identity").click()
    dialog = page.locator("#verify-dialog")
    dialog.get_by_label(method).check()
    dialog.get_by_role("button", name="Record the check").click()


def _more(page) -> None:
    """Open the call's "More" panel (captions, recording, the chair's controls)."""
    if page.locator("#more-panel").is_hidden():
        page.locator("#bar-more").click()


def _sample(page, other: int) -> dict | None:
    return page.evaluate(RECEIVED_JS, other)


def _increased(before: dict | None, after: dict | None) -> bool:
    """Camera frames and microphone packets both went up between two samples."""
    if not before or not after or None in (before["camera"], before["mic"], after["camera"]):
        return False
    return after["camera"] > before["camera"] and after["mic"] > before["mic"]


def _still(before: dict | None, after: dict | None) -> bool:
    """Nothing arrives: no slot in the layout, or counters standing still."""
    if not before or not after or before["slots"] == 0 or after["slots"] == 0:
        return True
    grew = (after["camera"] or 0) > (before["camera"] or 0) or (after["mic"] or 0) > (
        before["mic"] or 0
    )
    return not grew


def _flowing(page, other: int, gap: float = 1.5) -> bool:
    before = _sample(page, other)
    time.sleep(gap)
    return _increased(before, _sample(page, other))


def _stopped(page, other: int, gap: float = 1.5) -> bool:
    before = _sample(page, other)
    time.sleep(gap)
    return _still(before, _sample(page, other))


def _wait(predicate, timeout: float, what: str) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
    raise AssertionError(f"{what}: not within {timeout} s")


class Hearing:
    def __init__(self, server, pages: dict, ids: dict, chair: ProtocolClient):
        self.server, self.pages, self.ids, self.chair = server, pages, ids, chair

    def __getattr__(self, name):
        if name in self.pages:
            return self.pages[name]
        raise AttributeError(name)

    def both_ways(self, check, timeout: float, what: str, gap: float = 1.0) -> float:
        """Seconds until `check(before, after)` holds for worker<-employer and employer<-worker,
        sampled `gap` s apart on both pages at once; the time counts to the first sample."""
        pairs = ((self.worker, self.ids["employer"]), (self.employer, self.ids["worker"]))
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            taken = time.monotonic()
            before = [_sample(page, other) for page, other in pairs]
            time.sleep(gap)
            after = [_sample(page, other) for page, other in pairs]
            if all(check(b, a) for b, a in zip(before, after, strict=True)):
                return taken - start
        raise AssertionError(f"{what}: not within {timeout} s")


LOW_VIDEO = "localStorage.setItem('tribunal.videoQuality', 'low')"


@pytest.fixture(scope="module")
def hearing(tribunal_server, chromium):
    started = time.monotonic()
    server = tribunal_server
    # An English hearing: the parties' microphones play English speech.
    server.query(
        "from case_core.models import Hearing; "
        f"Hearing.objects.filter(pk={server.hearing_id}).update(language='en'); print(1)"
    )
    chair = ProtocolClient(server, "arbitrator")
    chair.command("hearing.control", action="open")
    chair.command("hearing.control", action="start")
    pages = {
        # The clerk takes part with audio only (the low-bandwidth choice, kept in localStorage).
        "clerk": chromium(
            "clerk",
            speech_clip("glorious.wav"),
            init_script="localStorage.setItem('tribunal.audioOnly', '1')",
        ),
        "worker": chromium(
            "worker", speech_clip("libri_1995-1837-0001.wav"), init_script=LOW_VIDEO
        ),
        "employer": chromium("employer", speech_clip("polar.wav"), init_script=LOW_VIDEO),
    }
    _open_hearing(pages["clerk"], server, "clerk")
    pages["clerk"].wait_for_function(
        "document.getElementById('status').textContent === 'In session'"
    )
    for party in ("worker", "employer"):
        _open_hearing(pages[party], server, party)
        pages[party].locator("#waiting-panel").wait_for(state="visible")
    ids = {name: _user_id(page) for name, page in pages.items()}
    clerk = pages["clerk"]
    for name in ("Zhang San", "HR (respondent)"):
        _verify(clerk, name)
        _person(clerk, name).get_by_text("verified", exact=True).wait_for()
        _person(clerk, name).get_by_role("button", name="Admit").click()
    admitted = time.monotonic()
    for party in ("worker", "employer"):
        pages[party].locator("#waiting-panel").wait_for(state="hidden")
        pages[party].locator("#media-panel").wait_for(state="visible")
    TIMINGS["setup (3 browsers, sign-in, admission)"] = admitted - started
    yield Hearing(server, pages, ids, chair)
    chair.close()
    print("\nE2E timings (s):", {k: round(v, 1) for k, v in TIMINGS.items()})


def test_it_delivers_each_partys_video_and_audio_to_the_other(hearing):
    TIMINGS["first media both ways"] = hearing.both_ways(
        _increased, MEDIA_TIMEOUT, "worker and employer receiving each other"
    )
    # The audio is played out (autoplay), not only received.
    sample = _sample(hearing.worker, hearing.ids["employer"])
    assert sample["samples"] > 0
    # A tile per person with name and role; the clerk sees the parties too.
    employer_tile = hearing.worker.locator(f".tile[data-participant='{hearing.ids['employer']}']")
    assert "Respondent" in employer_tile.inner_text()
    assert _flowing(hearing.clerk, hearing.ids["worker"])
    # The clerk chose audio only: their microphone arrives, and no camera of theirs.
    clerk = _sample(hearing.employer, hearing.ids["clerk"])
    assert clerk["mic"] and clerk["camera"] is None


def test_it_lays_out_video_tiles_for_pc_and_phone(hearing, tmp_path):
    shots = artifacts_dir(tmp_path)
    clerk, worker = hearing.clerk, hearing.worker
    clerk.wait_for_function("document.querySelectorAll('#media-grid .tile video').length >= 2")
    clerk.screenshot(path=str(shots / "hearing-pc-1280x800.png"))
    worker.set_viewport_size({"width": 390, "height": 844})
    try:
        worker.wait_for_timeout(500)
        worker.screenshot(path=str(shots / "hearing-phone-390x844.png"), full_page=True)
        width = worker.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the phone layout scrolls sideways"
        grid = worker.locator("#media-grid").bounding_box()
        assert grid["width"] > 300 and grid["height"] > 844 / 2, "the call fills a phone"
    finally:
        worker.set_viewport_size({"width": 1280, "height": 800})
    grid = clerk.locator("#media-grid").bounding_box()
    people = clerk.locator("#side").bounding_box()
    assert grid["x"] + grid["width"] <= people["x"], "video left of the people panel on a PC"


def test_it_stops_media_between_people_in_separate_rooms_and_restores_it(hearing):
    chair, worker_id = hearing.chair, hearing.ids["worker"]
    room = chair.command("room.open", label="Applicant side", members=[worker_id])["result"]
    hearing.clerk.locator("#rooms h3", has_text="Applicant side").wait_for()
    TIMINGS["caucus: media stopped"] = hearing.both_ways(
        _still, ROOM_MOVE_TIMEOUT, "media between worker (caucus) and employer (main) stopping"
    )
    assert _stopped(hearing.worker, hearing.ids["employer"], gap=2.0)
    chair.command("room.move", user=worker_id, room="main")
    TIMINGS["back in main: media restored"] = hearing.both_ways(
        _increased, ROOM_MOVE_TIMEOUT, "media between worker and employer restored"
    )
    chair.command("room.close", room=room["key"])


CAPTION_NAMES = ("Zhang San", "HR (respondent)", "Li Na")


def test_it_shows_live_captions_naming_each_speaker(hearing):
    clerk = hearing.clerk
    _more(clerk)
    clerk.get_by_role("button", name="Turn captions on").click()
    started = time.monotonic()
    clerk.wait_for_function(
        "[...document.querySelectorAll('#captions p.caption')].some(p => p.textContent.length > 20)",
        timeout=90_000,
    )
    TIMINGS["first caption on the page"] = time.monotonic() - started
    lines = clerk.locator("#captions p.caption").all_inner_texts()
    assert any(name in line for line in lines for name in CAPTION_NAMES), lines
    assert all(_words(line) for line in lines), lines
    clerk.get_by_role("button", name="Turn captions off").click()
    clerk.get_by_role("button", name="Turn captions on").wait_for()


TRACKS_JS = """
import json
from recording.models import RecordingFile
rows = [
    {"role": f.role, "kind": f.kind, "label": f.label, "speaker": f.speaker_id,
     "path": f.evidence.file.path, "sha256": f.evidence.sha256, "evidence_kind": f.evidence.kind}
    for f in RecordingFile.objects.select_related("evidence")
]
print(json.dumps(rows))
"""


def _recording_files(server) -> list[dict]:
    return server.query(TRACKS_JS)


def test_it_records_one_track_per_speaker_and_makes_the_composite(hearing):
    from recording.probe import probe

    clerk, server = hearing.clerk, hearing.server
    _more(clerk)
    clerk.get_by_role("button", name="Start recording").click()
    clerk.locator("#recording").wait_for(state="visible")
    started = time.monotonic()
    for party in ("worker", "employer"):
        hearing.pages[party].locator("#recording").wait_for(state="visible")
    time.sleep(RECORD_SECONDS)
    clerk.get_by_role("button", name="Stop recording").click()
    clerk.locator("#recording").wait_for(state="hidden")
    recorded = time.monotonic() - started
    TIMINGS["recorded"] = recorded

    tracks: list[dict] = []

    def tracks_attached() -> bool:
        tracks[:] = [f for f in _recording_files(server) if f["role"] == "track"]
        return len(tracks) >= 5

    TIMINGS["tracks in the case file"] = _wait(tracks_attached, 30, "tracks in the case file")
    by_speaker: dict[tuple, dict] = {}
    for track in tracks:
        assert track["evidence_kind"] == "recording"
        key = (track["speaker"], track["label"])
        assert key not in by_speaker, f"two tracks for {key}"
        by_speaker[key] = probe(track["path"])
    ids = hearing.ids
    mics = {(ids[name], "mic") for name in ids}
    cameras = {(ids[name], "camera") for name in ("worker", "employer")}
    assert mics <= set(by_speaker), f"missing microphone tracks: {mics - set(by_speaker)}"
    for key in sorted(set(by_speaker) & (mics | cameras)):
        duration = by_speaker[key]["duration"]
        assert abs(duration - recorded) < 2.5, f"{key}: {duration:.1f} s of {recorded:.1f} s"

    worker_started = time.monotonic()
    server.cli("worker", "--batch")
    TIMINGS["composite job"] = time.monotonic() - worker_started
    composites = [f for f in _recording_files(server) if f["role"] == "composite"]
    assert len(composites) == 1
    composite = probe(composites[0]["path"])
    assert {s["kind"] for s in composite["streams"]} == {"audio", "video"}
    assert abs(composite["duration"] - recorded) < 3.0
    assert cameras <= set(by_speaker), f"missing camera tracks: {cameras - set(by_speaker)}"


LIBRI_REFERENCE = (
    "it was the first great sorrow of his life it was not so much the loss of the cotton itself "
    "but the fantasy the hopes the dreams built around it"
)
TRANSCRIPT_JS = """
import json
from transcription.models import Transcript
t = Transcript.objects.filter(hearing_id={hearing}).order_by("-id").first()
print(json.dumps(None if t is None else {{
    "id": t.pk, "status": t.status,
    "segments": [{{"id": s.pk, "speaker": s.speaker_id, "text": s.text, "start": s.start}}
                 for s in t.segments.order_by("start", "id")]}}))
"""
MINUTES_JS = """
import json
from case_core.models import Evidence
from case_core.models.signing import SignableDocument
d = SignableDocument.objects.filter(hearing_id={hearing}, kind="minutes").order_by("-id").first()
print(json.dumps({{
    "id": d.pk, "status": d.status,
    "signers": [[s.user.username, s.user.phone] for s in d.signers.select_related("user")],
    "evidence": list(Evidence.objects.filter(case=d.case, kind="minutes").values_list("sha256", flat=True)),
    "sha256": d.sha256,
}}))
"""


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[a-z']+", text.lower())


def _submit(page, button: str, attempts: int = 3) -> None:
    """Press a form's submit button and wait for the page it leads to. A click that lands while
    the embedded PDF is still being laid out can be lost in headless Chromium: press again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        try:
            with page.expect_navigation(timeout=15_000):
                page.get_by_role("button", name=button).click()
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _sign_in(page, server, username: str) -> None:
    page.goto(f"{server.url}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(f"{server.url}/cases/**")


def test_it_transcribes_each_speaker_and_the_minutes_are_signed(hearing, chromium):
    server, clerk, ids = hearing.server, hearing.clerk, hearing.ids
    started = time.monotonic()
    server.cli("worker", "--batch")  # the transcription job queued when the recording was filed
    transcript = server.query(TRANSCRIPT_JS.format(hearing=server.hearing_id))
    TIMINGS["transcription job"] = time.monotonic() - started
    assert transcript and transcript["segments"], "no transcript after the recording"
    said = [s for s in transcript["segments"] if s["speaker"] == ids["worker"]]
    heard = set(_words(" ".join(s["text"] for s in said)))
    reference = _words(LIBRI_REFERENCE)
    recall = sum(word in heard for word in reference) / len(reference)
    assert recall >= 0.8, f"worker's segments hold {recall:.0%} of the LibriSpeech words: {said}"
    assert not any(
        set(_words(s["text"])) & {"sorrow", "cotton", "fantasy"}
        for s in transcript["segments"]
        if s["speaker"] != ids["worker"]
    ), "the worker's words were attributed to someone else"

    # The clerk corrects one segment and marks the transcript reviewed, on the review page.
    segment = said[0]
    clerk.goto(f"{server.url}/transcripts/{transcript['id']}/")
    edited = segment["text"].strip() + " [corrected by the clerk]"
    clerk.fill(f"#text-{segment['id']}", edited)
    with clerk.expect_navigation():
        clerk.locator(f"#seg-{segment['id']}").get_by_role("button", name="Save").click()
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Mark reviewed").click()
    after = server.query(TRANSCRIPT_JS.format(hearing=server.hearing_id))
    assert after["status"] == "reviewed"
    assert next(s for s in after["segments"] if s["id"] == segment["id"])["text"] == edited

    # Minutes generated from the hearing, then signed with a texted code by every signer.
    with clerk.expect_navigation():
        clerk.get_by_role("button", name="Generate the minutes").click()
    minutes = server.query(MINUTES_JS.format(hearing=server.hearing_id))
    assert minutes["status"] == "awaiting_signatures"
    signed_by = {name for name, _phone in minutes["signers"]}
    assert {"worker", "employer", "clerk", "arbitrator"} <= signed_by
    signer = chromium("signer", speech_clip("vosk_test.wav"))
    for username, phone in minutes["signers"]:
        _sign_in(signer, server, username)
        signer.goto(f"{server.url}/documents/{minutes['id']}/")
        sent_before = len(server.outbox())
        _submit(signer, "Send me a code")
        signer.fill("#sign-code", server.sms_code(phone, after=sent_before))
        _submit(signer, "Sign the document")
        signer.context.clear_cookies()
    done = server.query(MINUTES_JS.format(hearing=server.hearing_id))
    assert done["status"] == "signed"
    assert done["evidence"] == [done["sha256"]], "the signed minutes are in the case file"
