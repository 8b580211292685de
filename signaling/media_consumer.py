"""The media frames of the hearing consumer (docs/protocol.md section 10).

`media.offer`/`media.restart` are checked by `media_attach` (admitted, not waiting; pins the
hearing to a media worker) and sent to the hearing's worker as typed commands
(signaling/media_commands.py); `media.candidate` and `media.leave` go to the same worker. The worker answers on this connection's channel (`media_reply`), and engine
events for this person arrive through their group (`media_event`). Nothing here waits for the
worker inside `receive`: Channels handles one message of a consumer at a time, so the reply is a
message of its own. A reply that does not come within TRIBUNAL_MEDIA_REPLY_TIMEOUT becomes
`error media_unavailable`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from signaling import media_commands as mc
from signaling import mediaworkers as mw
from signaling import protocol as p
from signaling.services.media import media_attach, media_unavailable

log = logging.getLogger(__name__)
COMMANDS = {
    "media.offer": mc.Offer,
    "media.restart": mc.Restart,
    "media.candidate": mc.Candidate,
    "media.leave": mc.Hangup,
}


async def media_ready() -> None:
    """Embedded mode: make sure this process's media worker runs (started on first use, by the
    starter the composition root provided: signaling.mediaworkers.provide_embedded_starter)."""
    if mw.embedded() and not mw.start_embedded():
        raise media_unavailable()


class MediaFramesMixin:
    media_worker: str | None = None

    def _media_setup(self) -> None:
        self.media_worker = None
        self.media_calls: dict[str, tuple] = {}
        self.media_group: str | None = None

    async def _media_joined(self) -> None:
        self.media_group = mw.user_group(self.hearing_id, self.user.pk)
        await self.channel_layer.group_add(self.media_group, self.channel_name)

    async def _media_disconnected(self) -> None:
        for _ref, _type, timer in self.media_calls.values():
            timer.cancel()
        self.media_calls.clear()
        if self.media_group:
            await self.channel_layer.group_discard(self.media_group, self.channel_name)
        if self.media_worker:  # free this connection's peer connection now, keep the seat
            try:
                await mw.send_command(self.media_worker, self._media_command("media.leave"))
            except Exception:
                log.exception("media hangup for hearing %s failed", self.hearing_id)
            self.media_worker = None

    def _media_command(self, frame_type: str, **fields) -> mc.MediaCommand:
        return COMMANDS[frame_type](
            hearing=self.hearing_id,
            participant=self.user.pk,
            session=self.channel_name,
            **fields,
        )

    async def _media_frame(self, frame: p.Frame) -> None:
        if frame.type in ("media.offer", "media.restart"):
            await media_ready()
            info = await database_sync_to_async(media_attach)(
                actor=self.user, hearing_id=self.hearing_id
            )
            self.media_worker = info["worker"]
            await self._media_call(frame, sdp=frame.sdp, sources=dict(frame.sources))
        elif frame.type == "media.candidate":
            if not self.media_worker:
                raise DomainError(
                    "no_session", _("Send media.offer before ICE candidates."), status=409
                )
            await self._media_call(frame, candidate=frame.candidate)
        elif frame.type == "media.leave":
            if not self.media_worker:
                await self._send(
                    {
                        "type": "ack",
                        "v": p.VERSION,
                        "ref": frame.ref,
                        "of": frame.type,
                        "result": None,
                    }
                )
                return
            await self._media_call(frame)

    async def _media_call(self, frame: p.Frame, **fields) -> None:
        call = uuid.uuid4().hex
        timer = asyncio.get_running_loop().call_later(
            settings.TRIBUNAL_MEDIA_REPLY_TIMEOUT, self._media_timeout, call
        )
        self.media_calls[call] = (frame.ref, frame.type, timer)
        command = self._media_command(frame.type, reply_to=self.channel_name, call=call, **fields)
        try:
            await mw.send_command(self.media_worker, command)
        except Exception:
            timer.cancel()
            self.media_calls.pop(call, None)
            log.exception("sending %s to media worker %s failed", frame.type, self.media_worker)
            raise DomainError(
                "media_unavailable",
                _("No media server is available; try again shortly."),
                status=503,
            ) from None

    def _media_timeout(self, call: str) -> None:
        pending = self.media_calls.pop(call, None)
        if pending is None or self.closing:
            return
        ref, _type, _timer = pending
        asyncio.ensure_future(
            self._error("media_unavailable", _("The media server did not answer; try again."), ref)
        )

    # ---- channel-layer handlers -------------------------------------------------------------
    async def media_reply(self, message: dict) -> None:
        reply = mc.MediaReply.model_validate(message)
        pending = self.media_calls.pop(reply.call, None)
        if pending is None or self.closing:
            return
        ref, frame_type, timer = pending
        timer.cancel()
        if not reply.ok:
            error = reply.error or mc.ReplyError(code="internal")
            await self._error(error.code, error.message, ref, error.details or None)
            return
        result = reply.result or {}
        if frame_type in ("media.offer", "media.restart"):
            await self._send(
                {
                    "type": "media.answer",
                    "v": p.VERSION,
                    "hearing": self.hearing_id,
                    "ref": ref,
                    "sdp": result["sdp"],
                }
            )
        else:
            await self._send(
                {"type": "ack", "v": p.VERSION, "ref": ref, "of": frame_type, "result": None}
            )

    async def media_event(self, message: dict) -> None:
        if not self.joined or self.closing:
            return
        await self._send(message["frame"])
