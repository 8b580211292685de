"""What the minutes may hold and what they must survive: chat in a private room (caucus) never
reaches them, and chat messages of the protocol maximum, or a very long transcript segment, lay
out across pages (each case read back out of the PDF with pdftotext)."""

from __future__ import annotations

import pytest
from django.utils import translation

from minutes.hearing_log import hearing_events
from minutes.record import minutes_record
from minutes.services import minutes_generate
from signaling.services.controls import CHAT_MAX_CHARS
from tests.support.pdf import pdf_text, squash
from tests.support.transcripts import (
    log_event,
)
from transcription.results import Segment as EngineSegment
from transcription.review import transcript_mark_reviewed
from transcription.transcripts import SpeakerTrack, transcript_from_segments

CAUCUS_TEXTS = (
    "Between us: the company would settle for 18000 yuan, not a cent more.",
    "私下说，公司最多愿意支付一万八千元。",
    "I would accept 15000 if they pay this month.",
)
MAIN_TEXT = "Please upload the employment contract."


def _caucus(held, arbitrator, applicant, respondent):
    """A second caucus with chat from the tribunal and a party, and chat in the main room."""
    log_event(held, "room.opened", actor=arbitrator, room="caucus-2", data={"label": "Offers"})
    log_event(held, "room.moved", actor=arbitrator, subject=respondent, room="caucus-2")
    log_event(
        held, "chat.message", actor=respondent, subject=respondent, room="caucus-2",
        data={"text": CAUCUS_TEXTS[0]},
    )  # fmt: skip
    log_event(
        held, "chat.message", actor=arbitrator, subject=arbitrator, room="caucus-2",
        data={"text": CAUCUS_TEXTS[1]},
    )  # fmt: skip
    log_event(
        held, "chat.message", actor=applicant, subject=applicant, room="caucus-1",
        data={"text": CAUCUS_TEXTS[2]},
    )  # fmt: skip
    log_event(held, "room.closed", actor=arbitrator, room="caucus-2")
    log_event(
        held, "chat.message", actor=arbitrator, subject=arbitrator, data={"text": MAIN_TEXT}
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_keeps_caucus_chat_out_of_the_minutes(
    held, transcript, clerk, arbitrator, applicant, respondent, language
):
    held.language = language
    held.save()
    _caucus(held, arbitrator, applicant, respondent)
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    document = minutes_generate(actor=clerk, hearing=held)
    text = squash(pdf_text(document))
    assert squash(MAIN_TEXT) in text and squash("Payslips for March uploaded") in text
    assert "Offers" in text  # opening a private room is a fact everyone present saw
    for secret in CAUCUS_TEXTS:
        assert squash(secret) not in text, secret
        for fragment in (secret[:12], secret[-12:]):
            assert squash(fragment) not in text, fragment
    with translation.override(language):
        chat = minutes_record(held).chat
    assert [entry[-1] for entry in chat] == ["Payslips for March uploaded", MAIN_TEXT]
    kept = [
        e["data"]["text"]
        for e in hearing_events(held)
        if e["kind"] == "chat.message" and e["room"].startswith("caucus-")
    ]
    assert kept == list(CAUCUS_TEXTS)  # still in the event log, for the people of that room


def _pasted(sample: str) -> str:
    """A message of exactly the protocol maximum, made of `sample` repeated."""
    return (sample * (CHAT_MAX_CHARS // len(sample) + 1))[:CHAT_MAX_CHARS].strip()[:CHAT_MAX_CHARS]


ENGLISH = _pasted(
    "I, the respondent's representative, state that the company paid every wage on the agreed "
    "day, that the overtime was approved in writing, and that the contract says so. "
)
CHINESE = _pasted(
    "本人作为被申请人代理人声明：公司已按约定日期支付全部工资，加班均经书面批准，合同对此有明确约定。"
)
UNBROKEN = ("https://example.com/evidence/" + "a1b2c3d4" * 300)[:CHAT_MAX_CHARS]
LINES = "\n".join(f"line {n}" for n in range(1, 400))[:CHAT_MAX_CHARS]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_it_lays_out_chat_of_the_protocol_maximum_and_a_very_long_segment(
    held, clerk, arbitrator, applicant, respondent, language
):
    held.language = language
    held.save()
    messages = [ENGLISH, ENGLISH.upper(), UNBROKEN, LINES]
    if language.startswith("zh"):
        messages += [CHINESE, CHINESE[::-1]]
    assert all(len(m) <= CHAT_MAX_CHARS for m in messages) and len(ENGLISH) > 1990
    for index, message in enumerate(messages):
        who = (applicant, respondent)[index % 2]
        log_event(held, "chat.message", actor=who, subject=who, data={"text": message})
    long_segment = " ".join(
        [(CHINESE if language.startswith("zh") else ENGLISH)] * 6
    )  # 12,000 characters of one speaker without a pause
    transcript = transcript_from_segments(
        hearing=held,
        tracks=[
            SpeakerTrack(
                user=respondent,
                name=respondent.name,
                role="respondent",
                offset=0.0,
                segments=[
                    EngineSegment(1.0, 600.0, long_segment, 0.8),
                    EngineSegment(601.0, 603.0, "The end of the statement.", 0.9),
                ],
            )
        ],
        language=language,
    )
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    document = minutes_generate(actor=clerk, hearing=held)
    text = squash(pdf_text(document, footers=False))
    for message in messages:
        assert squash(message) in text, message[:40]
    assert squash(long_segment) in text and "Theendofthestatement." in text
