"""Recording in the media worker: the commands `record.start` / `record.stop` (and `close`).

`start` creates a RecordingSink (recording/sink.py) in TRIBUNAL_RECORDING_DIR and attaches it to
the hearing's recorded rooms (the main room) like any other sink; `stop` detaches it, closes its
files and files them in the case file (recording.services.recording_finalize_for: evidence,
hashes, audit, then the composite and transcript jobs). A recording that holds no media at all
(no track ever got a packet) is not filed: no evidence, no jobs; the hearing's log records
`recording.empty` and the tribunal gets a notice (signaling.services.media.recording_empty).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from media.sinks import Attachment
from recording.services import recording_finalize_for
from recording.sink import RecordingSink
from signaling import mediaworkers as mw
from signaling.services.media import recording_empty

log = logging.getLogger(__name__)


@dataclass
class ActiveRecording:
    sink: RecordingSink
    attachment: Attachment
    directory: Path
    started: float = field(default_factory=time.time)


class WorkerRecordings:
    def __init__(self, worker) -> None:
        self.worker = worker
        self.active: dict[str, ActiveRecording] = {}  # hearing -> its running recording

    async def start(self, hearing: str, rooms) -> dict:
        if hearing in self.active:
            raise DomainError(
                "already_recording", _("This hearing is already being recorded."), status=409
            )
        base = settings.TRIBUNAL_RECORDING_DIR
        if not base:
            raise DomainError("no_recording_dir", _("No recording directory is configured."))
        directory = Path(base) / f"hearing-{hearing}-{time.strftime('%Y%m%dT%H%M%S')}"
        sink = RecordingSink(directory, hearing_id=hearing)
        await sink.start()
        attachment = self.worker.engine.attach(hearing, sink, rooms=tuple(rooms))
        self.active[hearing] = ActiveRecording(sink, attachment, directory)
        return {"directory": str(directory)}

    async def stop(self, hearing: str, actor: int | None) -> dict:
        active = self.active.pop(hearing, None)
        if active is None:
            raise DomainError("not_recording", _("This hearing is not being recorded."), status=409)
        active.attachment.detach()
        files = await active.sink.stop()
        if not any(f.kind != "events" for f in files):
            await self._empty(hearing, actor)
            return {"files": 0, "empty": True}
        await self._finalize(hearing, files, actor, active)
        return {"files": len(files)}

    async def stop_if_running(self, hearing: str, actor: int | None) -> None:
        if hearing in self.active:
            await self.stop(hearing, actor)

    async def _finalize(self, hearing: str, files, actor, active: ActiveRecording) -> None:

        try:
            await database_sync_to_async(recording_finalize_for)(
                hearing_id=int(hearing),
                files=files,
                actor_id=actor,
                directory=str(active.directory),
                started=active.started,
            )
        except Exception:
            log.exception("storing the recording of hearing %s in the case file failed", hearing)
            raise

    async def _empty(self, hearing: str, actor) -> None:

        log.info("the recording of hearing %s held no media: nothing is filed", hearing)
        notice = await database_sync_to_async(recording_empty)(
            hearing_id=int(hearing), actor_id=actor
        )
        await mw.send_to_users(hearing, notice["users"], notice["frame"], layer=self.worker.layer)
