"""The hearing WebSocket consumer: parse, check, call a service, reply; mirror the seat table.

Connection life: accept -> the client sends `hello` with a join credential within
TRIBUNAL_WS_HELLO_TIMEOUT -> `welcome` -> commands (each answered by `ack` or `error`) and
broadcasts from the hearing's group. Close codes are listed in CLOSE and docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import translation

from case_core.errors import DomainError
from case_core.models import Hearing
from signaling import protocol as p
from signaling import services as s
from signaling.broadcast import group_name
from signaling.captions_consumer import CaptionFramesMixin
from signaling.frames import ack_frame, error_frame, notice_localized, pong_frame, roster_frame
from signaling.media_consumer import MediaFramesMixin, media_ready
from signaling.models import WAITING
from signaling.services._common import TRIBUNAL

log = logging.getLogger(__name__)

CLOSE = {
    "normal": 1000,
    "credential": 4401,  # credential invalid, expired or already used
    "forbidden": 4403,  # not on the hearing, refused at the waiting room, or removed
    "wrong_hearing": 4404,  # hearing does not exist, or credential for another hearing
    "hello_timeout": 4408,
    "heartbeat": 4408,  # silent for TRIBUNAL_WS_HEARTBEAT_MISSES heartbeats: the client may reconnect
    "replaced": 4409,  # the same person connected again elsewhere
    "closed": 4410,  # the hearing is closed
    "flood": 4429,  # kept sending past the rate limit
}
CREDENTIAL_CLOSE = {
    "credential_invalid": CLOSE["credential"],
    "credential_expired": CLOSE["credential"],
    "credential_used": CLOSE["credential"],
    "credential_wrong_hearing": CLOSE["wrong_hearing"],
    "not_found": CLOSE["forbidden"],
    "forbidden": CLOSE["forbidden"],
    "hearing_closed": CLOSE["closed"],
}


class TokenBucket:
    def __init__(self, rate: float, burst: int):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


def page_language(scope) -> str:
    """The language of the page that opened this connection (`?lang=`), if the site offers it."""
    from urllib.parse import parse_qs

    query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0].lower()
    offered = {code for code, _name in settings.LANGUAGES}
    return wanted if wanted in offered else settings.LANGUAGE_CODE


def _call(fn, **kwargs):
    return database_sync_to_async(fn)(**kwargs)


# Frame type -> (service, how to build its keyword arguments from the frame).
COMMANDS = {
    "hearing.control": (s.hearing_transition, lambda f: {"action": f.action}),
    "hearing.reschedule": (s.hearing_reschedule, lambda f: {"start": f.start}),
    "admit": (s.seat_admit, lambda f: {"user_id": f.user}),
    "admit.all": (s.seat_admit_all, lambda f: {}),
    "refuse": (s.seat_refuse, lambda f: {"user_id": f.user, "reason": f.reason}),
    "refuse.all": (s.seat_refuse_all, lambda f: {"reason": f.reason}),
    "invite": (
        s.invitee_invite,
        lambda f: {"role": f.role, "name": f.name, "phone": f.phone},
    ),
    "identity.verify": (
        s.identity_verify,
        lambda f: {"user_id": f.user, "method": f.method, "note": f.note},
    ),
    "room.open": (s.room_open, lambda f: {"label": f.label, "members": list(f.members)}),
    "room.close": (s.room_close, lambda f: {"room": f.room}),
    "room.move": (s.room_move, lambda f: {"user_id": f.user, "room": f.room}),
    "room.lock": (s.room_lock, lambda f: {"room": f.room, "locked": f.locked}),
    "participant.mute": (s.participant_mute, lambda f: {"user_id": f.user}),
    "participant.ask_unmute": (s.participant_ask_unmute, lambda f: {"user_id": f.user}),
    "participant.remove": (s.participant_remove, lambda f: {"user_id": f.user, "reason": f.reason}),
    "self.mute": (s.self_mute, lambda f: {"muted": f.muted}),
    "hand.raise": (s.hand_raise, lambda f: {"raised": f.raised}),
    "floor.grant": (s.floor_grant, lambda f: {"user_id": f.user}),
    "recording.start": (s.recording_start, lambda f: {}),
    "recording.stop": (s.recording_stop, lambda f: {}),
    "chat.send": (s.chat_send, lambda f: {"text": f.text}),
}


def _hearing_roster(hearing_id: int) -> dict:

    return s.roster(Hearing.objects.select_related("case").get(pk=hearing_id))


async def _expire_later(hearing_id: int, user_id: int, disconnected_at, delay: float) -> None:
    await asyncio.sleep(delay)
    try:
        await _call(
            s.seat_grace_expire,
            hearing_id=hearing_id,
            user_id=user_id,
            disconnected_at=disconnected_at,
        )
    except Exception:  # the process may be shutting down; rejoin re-checks the time anyway
        log.exception("grace expiry for hearing %s user %s failed", hearing_id, user_id)


_grace_tasks: set[asyncio.Task] = set()


class HearingConsumer(CaptionFramesMixin, MediaFramesMixin, AsyncWebsocketConsumer):
    async def connect(self):
        self.hearing_id = int(self.scope["url_route"]["kwargs"]["hearing_id"])
        self.user = None
        self.role = None
        self.room = None
        self.joined = False
        self.closing = False
        self.left_cleanly = False
        self.in_group = False
        self.bucket = TokenBucket(settings.TRIBUNAL_WS_RATE, settings.TRIBUNAL_WS_BURST)
        # trickle ICE gets its own, larger bucket so candidates never trip the flood limit
        self.candidate_bucket = TokenBucket(
            settings.TRIBUNAL_WS_CANDIDATE_RATE, settings.TRIBUNAL_WS_CANDIDATE_BURST
        )
        self.dropped = 0
        self.max_bytes = settings.TRIBUNAL_WS_MAX_FRAME_BYTES
        self.media_max_bytes = settings.TRIBUNAL_WS_MEDIA_MAX_FRAME_BYTES
        self.language = page_language(self.scope)
        self.last_seen = time.monotonic()
        self._media_setup()
        await self.accept()
        self.watchdog = asyncio.ensure_future(self._heartbeat_watch())
        self.hello_timer = asyncio.get_running_loop().call_later(
            settings.TRIBUNAL_WS_HELLO_TIMEOUT, self._hello_timeout
        )

    async def _heartbeat_watch(self):
        """Close a connection that stopped sending (its browser was closed or lost its network
        without a clean close): its seat becomes `reconnecting`, then `left` after the grace."""
        period = settings.TRIBUNAL_WS_HEARTBEAT
        limit = period * settings.TRIBUNAL_WS_HEARTBEAT_MISSES
        while not self.closing:
            await asyncio.sleep(period)
            if self.joined and time.monotonic() - self.last_seen > limit:
                await self._shut("heartbeat", "No heartbeat in time.", code="heartbeat_timeout")
                return

    def _hello_timeout(self):
        if not self.joined and not self.closing:
            task = asyncio.ensure_future(self._shut("hello_timeout", "No hello frame in time."))
            _grace_tasks.add(task)
            task.add_done_callback(_grace_tasks.discard)

    async def _shut(self, close_key: str, message: str, code: str | None = None):
        if self.closing:
            return
        self.closing = True
        await self._error(code or close_key, message)
        await self.close(code=CLOSE[close_key])

    async def _send(self, frame: dict):
        frame = notice_localized(frame, self.language)
        await self.send(text_data=json.dumps(frame, ensure_ascii=False))

    async def _error(self, code: str, message: str, ref=None, details=None):
        await self._send(error_frame(code, message, ref, details))

    async def disconnect(self, code):
        self.closing = True
        if getattr(self, "watchdog", None):
            self.watchdog.cancel()
        if getattr(self, "hello_timer", None):
            self.hello_timer.cancel()
        if getattr(self, "in_group", False):
            await self.channel_layer.group_discard(group_name(self.hearing_id), self.channel_name)
        if getattr(self, "media_group", None):
            await self._media_disconnected()
        if not self.joined or self.left_cleanly:
            return
        try:
            result = await _call(
                s.seat_leave,
                actor=self.user,
                hearing_id=self.hearing_id,
                channel_name=self.channel_name,
                clean=False,
            )
        except Exception:
            log.exception(
                "marking hearing %s user %s reconnecting failed", self.hearing_id, self.user.pk
            )
            return
        if result and result["disconnected_at"] is not None:
            task = asyncio.ensure_future(
                _expire_later(
                    self.hearing_id,
                    self.user.pk,
                    result["disconnected_at"],
                    settings.TRIBUNAL_RECONNECT_GRACE,
                )
            )
            _grace_tasks.add(task)
            task.add_done_callback(_grace_tasks.discard)

    # --- inbound -------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing:
            return
        self.last_seen = time.monotonic()
        size = len(text_data.encode(errors="surrogatepass")) if text_data is not None else 0
        kind = None
        if text_data is not None and size <= self.max_bytes and "media.candidate" in text_data:
            kind = p.peek(text_data)[0]  # trickle ICE has a bucket of its own
        bucket = self.candidate_bucket if kind == "media.candidate" else self.bucket
        if not bucket.take():
            self.dropped += 1
            if self.dropped > settings.TRIBUNAL_WS_BURST:
                await self._shut("flood", "Too many frames; closing.", code="rate_limited")
            else:
                await self._error("rate_limited", "Too many frames; this one was dropped.")
            return
        self.dropped = 0
        if text_data is None:
            await self._error("binary_not_supported", "Only text frames carry this protocol.")
            return
        if size > self.max_bytes:  # only media offers may be larger; answer with the right limit
            kind, ref = p.peek(text_data)
            limit = self.media_max_bytes if kind in p.LARGE_TYPES else self.max_bytes
            if size > limit:
                await self._error(
                    "frame_too_large",
                    f"Frames are at most {limit} bytes.",
                    ref,
                    details={"max_bytes": limit},
                )
                return
        with translation.override(self.language):  # errors in the page's language
            await self._handle(text_data)

    async def _handle(self, text_data: str):
        try:
            frame = p.parse(text_data, self.hearing_id)
        except p.ProtocolError as err:
            await self._error(err.code, err.message, err.ref, err.details)
            return
        try:
            await self._dispatch(frame)
        except DomainError as err:
            await self._error(err.code, err.message, frame.ref, err.details)
        except Exception:
            log.exception("hearing %s frame %s failed", self.hearing_id, frame.type)
            await self._error("internal", "The server could not handle this frame.", frame.ref)

    async def _dispatch(self, frame: p.Frame):
        if frame.type == "hello":
            await self._hello(frame)
            return
        if not self.joined:
            await self._error("not_joined", "Send hello with a credential first.", frame.ref)
            return
        if frame.type == "ping":
            await self._send(pong_frame(frame.ref))
        elif frame.type == "roster.get":
            data = await _call(_hearing_roster, hearing_id=self.hearing_id)
            await self._send(roster_frame(frame.ref, self._visible_roster(data)))
        elif frame.type in p.MEDIA_TYPES:
            await self._media_frame(frame)
        elif frame.type == "captions.set":
            await self._captions_frame(frame)
        elif frame.type == "leave":
            await _call(
                s.seat_leave,
                actor=self.user,
                hearing_id=self.hearing_id,
                channel_name=self.channel_name,
                clean=True,
            )
            self.left_cleanly = True
            await self._send(ack_frame(frame.ref, "leave"))
            self.closing = True
            await self.close(code=CLOSE["normal"])
        else:
            if frame.type == "recording.start":
                await media_ready()  # the recorder runs in the hearing's media worker
            service, build = COMMANDS[frame.type]
            result = await _call(
                service, actor=self.user, hearing_id=self.hearing_id, **build(frame)
            )
            await self._send(ack_frame(frame.ref, frame.type, _jsonable(result)))

    async def _hello(self, frame: p.Hello):
        if self.joined:
            await self._error("already_joined", "This connection has already joined.", frame.ref)
            return
        try:
            user = await _call(
                s.credential_redeem, token=frame.credential, hearing_id=self.hearing_id
            )
            await self.channel_layer.group_add(group_name(self.hearing_id), self.channel_name)
            self.in_group = True
            joined = await _call(
                s.seat_join, actor=user, hearing_id=self.hearing_id, channel_name=self.channel_name
            )
        except DomainError as err:
            if self.in_group:
                await self.channel_layer.group_discard(
                    group_name(self.hearing_id), self.channel_name
                )
                self.in_group = False
            self.closing = True
            await self._error(err.code, err.message, frame.ref)
            await self.close(code=CREDENTIAL_CLOSE.get(err.code, CLOSE["forbidden"]))
            return
        self.hello_timer.cancel()
        self.user, self.role, self.joined = user, joined["role"], True
        self.room = joined["seat"]["room"]
        await self._media_joined()
        await self._send(
            {
                "type": "welcome",
                "v": p.VERSION,
                "ref": frame.ref,
                "you": joined["seat"],
                "rejoined": joined["rejoined"],
                "limits": {
                    "max_frame_bytes": self.max_bytes,
                    "media_max_frame_bytes": self.media_max_bytes,
                    "rate_per_second": settings.TRIBUNAL_WS_RATE,
                    "burst": settings.TRIBUNAL_WS_BURST,
                    "reconnect_grace_seconds": settings.TRIBUNAL_RECONNECT_GRACE,
                },
                **self._visible_roster(joined["roster"]),
            }
        )

    # --- outbound: the hearing group -----------------------------------------------------------

    def _sees_everyone(self) -> bool:
        return self.role in TRIBUNAL or (self.room is not None and self.room != WAITING)

    def _visible_roster(self, data: dict) -> dict:
        if self._sees_everyone():
            return data
        uid = self.user.pk
        return {
            **data,
            "seats": [x for x in data["seats"] if x["user"] == uid],
            "rooms": [r for r in data["rooms"] if r["key"] == WAITING],
        }

    async def hearing_frames(self, message):
        if not self.joined or self.closing:
            return
        uid = self.user.pk
        for item in message["items"]:
            frame, scope = item["frame"], item["scope"]
            mine = item.get("user") == uid
            if (
                mine
                and frame["event"] in ("presence.joined", "presence.rejoined")
                and item.get("channel") not in (None, self.channel_name)
            ):
                self.joined = False  # the newer connection owns the seat now
                await self._shut("replaced", "You joined again from another connection.")
                return
            if mine and frame["type"] == "seat":
                self.room = frame["seat"]["room"]
            if scope == "user" and not mine:
                continue
            if scope == "room" and item.get("room") != self.room:
                continue
            if scope == "present" and not (mine or self._sees_everyone()):
                continue
            await self._send(frame)
            if (
                mine
                and frame["type"] == "seat"
                and frame["seat"]["admission"] in ("refused", "removed")
            ):
                self.joined = False
                await self._shut(
                    "forbidden",
                    "You are no longer in this hearing.",
                    code=frame["seat"]["admission"],
                )
                return
            if frame["type"] == "hearing" and frame["hearing"]["status"] == "closed":
                self.joined = False
                await self._shut("closed", "The hearing is closed.", code="hearing_closed")
                return


def _jsonable(result):

    if isinstance(result, Hearing):
        return {"status": result.status, "scheduled_start": result.scheduled_start.isoformat()}
    if result is None or isinstance(result, (dict, list, str, int, float, bool)):
        return result
    return None
