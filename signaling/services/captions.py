"""Live captions of a hearing, signaling side: the switch, the notices, and the caption log.

* `captions_set` (chair or clerk, frame `captions.set`): stores `HearingLive.captions`, logs
  `captions.enabled` / `captions.disabled` and broadcasts the hearing state; `media_on_commit`
  then asks the pinned media worker to `captions.start` / `captions.stop` (and to start again
  whenever the hearing is re-pinned while captions are on). With no caption model for the
  hearing's language the switch is still recorded but the worker is not asked: the result says
  `available: false` and why, and the consumer sends the tribunal a notice.
* `captions_unavailable`: logs `captions.unavailable` (services/notices.py, once per language
  and reason) and builds the notice frame and who gets it (the tribunal).
* `caption_log`: one event-log row (kind "caption") per final caption, for the minutes.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from case_core.errors import DomainError, conflict
from case_core.models import Hearing, Invitee
from signaling.caption_support import caption_problem
from signaling.frames import addressed, hearing_frame, notice_frame
from signaling.services._common import TRIBUNAL, emit, hearing_action
from signaling.services.notices import speech_unavailable


def captions_set(*, actor, hearing_id: int, enabled: bool) -> dict:
    """Turn the hearing's live captions on or off. -> {"captions", "available"[, "code",
    "message", "engine"]}. Refusals: forbidden (not chair or clerk), no_change."""
    with hearing_action(hearing_id, actor, "captions.set") as ctx:
        if ctx.live.captions == enabled:
            raise conflict(
                "no_change",
                _("Live captions are already on.") if enabled else _("Live captions are off."),
            )
        problem = caption_problem(ctx.hearing.language) if enabled else None
        ctx.live.captions = enabled
        ctx.live.save(update_fields=["captions"])
        emit(
            ctx,
            "captions.enabled" if enabled else "captions.disabled",
            frame=hearing_frame(ctx.hearing, ctx.live),
            data={"language": ctx.hearing.language, "available": problem is None},
        )
        ctx.captions_ready = problem is None  # media_on_commit starts the worker's tap only then
    result = {"captions": enabled, "available": problem is None}
    if problem is not None:
        result.update(
            code=problem.code,
            message=str(problem.message),
            engine=(problem.details or {}).get("engine", "whisper"),
        )
    return result


def captions_unavailable(
    *, hearing_id: int, code: str, message: str = "", engine: str = "whisper"
) -> dict:
    """Log why the hearing has no live captions and build the tribunal's notice.
    -> {"frame": notice frame, "users": [tribunal user ids]}."""
    hearing = Hearing.objects.select_related("case").get(pk=hearing_id)
    with override(hearing.language):
        problem = caption_problem(hearing.language)  # the reason, in the hearing's language
        if problem is None or problem.code != code:
            problem = DomainError(code, message)
        speech_unavailable(hearing=hearing, error=problem, engine=engine, what="captions")
        text = _(
            "Live captions are unavailable in this hearing: %(reason)s "
            "Everything else in the hearing works as usual."
        ) % {"reason": problem.message}
    users = list(
        Invitee.objects.filter(hearing=hearing, role__in=TRIBUNAL).values_list("user_id", flat=True)
    )
    frame = addressed(
        notice_frame(
            text,
            {"captions": False, "code": problem.code, "language": hearing.language},
            event="captions.unavailable",
            at=timezone.now().isoformat(),
        ),
        hearing=hearing.pk,
    )
    return {"frame": frame, "users": users}


def caption_log(
    *, hearing_id: int, speaker: int | None, text: str, start: float, end: float, seq: int = 0
) -> None:
    """Append one final caption to the hearing's event log (no audit entry, no broadcast)."""
    with hearing_action(hearing_id, None) as ctx:
        emit(
            ctx,
            "caption",
            subject=speaker,
            room="main",
            data={"speaker": speaker, "text": text, "start": start, "end": end, "seq": seq},
            audit=False,
        )
