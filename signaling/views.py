"""The hearing page (staff and parties), parties' personal links and the join-credential endpoint.

GET  /hearings/<id>/                        the hearing page for a signed-in invitee
GET  /hearings/<id>/join/<token>/           a party's personal link: the code page, then (once
                                            this browser entered the texted code) the hearing page
POST /hearings/<id>/join/<token>/code/      text a one-time code to the party's phone
POST /hearings/<id>/join/<token>/verify/    enter it (field `code`); the session may then fetch
                                            credentials for this hearing
POST /hearings/<id>/credential/             a fresh join credential (JSON): signed-in session, or
                                            a session holding a verified personal link; rate limited
POST /hearings/<id>/links/<user>/           (clerk) send a party a new personal link (JSON)
POST /hearings/<id>/links/<user>/revoke/    (clerk) withdraw a person's personal link (JSON)

With `Accept: application/json` a refusal is the usual error JSON; otherwise the code page is shown
again with the message and the error's status.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from case_core.errors import DomainError, not_found
from case_core.models import Hearing, Invitee
from signaling.ice import ice_servers_for
from signaling.services import (
    credential_request,
    link_code_send,
    link_code_verify,
    link_open,
    link_revoke,
    link_send,
    link_session_user,
)
from signaling.services._common import PERMISSIONS
from signaling.services.links import masked_phone

SESSION_LINKS = "signaling.hearing_links"  # {str(hearing_id): HearingLink id}, code verified


def _page(request, hearing_id: int, user):
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
        "may": sorted(action for action, roles in PERMISSIONS.items() if invitee.role in roles),
        "maxChat": 2000,
        "iceServers": ice_servers_for(user.pk),  # with time-limited TURN credentials
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


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _session_link(request, hearing_id: int):
    return request.session.get(SESSION_LINKS, {}).get(str(hearing_id))


def _code_page(request, token: str, link, *, error=None):
    return render(
        request,
        "signaling/join_code.html",
        {
            "hearing": link.hearing,
            "token": token,
            "phone": masked_phone(link.user),
            "name": link.user.name,
            "error": error,
        },
        status=error.status if error is not None else 200,
    )


@require_GET
def join_link(request, hearing_id: int, token: str):
    link = link_open(token=token, hearing_id=hearing_id)
    if request.user.is_authenticated and request.user.pk == link.user_id:
        return redirect("signaling:hearing", hearing_id=hearing_id)  # signed in already
    if _session_link(request, hearing_id) == link.pk:
        user = link_session_user(link_id=link.pk, hearing_id=hearing_id)
        return _page(request, hearing_id, user)
    return _code_page(request, token, link)


@require_POST
def join_code(request, hearing_id: int, token: str):
    link = link_open(token=token, hearing_id=hearing_id)
    try:
        link = link_code_send(token=token, hearing_id=hearing_id, address=_address(request))
    except DomainError as error:
        if _wants_json(request) or error.status in (404, 410):
            raise
        return _code_page(request, token, link, error=error)
    phone = masked_phone(link.user)
    if _wants_json(request):
        return JsonResponse({"sent": True, "phone": phone})
    messages.success(
        request, _("A code was sent to your mobile phone %(phone)s.") % {"phone": phone}
    )
    return redirect("signaling:join_link", hearing_id=hearing_id, token=token)


@require_POST
def join_verify(request, hearing_id: int, token: str):
    link = link_open(token=token, hearing_id=hearing_id)
    try:
        link = link_code_verify(
            token=token,
            hearing_id=hearing_id,
            code=request.POST.get("code", ""),
            address=_address(request),
        )
    except DomainError as error:
        if _wants_json(request) or error.status in (404, 410):
            raise
        return _code_page(request, token, link, error=error)
    links = dict(request.session.get(SESSION_LINKS, {}))
    request.session.cycle_key()  # a new session id once the code is in
    links[str(hearing_id)] = link.pk
    request.session[SESSION_LINKS] = links
    if _wants_json(request):
        return JsonResponse({"verified": True})
    return redirect("signaling:join_link", hearing_id=hearing_id, token=token)


@require_POST
def credential(request, hearing_id: int):
    user = request.user
    link_id = _session_link(request, hearing_id)
    if link_id is not None:
        try:
            user = link_session_user(link_id=link_id, hearing_id=hearing_id)
        except DomainError:  # revoked or expired since: forget it, fall back to the sign-in
            links = dict(request.session.get(SESSION_LINKS, {}))
            links.pop(str(hearing_id), None)
            request.session[SESSION_LINKS] = links
    data = credential_request(user=user, hearing_id=hearing_id, address=_address(request))
    data["ws_url"] = _ws_base(request) + data["ws_path"]
    return JsonResponse(data)


@login_required
@require_POST
def link_new(request, hearing_id: int, user_id: int):
    link = link_send(actor=request.user, hearing_id=hearing_id, user_id=user_id)
    return JsonResponse(
        {"hearing": hearing_id, "user": user_id, "expires_at": link.expires_at.isoformat()}
    )


@login_required
@require_POST
def link_withdraw(request, hearing_id: int, user_id: int):
    count = link_revoke(actor=request.user, hearing_id=hearing_id, user_id=user_id)
    return JsonResponse({"hearing": hearing_id, "user": user_id, "revoked": count})


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
