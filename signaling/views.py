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
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from case_core.errors import DomainError, not_found
from case_core.models import Hearing, Invitee
from signaling.ice import ice_servers_for
from signaling.models import IdentityMethod
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
    language = get_language()
    config = {
        "hearingId": hearing.pk,
        "userId": user.pk,
        "role": invitee.role,
        "language": language,
        # The page's language: server notices and errors come back in it.
        "wsPath": f"/ws/hearings/{hearing.pk}/?lang={language}",
        "heartbeat": settings.TRIBUNAL_WS_HEARTBEAT,
        "credentialUrl": f"/hearings/{hearing.pk}/credential/",
        "may": sorted(action for action, roles in PERMISSIONS.items() if invitee.role in roles),
        "maxChat": 2000,
        "iceServers": ice_servers_for(user.pk),  # with time-limited TURN credentials
        "strings": js_strings(),
    }
    return render(
        request,
        "signaling/hearing.html",
        {
            "hearing": hearing,
            "invitee": invitee,
            "user_name": user.name,
            "config": config,
            "identity_methods": IdentityMethod.choices,
            # Back to the case page: for a signed-in person (a personal link has no sign-in).
            "case_url": reverse("web:case", args=[hearing.case_id])
            if request.user.is_authenticated and request.user.pk == user.pk
            else "",
        },
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
    """Every user-facing string of hearing.js, precheck.js and media.js, in the request's language."""
    return {
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost; reconnecting…"),
        "connected": _("Connected"),
        "disconnected": _("Disconnected"),
        "tryAgain": _("Try again"),
        "waiting": _(
            "Stay on this page. When the tribunal admits you, the hearing opens here by itself."
        ),
        "waitingObserver": _(
            "You attend as an observer: once admitted you see and hear the hearing, "
            "but cannot speak or write in it."
        ),
        "waitingStates": {
            "notOpen": _("The hearing is not open yet."),
            "verifying": _(
                "The clerk will check your identity on camera: have your identity document ready."
            ),
            "admitting": _("Your identity is checked. The tribunal will admit you shortly."),
            "observer": _("The tribunal will admit you when the hearing starts."),
        },
        "ends": {
            "left": {
                "title": _("You left the hearing"),
                "text": _("You can rejoin while the hearing is open."),
            },
            "closed": {
                "title": _("The hearing has ended"),
                "text": _("The record and any decision will appear on the case page."),
            },
            "refused": {
                "title": _("You were not admitted"),
                "text": _("The tribunal did not admit you to this hearing."),
            },
            "removed": {
                "title": _("You were removed from the hearing"),
                "text": _("The tribunal removed you from this hearing."),
            },
            "replaced": {
                "title": _("The hearing is open in another window"),
                "text": _("You joined from another window or device; this one is closed."),
            },
            "denied": {
                "title": _("You cannot join this hearing"),
                "text": _("This link or sign-in does not give access to this hearing."),
            },
        },
        "credentialFailed": _("Could not get a credential to join this hearing."),
        "recording": _("Recording"),
        "admit": _("Admit"),
        "admitAll": _("Admit all verified"),
        "invited": _("%(name)s is invited to the hearing."),
        "invitedLink": _("%(name)s is invited; a personal link was sent by text message."),
        "refuse": _("Refuse"),
        "refuseTitle": _("Refuse %(name)s?"),
        "refuseText": _("They are disconnected and cannot rejoin this hearing."),
        "remove": _("Remove"),
        "removeTitle": _("Remove %(name)s from the hearing?"),
        "removeText": _("They are disconnected and cannot rejoin this hearing."),
        "verify": _("Verify identity"),
        "verifyAgain": _("Check identity again"),
        "verifyWho": _("%(name)s (%(role)s)"),
        "why": {
            "notLive": _("Open the waiting room first."),
            "notPresent": _("Not connected right now."),
            "verifyFirst": _("Verify the identity first."),
            "locked": _("The main room is locked."),
        },
        "devices": {
            "ok": _("camera and microphone"),
            "audio_only": _("microphone only"),
            "none": _("no camera or microphone"),
        },
        "mute": _("Mute"),
        "askUnmute": _("Ask to unmute"),
        "grantFloor": _("Give the floor"),
        "revokeFloor": _("Take back the floor"),
        "moveTo": _("Move to…"),
        "moveWho": _("Move %(name)s to another room"),
        "raiseHand": _("Raise hand"),
        "lowerHand": _("Lower hand"),
        "muteMe": _("Mute"),
        "unmuteMe": _("Unmute"),
        "chat": _("Chat"),
        "participants": _("Participants"),
        "more": _("More"),
        "gallery": _("Gallery view"),
        "speakerView": _("Speaker view"),
        "lowBandwidth": _("Weak connection: send less video"),
        "lowBandwidthNext": _("Less video is sent from the next time your camera starts."),
        "hearingControls": _("Hearing"),
        "endTitle": _("End the hearing for everyone?"),
        "endText": _(
            "Everyone is disconnected and the hearing cannot be reopened. "
            "To stop for a while, use Pause or Adjourn instead."
        ),
        "lockMain": _("Lock main room"),
        "unlockMain": _("Unlock main room"),
        "locked": pgettext("room", "locked"),
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
        "actions": {
            "open": _("Open waiting room"),
            "start": _("Start hearing"),
            "pause": _("Pause"),
            "resume": _("Resume"),
            "adjourn": _("Adjourn"),
            "close": _("End hearing"),
        },
        "status": {
            "scheduled": pgettext("hearing status", "Scheduled"),
            "open": pgettext("hearing status", "Waiting room open"),
            "in_session": pgettext("hearing status", "In session"),
            "paused": pgettext("hearing status", "Paused"),
            "adjourned": pgettext("hearing status", "Adjourned"),
            "closed": pgettext("hearing status", "Ended"),
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
        "precheck": precheck_strings(),
        "captions": {
            "on": _("Turn captions on"),
            "off": _("Turn captions off"),
            "label": _("Live captions"),
            "line": _("%(name)s (%(role)s):"),
        },
    }


def precheck_strings() -> dict:
    """The user-facing strings of precheck.js (the device check)."""
    return {
        "device": _("Device %(n)s"),
        "heard": _(
            "Did you hear a short tone? If not, choose another speaker or turn the volume up."
        ),
        "blocked": _(
            "Your browser blocks the camera and microphone for this site. Allow them: click the "
            "camera or lock icon in the address bar (on a phone: the browser's site settings), "
            "choose Allow, then try again."
        ),
        "soundBlocked": _("Your browser blocked the sound. Tap the page, then try again."),
        "results": {
            "ok": _("Camera and microphone work."),
            "audio_only": _("No camera: you will take part with your microphone only."),
            "none": _(
                "No camera or microphone: you can see and hear the hearing, but not speak in it."
            ),
        },
    }


def media_strings() -> dict:
    """The user-facing strings of media.js (the video hearing)."""
    return {
        "cameraOn": _("Start camera"),
        "cameraOff": _("Stop camera"),
        "shareScreen": _("Share screen"),
        "stopShare": _("Stop sharing"),
        "enableSound": _("Turn on sound"),
        "soundBlockedText": _(
            "Your browser blocked the hearing's sound. Press the button to hear the others."
        ),
        "blocked": _(
            "Your browser blocks the camera and microphone for this site. Allow them: click the "
            "camera or lock icon in the address bar (on a phone: the browser's site settings), "
            "choose Allow, then try again."
        ),
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
