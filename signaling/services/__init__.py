"""Hearing services: keyword-only, one transaction each, guard -> DomainError -> save -> audit
entry + hearing event log -> broadcast after commit. Consumers and views only call these."""

from signaling.services.admission import (
    identity_verify,
    seat_admit,
    seat_admit_all,
    seat_refuse,
    seat_refuse_all,
)
from signaling.services.controls import (
    chat_send,
    floor_grant,
    hand_raise,
    participant_ask_unmute,
    participant_mute,
    participant_remove,
    self_mute,
)
from signaling.services.credentials import (
    credential_issue,
    credential_redeem,
    credential_request,
)
from signaling.services.invitations import invitee_invite
from signaling.services.links import (
    link_code_send,
    link_code_verify,
    link_open,
    link_revoke,
    link_send,
    link_session_user,
)
from signaling.services.log import hearing_log_verify
from signaling.services.media import media_attach
from signaling.services.presence import seat_grace_expire, seat_join, seat_leave
from signaling.services.rooms import (
    room_close,
    room_lock,
    room_members,
    room_move,
    room_of,
    room_open,
)
from signaling.services.snapshot import roster
from signaling.services.state import (
    hearing_reschedule,
    hearing_transition,
    recording_start,
    recording_stop,
)

__all__ = [
    "invitee_invite",
    "chat_send",
    "credential_issue",
    "credential_redeem",
    "credential_request",
    "floor_grant",
    "hand_raise",
    "hearing_log_verify",
    "hearing_reschedule",
    "hearing_transition",
    "identity_verify",
    "link_code_send",
    "link_code_verify",
    "link_open",
    "link_revoke",
    "link_send",
    "link_session_user",
    "media_attach",
    "participant_ask_unmute",
    "participant_mute",
    "participant_remove",
    "recording_start",
    "recording_stop",
    "room_close",
    "room_lock",
    "room_members",
    "room_move",
    "room_of",
    "room_open",
    "roster",
    "seat_admit",
    "seat_admit_all",
    "seat_grace_expire",
    "seat_join",
    "seat_leave",
    "seat_refuse",
    "seat_refuse_all",
    "self_mute",
]
