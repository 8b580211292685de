"""A recording that holds no media (started and stopped while nobody's microphone or camera
reached it) files nothing: no evidence item, no composite or transcript job. The hearing's log
records `recording.empty` and the tribunal gets a notice saying so."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from case_core.models import Evidence
from recording.models import Recording
from signaling.models import HearingEvent
from tests.support.hearing_client import control
from tests.support.hearing_media import (
    admitted_mediation,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
]


def _filed(hearing) -> dict:
    from django_tasks_db.models import DBTaskResult

    return {
        "recordings": Recording.objects.filter(hearing=hearing).count(),
        "evidence": Evidence.objects.filter(case=hearing.case, kind="recording").count(),
        "jobs": DBTaskResult.objects.count(),
        "logged": list(
            HearingEvent.objects.filter(hearing=hearing, kind="recording.empty").values_list(
                "kind", flat=True
            )
        ),
    }


async def test_it_files_nothing_for_a_recording_without_media_and_tells_the_chair(
    mediation, mediator, applicant, respondent
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    try:
        await control(chair, "start")
        await chair.ok("recording.start")
        await asyncio.sleep(0.5)
        await chair.ok("recording.stop")
        notice = await chair.expect(
            lambda f: f["type"] == "notice" and f.get("event") == "recording.empty", timeout=10
        )
        assert notice["data"] == {"recording": False, "code": "recording_empty"}
        assert notice["message"]
        await asyncio.sleep(0.5)  # nothing else arrives late
        assert not [f for f in a.inbox if f.get("event") == "recording.empty"]
        filed = await database_sync_to_async(_filed)(mediation)
        assert filed == {"recordings": 0, "evidence": 0, "jobs": 0, "logged": ["recording.empty"]}
    finally:
        for ws in (chair, a, r):
            await ws.close()
