"""Every string the hearing page and the server's notices can show, in English, holds no Chinese
(user data aside); hearing words with two meanings are told apart by context ("Closed" for a
hearing is "Ended", not the case's "Closed")."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from signaling.frames import NOTICE_TEXTS, notice_localized
from signaling.views import js_strings

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _flat(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _flat(item)
    elif isinstance(value, str):
        yield value


def test_it_has_no_chinese_in_any_english_string_of_the_hearing_page():
    with translation.override("en"):
        strings = list(_flat(js_strings()))
    assert len(strings) > 100
    assert [s for s in strings if CJK.search(s)] == []
    with translation.override("en"):
        words = js_strings()
    assert words["status"]["closed"] == "Ended"


def test_it_renders_every_server_notice_in_the_recipients_language():
    for event in NOTICE_TEXTS:
        frame = {"type": "notice", "event": event, "message": "本庭审", "data": {}}
        english = notice_localized(frame, "en")["message"]
        assert english and not CJK.search(english), event
        assert notice_localized(frame, None) == frame
    other = {"type": "seat", "event": "recording.started"}
    assert notice_localized(other, "en") is other


def test_it_serves_the_hearing_page_in_english_without_chinese_interface_text(
    client, hearing, applicant, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(applicant)
    body = client.get(f"/hearings/{hearing.pk}/").content.decode()
    interface = re.sub(r"<script[^>]*>.*?</script>", "", body, flags=re.S)
    for data in (hearing.case.title, hearing.case.number or "", applicant.name):
        interface = interface.replace(data, "")
    assert not CJK.search(interface), CJK.findall(interface)[:10]


LATIN_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
# Words that stay Latin in Chinese: names of things, not interface words.
KEEP_LATIN = {"WebRTC", "HEIC", "HEIF", "AVIF", "SHA", "PDF", "Chrome", "Safari", "Firefox"}


def test_it_has_every_string_of_the_hearing_page_and_every_notice_in_chinese():
    with translation.override("zh-hans"):
        strings = list(_flat(js_strings()))
    untranslated = [
        s for s in strings if {w for w in LATIN_WORD.findall(s)} - KEEP_LATIN and not CJK.search(s)
    ]
    assert untranslated == []
    with translation.override("zh-hans"):
        assert js_strings()["status"]["closed"] == "已结束"
    for event in NOTICE_TEXTS:
        frame = {"type": "notice", "event": event, "message": "hearing", "data": {}}
        assert CJK.search(notice_localized(frame, "zh-hans")["message"]), event
