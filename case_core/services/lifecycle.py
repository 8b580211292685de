"""The case lifecycle: each transition guarded, transactional and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import conflict, invalid
from case_core.models import (
    Case,
    CaseRole,
    CaseStatus,
    Hearing,
    HearingKind,
    Invitee,
    Membership,
    Procedure,
    StaffRole,
    User,
)
from case_core.models.cases import HEARING_NOTICE_DAYS, OPEN_STATUSES
from case_core.numbering import next_case_number
from case_core.permissions import authorize
from case_core.services.members import notify_members
from case_core.validators import require_text

S = CaseStatus


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _transition(case: Case, action: str, allowed_from: tuple[str, ...]) -> None:
    if case.status not in allowed_from:
        raise conflict(
            "invalid_transition",
            _("This case is %(status)s; that action is not possible now.")
            % {"status": case.get_status_display()},
        )


def _apply(actor, case: Case, action: str, allowed_from, mutate, data=None, notice=None) -> Case:
    """Lock, authorise, check the state, mutate, save, audit, notify: the shape of every step."""
    with transaction.atomic():
        case = _lock(case)
        authorize(actor, case, f"case.{action}")
        _transition(case, action, allowed_from)
        before = case.status
        mutate(case)
        case.save()
        audit_record(
            actor=actor,
            case=case,
            action=f"case.{action}",
            data={"from": before, "to": case.status, **(data or {})},
        )
        if notice:
            transaction.on_commit(lambda: notify_members(case=case, subject=notice))
    return case


def case_accept(*, actor: User, case: Case) -> Case:
    def mutate(c: Case):
        c.status = S.ACCEPTED
        c.accepted_at = timezone.now()
        c.number = next_case_number(c)

    return _apply(actor, case, "accept", (S.SUBMITTED,), mutate, notice=_("Your case was accepted"))


def case_reject(*, actor: User, case: Case, reasons: str) -> Case:
    reasons = require_text(reasons, field="reasons", max_length=5000)

    def mutate(c: Case):
        c.status = S.REJECTED
        c.rejection_reason = reasons

    return _apply(
        actor,
        case,
        "reject",
        (S.SUBMITTED,),
        mutate,
        {"reasons": reasons},
        notice=_("Your application was not accepted"),
    )


def _require_staff(user: User | None, role: str, field: str) -> User:
    if not isinstance(user, User) or not user.is_active or user.staff_role != role:
        raise invalid(_("Choose a member of staff with the right role."), details={"field": field})
    return user


def _add_member(case: Case, user: User, role: str) -> None:
    Membership.objects.update_or_create(case=case, user=user, role=role, defaults={"active": True})


def case_refer_mediation(*, actor: User, case: Case, mediator: User) -> Case:
    mediator = _require_staff(mediator, StaffRole.MEDIATOR, "mediator")

    def mutate(c: Case):
        c.status = S.IN_MEDIATION
        c.mediation_started_at = timezone.now()
        _add_member(c, mediator, CaseRole.MEDIATOR)

    return _apply(
        actor,
        case,
        "refer_mediation",
        (S.ACCEPTED,),
        mutate,
        {"mediator": mediator.pk},
        notice=_("Your case was referred to pre-mediation"),
    )


def case_mediation_agreed(*, actor: User, case: Case, outcome: str) -> Case:
    outcome = require_text(outcome, field="outcome", max_length=10000)

    def mutate(c: Case):
        c.status = S.MEDIATED
        c.mediation_outcome = outcome

    return _apply(actor, case, "mediation_agreed", (S.IN_MEDIATION,), mutate, {"outcome": outcome})


def case_mediation_failed(*, actor: User, case: Case, outcome: str = "") -> Case:
    def mutate(c: Case):
        c.status = S.ACCEPTED
        c.procedure = Procedure.ARBITRATION
        c.mediation_outcome = (outcome or "").strip()

    return _apply(actor, case, "mediation_failed", (S.IN_MEDIATION,), mutate)


def case_assign(
    *, actor: User, case: Case, presiding: User, members: list[User] | None = None
) -> Case:
    """Assign a sole arbitrator (no members) or a panel of three (presiding plus two)."""
    members = list(members or [])
    presiding = _require_staff(presiding, StaffRole.ARBITRATOR, "presiding")
    for i, m in enumerate(members):
        _require_staff(m, StaffRole.ARBITRATOR, f"members[{i}]")
    if len(members) not in (0, 2):
        raise invalid(
            _("A tribunal is a sole arbitrator or a panel of three."), details={"field": "members"}
        )
    if len({presiding.pk, *(m.pk for m in members)}) != 1 + len(members):
        raise invalid(
            _("Each arbitrator can sit only once on a panel."), details={"field": "members"}
        )

    def mutate(c: Case):
        c.status = S.ASSIGNED
        Membership.objects.filter(
            case=c, role__in=[CaseRole.PRESIDING, CaseRole.ARBITRATOR]
        ).update(active=False)
        _add_member(c, presiding, CaseRole.PRESIDING)
        for m in members:
            _add_member(c, m, CaseRole.ARBITRATOR)

    return _apply(
        actor,
        case,
        "assign",
        (S.ACCEPTED, S.ASSIGNED),
        mutate,
        {"presiding": presiding.pk, "members": [m.pk for m in members]},
        notice=_("A tribunal was assigned to your case"),
    )


def case_schedule(*, actor: User, case: Case, start: datetime, language: str = "zh-hans") -> Case:
    """Schedule a hearing at least five days ahead and invite the tribunal, clerk and parties."""
    if not isinstance(start, datetime) or timezone.is_naive(start):
        raise invalid(
            _("Give the start as a date and time with a time zone."), details={"field": "start"}
        )
    if start < timezone.now() + timedelta(days=HEARING_NOTICE_DAYS):
        raise invalid(
            _("A hearing must be notified at least %(n)d days ahead.") % {"n": HEARING_NOTICE_DAYS},
            details={"field": "start"},
        )
    if language not in ("zh-hans", "en"):
        raise invalid(_("Unsupported hearing language."), details={"field": "language"})
    created = {}

    def mutate(c: Case):
        c.status = S.SCHEDULED
        hearing = Hearing.objects.create(
            case=c, kind=HearingKind.ARBITRATION, scheduled_start=start, language=language
        )
        invite_members(hearing, clerk=actor if actor.is_clerk else None)
        created["hearing"] = hearing

    case = _apply(
        actor,
        case,
        "schedule",
        (S.ASSIGNED, S.HEARD),
        mutate,
        {"start": start.isoformat()},
        notice=_("A hearing was scheduled in your case"),
    )
    case.new_hearing = created["hearing"]
    return case


def invite_members(hearing: Hearing, *, clerk: User | None) -> None:
    """Invite every active member of the case to the hearing, each in their hearing role."""
    role_map = {
        CaseRole.PRESIDING: "presiding",
        CaseRole.ARBITRATOR: "arbitrator",
        CaseRole.MEDIATOR: "mediator",
        CaseRole.CLERK: "clerk",
        CaseRole.APPLICANT: "applicant",
        CaseRole.RESPONDENT: "respondent",
        CaseRole.AGENT: "agent",
        CaseRole.LEGAL_AID: "observer",
        CaseRole.OBSERVER: "observer",
    }
    if clerk is not None:
        Invitee.objects.get_or_create(hearing=hearing, user=clerk, defaults={"role": "clerk"})
    for m in Membership.objects.filter(case=hearing.case, active=True).select_related("party"):
        if hearing.kind == HearingKind.ARBITRATION and m.role == CaseRole.MEDIATOR:
            continue
        Invitee.objects.get_or_create(
            hearing=hearing, user=m.user, defaults={"role": role_map[m.role], "party": m.party}
        )


def case_hearing_held(*, actor: User, case: Case) -> Case:
    def mutate(c: Case):
        c.status = S.HEARD

    return _apply(actor, case, "hearing_held", (S.SCHEDULED,), mutate)


def case_award(*, actor: User, case: Case, text: str) -> Case:
    text = require_text(text, field="text", max_length=50000)

    def mutate(c: Case):
        c.status = S.AWARDED
        c.award_text = text
        c.awarded_at = timezone.now()

    return _apply(
        actor,
        case,
        "award",
        (S.HEARD,),
        mutate,
        {"award": text},
        notice=_("The award in your case was made"),
    )


def case_extend(*, actor: User, case: Case, reason: str) -> Case:
    reason = require_text(reason, field="reason", max_length=2000)

    def mutate(c: Case):
        if c.award_extended:
            raise conflict("already_extended", _("The award deadline was already extended."))
        c.award_extended = True

    after_acceptance = tuple(s for s in OPEN_STATUSES if s != S.SUBMITTED)
    return _apply(actor, case, "extend", after_acceptance, mutate, {"reason": reason})


def case_withdraw(*, actor: User, case: Case, reason: str) -> Case:
    reason = require_text(reason, field="reason", max_length=2000)

    def mutate(c: Case):
        c.status = S.WITHDRAWN
        c.withdrawal_reason = reason

    return _apply(
        actor,
        case,
        "withdraw",
        OPEN_STATUSES,
        mutate,
        {"reason": reason},
        notice=_("The application was withdrawn"),
    )


def case_close(*, actor: User, case: Case) -> Case:
    def mutate(c: Case):
        c.status = S.CLOSED
        c.closed_at = timezone.now()

    return _apply(
        actor,
        case,
        "close",
        (S.AWARDED, S.MEDIATED, S.WITHDRAWN, S.REJECTED),
        mutate,
        notice=_("Your case was closed"),
    )
