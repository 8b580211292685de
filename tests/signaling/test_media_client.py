"""The browser media client (signaling/static/signaling/media.js) in Chromium, without a server:
an observer's page opens no microphone or camera and offers receive-only sections; anyone else's
opens both and offers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.require import chromium_path, need

MEDIA_JS = Path(__file__).resolve().parents[2] / "signaling" / "static" / "signaling" / "media.js"
PAGE = """<!doctype html><div class="hearing-page"><div class="layout">
<section id="media-panel" hidden><span id="media-state"></span><div id="media-controls"></div>
<div id="media-grid"></div><div id="media-audio"></div></section></div></div>"""
START = """async (publish) => {
  window.opened = 0;
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (c) => { window.opened += 1; return real(c); };
  window.sent = [];
  const strings = { media: { states: {}, screenOf: "%(name)s" }, roles: {}, you: "you" };
  const media = TribunalMedia.create({
    publish, strings, userId: 1, iceServers: [], notice: () => {},
    send: (type, fields) => { window.sent.push({ type, fields }); return "r" + window.sent.length; },
    seat: () => null, connected: () => true,
  });
  media.sync({ user: 1, admission: "admitted", room: "main", muted: false }, { status: "open" }, true);
  for (let i = 0; i < 100 && !window.sent.length; i++) await new Promise((r) => setTimeout(r, 50));
  const offer = window.sent.find((m) => m.type === "media.offer");
  return {
    opened: window.opened, sources: offer.fields.sources,
    sending: (offer.fields.sdp.match(/^a=(sendonly|sendrecv)/gm) || []).length,
    receiving: (offer.fields.sdp.match(/^a=recvonly/gm) || []).length,
    buttons: document.querySelectorAll("#media-controls button").length,
  };
}"""


@pytest.fixture(scope="module")
def page():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        need(False, "Playwright is not installed (pip install playwright)")
    executable = chromium_path()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
            ],
        )
        yield browser
        browser.close()


def _run(browser, publish: bool) -> dict:
    context = browser.new_context()
    try:
        tab = context.new_page()  # localhost is a secure context: getUserMedia exists there
        tab.route(
            "http://localhost/",
            lambda route: route.fulfill(body=PAGE, content_type="text/html"),
        )
        tab.goto("http://localhost/")
        tab.add_script_tag(path=str(MEDIA_JS))
        return tab.evaluate(START, publish)
    finally:
        context.close()


def test_it_opens_no_devices_for_an_observer_and_offers_receive_only(page):
    got = _run(page, publish=False)
    assert got["opened"] == 0, "an observer's page must not ask for the microphone or camera"
    assert got["sending"] == 0 and got["receiving"] == 14 and got["sources"] == {}
    assert got["buttons"] == 0  # no camera or screen controls


def test_it_opens_the_microphone_and_camera_for_everyone_else(page):
    got = _run(page, publish=True)
    assert got["opened"] == 1
    assert got["sending"] == 3 and sorted(got["sources"].values()) == ["camera", "mic", "screen"]
