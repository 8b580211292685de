"""Lifecycle transitions of a case. Each answers with the case as it now stands.

Who may do each step is the permission matrix (case_core.permissions); a step not possible in
the case's status answers 409 `invalid_transition`.
"""

from __future__ import annotations

from ninja import Router

from case_core import services
from case_core.api.common import api_field_names, load_case, user_by_id
from case_core.api.schemas import (
    AssignIn,
    AwardIn,
    CaseDetail,
    OutcomeIn,
    ReasonIn,
    ReferMediationIn,
    RejectIn,
    ScheduleIn,
    with_errors,
)

router = Router(tags=["transitions"])
RESPONSES = with_errors({200: CaseDetail}, 409)


def _done(request, case):
    return load_case(request, case.pk, detail=True)


@router.post("/{case_id}/accept", response=RESPONSES)
def accept(request, case_id: int):
    """Accept the application; the case receives its number."""
    case = load_case(request, case_id, "case.accept")
    return _done(request, services.case_accept(actor=request.auth, case=case))


@router.post("/{case_id}/reject", response=RESPONSES)
def reject(request, case_id: int, payload: RejectIn):
    case = load_case(request, case_id, "case.reject")
    return _done(
        request, services.case_reject(actor=request.auth, case=case, reasons=payload.reasons)
    )


@router.post("/{case_id}/refer-mediation", response=RESPONSES)
def refer_mediation(request, case_id: int, payload: ReferMediationIn):
    case = load_case(request, case_id, "case.refer_mediation")
    mediator = user_by_id(payload.mediator_id, field="mediator_id")
    with api_field_names({"mediator": "mediator_id"}):
        case = services.case_refer_mediation(actor=request.auth, case=case, mediator=mediator)
    return _done(request, case)


@router.post("/{case_id}/mediation-agreed", response=RESPONSES)
def mediation_agreed(request, case_id: int, payload: OutcomeIn):
    case = load_case(request, case_id, "case.mediation_agreed")
    return _done(
        request,
        services.case_mediation_agreed(actor=request.auth, case=case, outcome=payload.outcome),
    )


@router.post("/{case_id}/mediation-failed", response=RESPONSES)
def mediation_failed(request, case_id: int, payload: OutcomeIn):
    """Mediation failed: the case goes on to arbitration."""
    case = load_case(request, case_id, "case.mediation_failed")
    return _done(
        request,
        services.case_mediation_failed(actor=request.auth, case=case, outcome=payload.outcome),
    )


@router.post("/{case_id}/assign", response=RESPONSES)
def assign(request, case_id: int, payload: AssignIn):
    """A sole arbitrator (no member_ids) or a panel of three (presiding plus two)."""
    case = load_case(request, case_id, "case.assign")
    presiding = user_by_id(payload.presiding_id, field="presiding_id")
    members = [
        user_by_id(uid, field=f"member_ids[{i}]") for i, uid in enumerate(payload.member_ids)
    ]
    with api_field_names({"presiding": "presiding_id", "members": "member_ids"}):
        case = services.case_assign(
            actor=request.auth, case=case, presiding=presiding, members=members
        )
    return _done(request, case)


@router.post("/{case_id}/schedule", response=RESPONSES)
def schedule(request, case_id: int, payload: ScheduleIn):
    """Schedule a hearing (at least 5 days ahead) and invite everyone on the case."""
    case = load_case(request, case_id, "case.schedule")
    return _done(
        request,
        services.case_schedule(
            actor=request.auth, case=case, start=payload.start, language=payload.language
        ),
    )


@router.post("/{case_id}/hearing-held", response=RESPONSES)
def hearing_held(request, case_id: int):
    case = load_case(request, case_id, "case.hearing_held")
    return _done(request, services.case_hearing_held(actor=request.auth, case=case))


@router.post("/{case_id}/award", response=RESPONSES)
def award(request, case_id: int, payload: AwardIn):
    case = load_case(request, case_id, "case.award")
    return _done(request, services.case_award(actor=request.auth, case=case, text=payload.text))


@router.post("/{case_id}/extend", response=RESPONSES)
def extend(request, case_id: int, payload: ReasonIn):
    """Extend the award deadline by 15 days (once)."""
    case = load_case(request, case_id, "case.extend")
    return _done(
        request, services.case_extend(actor=request.auth, case=case, reason=payload.reason)
    )


@router.post("/{case_id}/withdraw", response=RESPONSES)
def withdraw(request, case_id: int, payload: ReasonIn):
    """The applicant (or their agent) withdraws the application, until the award."""
    case = load_case(request, case_id, "case.withdraw")
    return _done(
        request, services.case_withdraw(actor=request.auth, case=case, reason=payload.reason)
    )


@router.post("/{case_id}/close", response=RESPONSES)
def close(request, case_id: int):
    case = load_case(request, case_id, "case.close")
    return _done(request, services.case_close(actor=request.auth, case=case))
