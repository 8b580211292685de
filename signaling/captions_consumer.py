"""The `captions.set` frame of the hearing consumer (docs/protocol.md, live captions).

The service (signaling.services.captions.captions_set) stores the switch, logs it, broadcasts the
hearing state and tells the pinned media worker. When no model covers the hearing's language the
command still succeeds (`ack` with `available: false`) and the tribunal gets a `notice`
(`captions.unavailable`) saying why; the hearing goes on without captions.
"""

from __future__ import annotations

from channels.db import database_sync_to_async

from signaling import mediaworkers as mw
from signaling import protocol as p
from signaling.frames import ack_frame
from signaling.services.captions import captions_set, captions_unavailable


class CaptionFramesMixin:
    async def _captions_frame(self, frame: p.CaptionsSet) -> None:
        result = await database_sync_to_async(captions_set)(
            actor=self.user, hearing_id=self.hearing_id, enabled=frame.enabled
        )
        await self._send(ack_frame(frame.ref, frame.type, result))
        if frame.enabled and not result["available"]:
            notice = await database_sync_to_async(captions_unavailable)(
                hearing_id=self.hearing_id,
                code=result["code"],
                message=result["message"],
                engine=result["engine"],
            )
            await mw.send_to_users(
                self.hearing_id, notice["users"], notice["frame"], layer=self.channel_layer
            )
