"""Recording a hearing end to end: recording.start/stop frames drive the media worker's recorder,
the files land in the case file as hashed evidence with audit entries, and the background worker
makes the composite."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from django.core.management import call_command

from case_core.jobs import progress_of
from case_core.models import AuditEntry, Evidence
from recording.hashing import sha256_file
from recording.models import Recording
from tests.support.hearing_client import control
from tests.support.hearing_media import (
    admitted_mediation,
    offer_through,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_worker_cleanup"),
]


def _recordings():
    return [
        {
            "recording": rec,
            "files": [(f.role, f.kind, f.label, f.speaker_id, f.evidence) for f in rec.files.all()],
        }
        for rec in Recording.objects.prefetch_related("files__evidence")
    ]


async def test_it_records_the_main_room_into_the_case_file_and_makes_the_composite(
    mediation,
    mediator,
    applicant,
    respondent,
    media,
    monkeypatch,
):
    chair, a, r = await admitted_mediation(mediation, mediator, applicant, respondent)
    await control(chair, "start")
    clients = []
    try:
        for ws in (chair, a):
            client, reply = await offer_through(ws, media, slots=2)
            assert reply["type"] == "media.answer", reply
            clients.append(client)
        assert await wait_for(lambda: clients[0].received("video") > 10)
        await chair.ok("recording.start")
        notice = await r.expect(lambda f: f["type"] == "notice")
        assert notice["event"] == "recording.started"
        await asyncio.sleep(2.5)
        await chair.ok("recording.stop")
        found = database_sync_to_async(lambda: Recording.objects.filter(hearing=mediation).exists())
        for _ in range(100):
            if await found():
                break
            await asyncio.sleep(0.1)
        assert await found(), "the stopped recording was not stored"
        await asyncio.sleep(0.3)
        (row,) = await database_sync_to_async(_recordings)()
    finally:
        for c in clients:
            await c.close()
        for ws in (chair, a, r):
            await ws.close()
    tracks = sorted(
        (kind, label, speaker) for role, kind, label, speaker, _ in row["files"] if role == "track"
    )
    assert tracks == sorted(
        [
            ("audio", "mic", mediator.pk),
            ("video", "camera", mediator.pk),
            ("audio", "mic", applicant.pk),
            ("video", "camera", applicant.pk),
        ]
    )
    assert [role for role, *_ in row["files"]].count("events") == 1

    def check_files_and_audit():
        evidence = list(Evidence.objects.filter(kind="recording", case=mediation.case))
        assert len(evidence) == 5
        for item in evidence:
            assert sha256_file(item.file.path) == (item.sha256, item.size)
            assert item.content_type in ("video/webm", "audio/webm", "application/jsonl")
        for action in ("recording.created", "recording.hashed"):
            logged = AuditEntry.objects.filter(action=action, case=mediation.case)
            assert sorted(e.data["evidence"] for e in logged) == sorted(e.pk for e in evidence)
        assert AuditEntry.objects.filter(action="recording.finalized").count() == 1
        return row["recording"].composite_task

    task_id = await database_sync_to_async(check_files_and_audit)()
    assert task_id
    # the task worker installs signal handlers, so it runs on the main thread (the loop is idle)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    call_command("worker", batch=True, verbosity=0)

    def check_composite():
        recording = Recording.objects.get()
        assert recording.composite_status == "done", recording.composite_error
        composite = recording.files.get(role="composite").evidence
        assert composite.content_type == "video/mp4" and composite.kind == "recording"
        assert sha256_file(composite.file.path) == (composite.sha256, composite.size)
        assert AuditEntry.objects.filter(
            action="recording.hashed", data__evidence=composite.pk
        ).exists()
        progress = progress_of(task_id)
        assert progress.done == progress.total == 100

    await database_sync_to_async(check_composite)()
