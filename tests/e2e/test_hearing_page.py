"""The hearing page as people expect it, in real Chromium against the real server (issue 13).

The worker on a 390x844 phone runs the device check, waits with the scheduled time shown, is
seen on camera by the clerk (one-way media from the waiting room) and verified through the
identity dialog, is admitted, and then the call takes most of the screen; the presiding
arbitrator (a PC browser) opens the waiting room and ends the hearing through the confirmation,
and the worker sees the end screen. Every screen is checked with axe-core (no serious or
critical violation), as are the case page, My cases and the application form; and, in English,
the hearing's screens are checked for Chinese interface text (user data aside).

Three browsers share one hearing (module-scoped), and the tests run in file order.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, artifacts_dir
from tests.support.require import speech_clip

PHONE = (390, 844)
PC = (1280, 800)
AUDIO_ONLY = "localStorage.setItem('tribunal.audioOnly', '1')"
LOW_VIDEO = "localStorage.setItem('tribunal.videoQuality', 'low')"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
# The interface text of the page, without user data (names, the case title, chat, captions).
UI_TEXT_JS = """() => {
  const root = document.getElementById('call').cloneNode(true);
  root.querySelectorAll('.title, .who, .name, .me, .avatar, #chat, #captions, #verify-who, option, figcaption, #rooms h3')
    .forEach((n) => n.remove());
  const hidden = [];
  document.querySelectorAll('#call [hidden]').forEach((n) => hidden.push(n.id));
  hidden.forEach((id) => { const n = id && root.querySelector('#' + id); if (n) n.remove(); });
  return root.innerText;
}"""
FRAMES_FROM_JS = """(other) => {
  const m = window.tribunalMedia;
  if (!m || !m.pc) return null;
  const mids = m.layout.filter((s) => s.mid && String(s.participant_id) === String(other) && s.source === 'camera').map((s) => s.mid);
  return m.inbound().then((rows) => rows.filter((r) => mids.includes(r.mid)).reduce((n, r) => n + r.framesDecoded, 0));
}"""


def _sign_in_to_hearing(page, server, username: str) -> None:
    path = f"/hearings/{server.hearing_id}/"
    page.goto(f"{server.url}/signin/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(server.url + path)
    page.locator("#precheck").wait_for(state="visible")


def _join(page) -> None:
    page.get_by_role("button", name="Join the hearing").click()
    page.wait_for_function("document.getElementById('conn').textContent === 'Connected'")


def _axe(page, what: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, f"{what}: accessibility violations {bad}"


def _no_chinese(page, what: str) -> None:
    text = page.evaluate(UI_TEXT_JS)
    assert not CJK.search(text), f"{what}: Chinese text on an English page: {text!r}"


def _shot(page, name: str, shots) -> None:
    page.screenshot(path=str(shots / f"{name}.png"))


def _frames_from(page, other: int) -> int:
    return page.evaluate(FRAMES_FROM_JS, other) or 0


def _user_id(page) -> int:
    return page.evaluate("JSON.parse(document.getElementById('hearing-config').textContent).userId")


class Call:
    def __init__(self, server, pages: dict, shots):
        self.server, self.pages, self.shots = server, pages, shots

    def __getattr__(self, name):
        if name in self.pages:
            return self.pages[name]
        raise AttributeError(name)


@pytest.fixture(scope="module")
def call(tribunal_server, chromium, tmp_path_factory):
    shots = artifacts_dir(tmp_path_factory.mktemp("hearing-page"))
    pages = {
        "worker": chromium(
            "worker", speech_clip("libri_1995-1837-0001.wav"), viewport=PHONE, init_script=LOW_VIDEO
        ),
        "chair": chromium("chair", speech_clip("glorious.wav"), init_script=AUDIO_ONLY),
        "clerk": chromium("clerk", speech_clip("polar.wav"), init_script=AUDIO_ONLY),
    }
    yield Call(tribunal_server, pages, shots)


def test_it_checks_the_workers_devices_before_joining(call):
    worker = call.worker
    _sign_in_to_hearing(worker, call.server, "worker")
    worker.wait_for_function(
        "document.getElementById('precheck-video').videoWidth > 0"
        " && document.getElementById('mic-level').value > 0"
    )
    assert worker.locator("#precheck-result").inner_text() == "Camera and microphone work."
    assert worker.locator("#precheck-when").inner_text().strip()
    _shot(worker, "precheck-phone", call.shots)
    _axe(worker, "device check")
    _no_chinese(worker, "device check")
    _join(worker)
    worker.locator("#waiting-panel").wait_for(state="visible")
    assert worker.locator("#waiting-when").inner_text().strip()
    assert worker.locator("#waiting-state").inner_text() == "The hearing is not open yet."
    # site chrome hidden: the page is the call
    assert worker.locator(".site-header").count() == 0


def test_it_lets_the_chair_open_the_waiting_room(call):
    chair, worker = call.chair, call.worker
    _sign_in_to_hearing(chair, call.server, "arbitrator")
    _join(chair)
    chair.locator("#bar-more").click()
    chair.get_by_role("button", name="Open waiting room").click()
    worker.wait_for_function(
        "document.getElementById('waiting-state').textContent.startsWith('The clerk will check')"
    )
    _shot(worker, "waiting-phone", call.shots)
    _axe(worker, "waiting room")
    _no_chinese(worker, "waiting room")


def test_it_shows_the_waiting_worker_to_the_clerk_on_camera_and_verifies_through_the_dialog(call):
    clerk, worker = call.clerk, call.worker
    _sign_in_to_hearing(clerk, call.server, "clerk")
    _join(clerk)
    worker_id = _user_id(worker)
    person = clerk.locator(f"#rooms .person[data-user='{worker_id}']")
    person.wait_for()
    admit = person.get_by_role("button", name="Admit")
    assert admit.is_disabled()
    assert "Verify the identity first." in person.inner_text()
    # One-way media: the clerk decodes the worker's camera while the worker waits.
    clerk.locator(f"#media-grid .tile.waiting[data-participant='{worker_id}']").wait_for()
    deadline = time.monotonic() + 40
    first = _frames_from(clerk, worker_id)
    while _frames_from(clerk, worker_id) <= first:
        assert time.monotonic() < deadline, "the clerk never saw the waiting worker's camera"
        clerk.wait_for_timeout(500)
    assert "camera and microphone" in person.inner_text()
    _shot(clerk, "clerk-waiting-pc", call.shots)
    _axe(clerk, "clerk with someone waiting")
    person.get_by_role("button", name="Verify identity").click()
    dialog = clerk.locator("#verify-dialog")
    dialog.wait_for(state="visible")
    dialog.get_by_label("Identity document shown on camera").check()
    _shot(clerk, "verify-dialog-pc", call.shots)
    _axe(clerk, "identity dialog")
    dialog.get_by_role("button", name="Record the check").click()
    person.get_by_text("verified", exact=True).wait_for()
    assert admit.is_enabled()
    admit.click()


def test_it_gives_the_admitted_worker_a_full_screen_call(call):
    worker = call.worker
    worker.locator("#waiting-panel").wait_for(state="hidden")
    worker.locator("#call-bar").wait_for(state="visible")
    worker.wait_for_function("document.querySelectorAll('#media-grid .tile').length >= 2")
    stage = worker.locator("#media-panel").bounding_box()
    assert stage["width"] * stage["height"] >= 0.5 * PHONE[0] * PHONE[1], stage
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    bar = worker.locator("#call-bar").bounding_box()
    assert bar["y"] + bar["height"] <= PHONE[1] + 1, "the bottom bar is on screen"
    for name in ("Mute", "Stop camera", "Chat", "Participants", "More", "Leave"):
        button = worker.get_by_role("button", name=name, exact=True)
        box = button.bounding_box()
        bar_text = worker.locator("#call-bar").inner_text()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], (name, bar_text)
    worker.get_by_role("button", name="More", exact=True).click()
    assert worker.get_by_role("button", name="Raise hand").is_visible()  # in "More" on a phone
    worker.get_by_role("button", name="Close panel").click()
    _shot(worker, "call-phone", call.shots)
    _axe(worker, "call")
    _no_chinese(worker, "call")
    worker.get_by_role("button", name="Participants", exact=True).click()
    _shot(worker, "participants-phone", call.shots)
    _axe(worker, "participants panel")
    worker.get_by_role("button", name="Close panel").click()


def test_it_ends_the_hearing_only_after_confirmation_and_shows_the_end_screen(call):
    chair, worker = call.chair, call.worker
    if chair.locator("#more-panel").is_hidden():
        chair.locator("#bar-more").click()
    chair.get_by_role("button", name="Start hearing").click()
    worker.wait_for_function("document.getElementById('status').textContent === 'In session'")
    chair.get_by_role("button", name="End hearing").click()
    dialog = chair.locator("#confirm-dialog")
    dialog.wait_for(state="visible")
    _shot(chair, "end-confirm-pc", call.shots)
    dialog.get_by_role("button", name="Cancel").click()
    assert worker.locator("#end-screen").is_hidden()  # cancelled: still in session
    chair.get_by_role("button", name="End hearing").click()
    dialog.get_by_role("button", name="End hearing").click()
    worker.locator("#end-screen").wait_for(state="visible")
    assert worker.locator("#end-title").inner_text() == "The hearing has ended"
    assert worker.locator("#call-bar").is_hidden() and worker.locator("#media-panel").is_hidden()
    assert worker.get_by_role("link", name="Back to the case").is_visible()
    _shot(worker, "ended-phone", call.shots)
    _axe(worker, "end screen")
    _no_chinese(worker, "end screen")


def test_it_passes_the_accessibility_checks_on_the_case_and_application_pages(call):
    worker = call.worker
    worker.get_by_role("link", name="Back to the case").click()
    worker.locator("h1").wait_for()
    _shot(worker, "case-phone", call.shots)
    _axe(worker, "case page")
    for path, what in (("/cases/", "my cases"), ("/cases/new/", "application form")):
        worker.goto(call.server.url + path)
        worker.locator("h1").first.wait_for()
        _axe(worker, what)
