"""Cases: list and read what the caller may see, the timeline, filing, and linking members."""

from __future__ import annotations

from ninja import Query, Router, Status

from case_core.api.common import api_field_names, load_case, paginate, user_by_id
from case_core.api.schemas import (
    CaseDetail,
    CaseFilter,
    CaseIn,
    CasePage,
    MemberIn,
    MemberOut,
    TimelinePage,
    TimelineParams,
    with_errors,
)
from case_core.audit import audit_record
from case_core.models import Party
from case_core.selectors import case_timeline, cases_visible_to
from case_core.services import case_submit
from case_core.services.members import case_add_member
from case_core.services.submission import ClaimInput, PartyInput

router = Router(tags=["cases"])


@router.get("", response=with_errors({200: CasePage}))
def list_cases(request, filters: Query[CaseFilter]):
    """Cases the caller has a role on (every case for clerks), newest first."""
    cases = cases_visible_to(request.auth)
    if filters.status:
        cases = cases.filter(status=filters.status)
    return paginate(cases, page=filters.page, page_size=filters.page_size)


@router.post("", response=with_errors({201: CaseDetail}))
def submit_case(request, payload: CaseIn):
    """File an application. Collective disputes cannot be filed online."""
    data = payload.model_dump(mode="json")
    case = case_submit(
        actor=request.auth,
        kind=data["kind"],
        procedure=data["procedure"],
        channel=data["channel"],
        title=data["title"],
        facts=data["facts"],
        worker_count=data["worker_count"],
        applicants=[PartyInput(**p) for p in data["applicants"]],
        respondents=[PartyInput(**p) for p in data["respondents"]],
        claims=[ClaimInput(**c) for c in data["claims"]],
    )
    return Status(201, load_case(request, case.pk, detail=True))


@router.get("/{case_id}", response=with_errors({200: CaseDetail}))
def read_case(request, case_id: int):
    """The case file: parties, agents, claims, deadlines, evidence, hearings. The read is audited."""
    case = load_case(request, case_id, detail=True)
    audit_record(actor=request.auth, case=case, action="case.viewed")
    return case


@router.get("/{case_id}/timeline", response=with_errors({200: TimelinePage}))
def timeline(request, case_id: int, params: Query[TimelineParams]):
    """The case's audit-log entries, oldest first. Entries recording who read the file
    (`*.viewed`, `*.exported`) are listed for clerks only, with `views=true`, as on the case page."""
    case = load_case(request, case_id)
    entries = case_timeline(case, request.auth, include_reading=params.views)
    return paginate(entries, page=params.page, page_size=params.page_size)


@router.post("/{case_id}/members", response=with_errors({201: MemberOut}))
def add_member(request, case_id: int, payload: MemberIn):
    """A clerk links a party's or agent's account, a legal-aid officer or a trainee observer."""
    case = load_case(request, case_id, "case.assign")
    user = user_by_id(payload.user_id, field="user_id")
    party = None
    if payload.party_id is not None:
        party = Party.objects.filter(pk=payload.party_id, case=case).first()
    with api_field_names({"party": "party_id", "role": "role"}):
        membership = case_add_member(
            actor=request.auth, case=case, user=user, role=payload.role, party=party
        )
    return Status(201, membership)
