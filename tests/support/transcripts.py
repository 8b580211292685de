"""Fixtures for the transcript, review and minutes tests: a held hearing, its event log and a
machine transcript built from two speakers' tracks (no speech models needed).

`held` and `transcript` are registered for the whole suite; they build on the `hearing` fixture
of the requesting directory, which in tests/transcription and tests/minutes is
`transcript_hearing` (every signer with a phone, the hearing already held)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from case_core.models import Hearing
from case_core.services import case_accept, case_assign, case_schedule
from transcription.results import Segment as EngineSegment
from transcription.transcripts import SpeakerTrack, transcript_from_segments

PHONES = {
    "clerk": "+8613900000001",
    "arbitrator": "+8613900000002",
    "applicant": "+8613900000003",
    "respondent": "+8613900000004",
    "agent": "+8613900000005",
}


def transcript_hearing(filed_case, clerk, arbitrator, applicant, respondent, agent) -> Hearing:
    """An arbitration hearing of `filed_case` (presiding arbitrator, clerk, applicant,
    respondent, the applicant's agent and two observers), each signer with their own phone."""
    for user in (clerk, arbitrator, applicant, respondent, agent):
        user.phone = PHONES[user.username]
        user.save(update_fields=["phone"])
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    start = timezone.now() + timedelta(days=6)
    hearing = case_schedule(actor=clerk, case=filed_case, start=start).new_hearing
    hearing.started_at = start
    hearing.ended_at = start + timedelta(hours=1)
    hearing.save()
    return hearing


def log_event(hearing, kind, *, actor=None, subject=None, room="main", data=None, at=None):
    """Append one event to the hearing's log the way signaling does (hash-chained)."""
    from signaling.models import HearingEvent, HearingLive
    from signaling.models.events import GENESIS

    live, _ = HearingLive.objects.get_or_create(hearing=hearing)
    event = HearingEvent(
        hearing=hearing,
        seq=live.last_seq + 1,
        kind=kind,
        actor=actor,
        subject=subject,
        room=room,
        data=data or {},
        created_at=at or timezone.now(),
        prev_hash=live.last_hash or GENESIS,
    )
    event.hash = event.compute_hash()
    event.save()
    live.last_seq, live.last_hash = event.seq, event.hash
    live.save()
    return event


@pytest.fixture(name="held")
def held_fixture(hearing, clerk, arbitrator, applicant, respondent):
    """The hearing's event log: tribunal joined, parties checked and admitted (the agent never
    came), recording, a caucus, chat, and the close."""
    from signaling.models import IdentityCheck

    t0 = hearing.started_at
    step = iter(range(1000))

    def at():
        return t0 + timedelta(seconds=10 * next(step))

    log_event(hearing, "presence.joined", actor=arbitrator, subject=arbitrator, at=at())
    log_event(hearing, "presence.joined", actor=clerk, subject=clerk, at=at())
    for party in (applicant, respondent):
        log_event(hearing, "presence.joined", actor=party, subject=party, room="waiting", at=at())
        IdentityCheck.objects.create(
            hearing=hearing,
            user=party,
            verified_by=clerk,
            verified_at=at(),
            method="id_document_on_camera",
        )
        log_event(
            hearing,
            "identity.verified",
            actor=clerk,
            subject=party,
            room="waiting",
            data={"method": "id_document_on_camera"},
            at=at(),
        )
        log_event(hearing, "participant.admitted", actor=clerk, subject=party, at=at())
    log_event(hearing, "hearing.start", actor=arbitrator, data={"to": "in_session"}, at=at())
    log_event(hearing, "recording.started", actor=clerk, at=at())
    log_event(
        hearing,
        "room.opened",
        actor=arbitrator,
        room="caucus-1",
        data={"label": "Mediation with applicant"},
        at=at(),
    )
    log_event(hearing, "room.moved", actor=arbitrator, subject=applicant, room="caucus-1", at=at())
    log_event(hearing, "room.closed", actor=arbitrator, room="caucus-1", at=at())
    log_event(
        hearing,
        "chat.message",
        actor=respondent,
        subject=respondent,
        data={"text": "Payslips for March uploaded"},
        at=at(),
    )
    log_event(hearing, "recording.stopped", actor=clerk, at=at())
    log_event(hearing, "hearing.close", actor=arbitrator, data={"to": "closed"}, at=at())
    return hearing


def tracks_for(hearing, arbitrator, applicant, respondent, language="en"):
    """Three speakers' engine output, each track starting at its own offset on the composite."""
    if language.startswith("zh"):
        texts = [
            "现在开庭。",
            "我要求支付三月到五月的工资。",
            "公司已经支付了三月的工资。",
            "请出示工资条。",
        ]
    else:
        texts = [
            "The hearing is now open.",
            "I claim unpaid wages for March to May.",
            "The company paid the March wages.",
            "Please show the payslips.",
        ]
    return [
        SpeakerTrack(
            user=arbitrator,
            name=arbitrator.name,
            role="presiding",
            offset=0.0,
            segments=[
                EngineSegment(1.0, 3.0, texts[0], 0.9),
                EngineSegment(20.0, 22.5, texts[3], 0.8),
            ],
        ),
        SpeakerTrack(
            user=applicant,
            name=applicant.name,
            role="applicant",
            offset=2.5,
            segments=[EngineSegment(2.0, 6.0, texts[1], 0.7), EngineSegment(9.0, 9.5, "   ", 0.1)],
        ),
        SpeakerTrack(
            user=respondent,
            name=respondent.name,
            role="respondent",
            offset=10.0,
            segments=[{"start": 1.5, "end": 4.0, "text": texts[2], "confidence": 0.6}],
        ),
    ]


@pytest.fixture(name="transcript")
def transcript_fixture(hearing, arbitrator, applicant, respondent):
    return transcript_from_segments(
        hearing=hearing,
        tracks=tracks_for(hearing, arbitrator, applicant, respondent, "en"),
        language="en",
        engine="whisper",
        model="whisper-base",
    )


def sent_code(user) -> str:
    """The last one-time code texted to `user` (read from the file outbox, i.e. their phone)."""
    lines = Path(settings.TRIBUNAL_NOTIFICATION_FILE).read_text(encoding="utf-8").splitlines()
    for line in reversed(lines):
        _at, channel, address, _subject, body = line.split("\t", 4)
        if channel == "sms" and address == user.phone:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", body)
            if match:
                return match.group(1)
    raise AssertionError(f"no code was sent to {user.phone}")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
