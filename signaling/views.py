"""The hearing page (staff and parties) and the join-credential endpoint.

GET  /hearings/<id>/                 the hearing page for a signed-in invitee
GET  /hearings/<id>/join/<token>/    the same page from a party's personal link (no sign-in)
POST /hearings/<id>/credential/      a fresh join credential (JSON); signed-in session, or
                                     form field `invite` = the token from the personal link
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from case_core.errors import not_found
from case_core.models import Hearing, Invitee
from signaling.services import credential_issue, invite_user
from signaling.services._common import PERMISSIONS


def _page(request, hearing_id: int, user, invite: str = ""):
    hearing = Hearing.objects.select_related("case").filter(pk=hearing_id).first()
    invitee = Invitee.objects.filter(hearing=hearing, user=user).first() if hearing else None
    if invitee is None:
        raise not_found()
    config = {
        "hearingId": hearing.pk,
        "userId": user.pk,
        "role": invitee.role,
        "wsPath": f"/ws/hearings/{hearing.pk}/",
        "credentialUrl": f"/hearings/{hearing.pk}/credential/",
        "invite": invite,
        "may": sorted(action for action, roles in PERMISSIONS.items() if invitee.role in roles),
        "maxChat": 2000,
        "iceServers": settings.TRIBUNAL_ICE_SERVERS,
        "strings": js_strings(),
    }
    return render(
        request,
        "signaling/hearing.html",
        {"hearing": hearing, "invitee": invitee, "user_name": user.name, "config": config},
    )


@login_required
def hearing_page(request, hearing_id: int):
    return _page(request, hearing_id, request.user)


def join_link(request, hearing_id: int, token: str):
    user = invite_user(token=token, hearing_id=hearing_id)
    return _page(request, hearing_id, user, invite=token)


@require_POST
def credential(request, hearing_id: int):
    token = request.POST.get("invite", "")
    user = invite_user(token=token, hearing_id=hearing_id) if token else request.user
    if not user.is_authenticated:
        raise not_found()
    data = credential_issue(actor=user, hearing_id=hearing_id)
    data["ws_url"] = _ws_base(request) + data["ws_path"]
    return JsonResponse(data)


def _ws_base(request) -> str:
    scheme = "wss" if request.is_secure() else "ws"
    return f"{scheme}://{request.get_host()}"


def js_strings() -> dict:
    """Every user-facing string of hearing.js, translated for the request's language."""
    return {
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost; reconnecting…"),
        "connected": _("Connected"),
        "disconnected": _("Disconnected"),
        "waiting": _(
            "You are in the waiting room. The clerk will check your identity and "
            "admit you when the hearing is ready."
        ),
        "refused": _("You were not admitted to this hearing."),
        "removed": _("You were removed from this hearing."),
        "replaced": _("You joined from another window; this one is closed."),
        "closed": _("The hearing is closed."),
        "credentialFailed": _("Could not get a credential to join this hearing."),
        "recording": _("Recording"),
        "admit": _("Admit"),
        "admitAll": _("Admit all verified"),
        "refuse": _("Refuse"),
        "verify": _("Verify identity"),
        "verifyMethod": _(
            "How was the identity checked? (id_document_on_camera, face_match, "
            "in_person, real_name_account, other)"
        ),
        "mute": _("Mute"),
        "askUnmute": _("Ask to unmute"),
        "remove": _("Remove"),
        "grantFloor": _("Give the floor"),
        "revokeFloor": _("Take back the floor"),
        "moveTo": _("Move to…"),
        "raiseHand": _("Raise hand"),
        "lowerHand": _("Lower hand"),
        "muteMe": _("Mute me"),
        "unmuteMe": _("Unmute me"),
        "lockMain": _("Lock main room"),
        "unlockMain": _("Unlock main room"),
        "openCaucus": _("Open private room"),
        "caucusName": _("Name of the private room"),
        "closeRoom": _("Close room"),
        "startRecording": _("Start recording"),
        "stopRecording": _("Stop recording"),
        "leave": _("Leave"),
        "send": _("Send"),
        "reason": _("Reason (optional)"),
        "verified": _("verified"),
        "unverified": _("not verified"),
        "handUp": _("hand raised"),
        "floor": _("has the floor"),
        "muted": _("muted"),
        "you": _("you"),
        "error": _("Refused"),
        "actions": {
            "open": _("Open waiting room"),
            "start": _("Start hearing"),
            "pause": _("Pause"),
            "resume": _("Resume"),
            "adjourn": _("Adjourn"),
            "close": _("End hearing"),
        },
        "status": {
            "scheduled": _("Scheduled"),
            "open": _("Waiting room open"),
            "in_session": _("In session"),
            "paused": _("Paused"),
            "adjourned": _("Adjourned"),
            "closed": _("Closed"),
        },
        "presence": {
            "absent": _("not joined"),
            "joined": _("joined"),
            "reconnecting": _("reconnecting"),
            "left": _("left"),
        },
        "rooms": {"main": _("Main room"), "waiting": _("Waiting room")},
        "roles": {
            "presiding": _("Presiding arbitrator"),
            "arbitrator": _("Arbitrator"),
            "mediator": _("Mediator"),
            "clerk": _("Clerk"),
            "applicant": _("Applicant"),
            "respondent": _("Respondent"),
            "agent": _("Agent"),
            "witness": _("Witness"),
            "interpreter": _("Interpreter"),
            "observer": _("Observer"),
        },
        "limits": {"grace": settings.TRIBUNAL_RECONNECT_GRACE},
        "media": media_strings(),
        "captions": {
            "on": _("Turn captions on"),
            "off": _("Turn captions off"),
            "label": _("Live captions"),
            "line": _("%(name)s (%(role)s):"),
        },
    }


def media_strings() -> dict:
    """The user-facing strings of media.js (the video hearing)."""
    return {
        "audioOnly": _("Audio only"),
        "cameraOn": _("Turn camera on"),
        "shareScreen": _("Share screen"),
        "stopShare": _("Stop sharing"),
        "enableSound": _("Turn on sound"),
        "screenOf": _("Screen of %(name)s"),
        "micOnly": _("No camera available: you take part with your microphone only."),
        "noDevices": _(
            "No camera or microphone available: you can see and hear the hearing, "
            "but not take part in it by voice."
        ),
        "shareFailed": _("Screen sharing was not started."),
        "unavailable": _("Video is not available in this hearing right now."),
        "refused": _("The video connection was refused"),
        "states": {
            "new": _("Video: starting"),
            "connecting": _("Video: connecting…"),
            "connected": _("Video: connected"),
            "disconnected": _("Video: connection unstable"),
            "failed": _("Video: reconnecting…"),
            "closed": _("Video: off"),
        },
    }
