"""Request and response bodies of the case file API (they are also its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from case_core.models import CaseRole, CaseStatus, Channel, DisputeKind, IdDocumentType, Procedure
from case_core.models.evidence import Opinion
from case_core.permissions import roles_on

# --- errors -------------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(..., description="Stable machine-readable code, e.g. invalid, not_found.")
    message: str = Field(..., description="Human-readable, in the request's language.")
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Extra facts: `field` names the offending input; `errors` lists schema errors.",
    )


class ErrorOut(Schema):
    error: ErrorBody


def with_errors(ok: dict, *extra: int) -> dict:
    """An operation's responses: `ok` plus the error statuses it may answer, all ErrorOut."""
    return {**ok, frozenset({400, 401, 403, 404, *extra}): ErrorOut}


# --- people -------------------------------------------------------------------------------------


class UserRef(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    staff_role: str
    is_clerk: bool


class LoginIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=4096)


class CsrfOut(Schema):
    csrf_token: str


# --- cases --------------------------------------------------------------------------------------


class DeadlineOut(Schema):
    name: str
    due: datetime | None
    overdue: bool


class AgentOut(Schema):
    id: int
    name: str
    kind: str


class PartyOut(Schema):
    id: int
    side: str
    is_organisation: bool
    name: str
    id_type: str
    id_number: str
    phone: str
    address: str
    relationship: str
    is_representative: bool
    agents: list[AgentOut]


class ClaimOut(Schema):
    id: int
    description: str
    amount: Decimal | None


class OpinionOut(Schema):
    id: int
    side: str
    author: UserRef
    authenticity: Opinion
    legality: Opinion
    relevance: Opinion
    comment: str
    created_at: datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    side: str
    submitted_by: UserRef
    submitted_at: datetime
    opinions: list[OpinionOut]


class HearingOut(Schema):
    id: int
    kind: str
    status: str
    scheduled_start: datetime
    language: str
    started_at: datetime | None
    ended_at: datetime | None


class CaseSummary(Schema):
    id: int
    number: str | None
    title: str
    kind: DisputeKind
    procedure: Procedure
    channel: Channel
    status: CaseStatus
    status_label: str
    submitted_at: datetime
    accepted_at: datetime | None
    overdue: list[str]

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj) -> list[str]:
        return obj.overdue()


class CaseDetail(CaseSummary):
    facts: str
    worker_count: int
    rejection_reason: str
    mediation_outcome: str
    award_extended: bool
    award_text: str
    awarded_at: datetime | None
    withdrawal_reason: str
    closed_at: datetime | None
    deadlines: list[DeadlineOut]
    my_roles: list[CaseRole] = Field(..., description="The caller's roles on this case.")
    parties: list[PartyOut]
    claims: list[ClaimOut]
    evidence: list[EvidenceOut]
    hearings: list[HearingOut]

    @staticmethod
    def resolve_deadlines(obj) -> list[dict]:
        late = set(obj.overdue())
        return [{"name": k, "due": when, "overdue": k in late} for k, when in obj.deadlines()]

    @staticmethod
    def resolve_my_roles(obj, context) -> list[str]:
        return sorted(roles_on(context["request"].auth, obj))


# Page numbers are bounded so that (page - 1) * page_size stays a valid SQL OFFSET everywhere.
MAX_PAGE = 1_000_000


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=100)


class CaseFilter(PageParams):
    status: CaseStatus | None = None


class TimelineParams(PageParams):
    views: bool = Field(
        False, description="Clerks: also list who read the file (`*.viewed`, `*.exported`)."
    )


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseSummary]


class AuditEntryOut(Schema):
    """One entry of the case's own hash chain. Anyone can recompute `hash`: SHA-256 of the JSON
    (keys sorted, UTF-8, Python's default separators) of `hashed` plus `seq` and `prev` (the
    `prev_hash`); docs/record-integrity.md."""

    seq: int
    action: str
    actor: UserRef | None
    data: dict[str, Any]
    created_at: datetime
    prev_hash: str
    hash: str
    hashed: dict[str, Any] = Field(
        description="The fields the hash covers, exactly (full-precision timestamp, ids)."
    )

    @staticmethod
    def resolve_hashed(obj) -> dict[str, Any]:
        return obj.chain_fields()


class TimelinePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AuditEntryOut]


# --- submission ---------------------------------------------------------------------------------


class PartyIn(Schema):
    name: str
    id_type: IdDocumentType
    id_number: str
    is_organisation: bool = False
    phone: str = Field("", max_length=32)
    address: str = Field("", max_length=300)
    relationship: str = Field("", max_length=64)
    is_representative: bool = False
    agents: list[str] = Field(default_factory=list, max_length=10)


class ClaimIn(Schema):
    description: str
    amount: Decimal | None = Field(None, description="CNY; a number or a decimal string.")


class CaseIn(Schema):
    kind: DisputeKind
    procedure: Procedure
    channel: Channel = Field(
        Channel.ONLINE, description="Only clerks record on-site, appointment or mail filings."
    )
    title: str
    facts: str
    worker_count: int = Field(1, ge=1, le=100000)
    applicants: list[PartyIn]
    respondents: list[PartyIn]
    claims: list[ClaimIn]


# --- evidence and members -----------------------------------------------------------------------


class OpinionIn(Schema):
    authenticity: Opinion
    legality: Opinion
    relevance: Opinion
    comment: str = Field("", max_length=5000)


class MemberIn(Schema):
    user_id: int
    role: CaseRole
    party_id: int | None = None


class MemberOut(Schema):
    id: int
    user: UserRef
    role: str
    party_id: int | None
    active: bool


# --- staff transitions --------------------------------------------------------------------------


class RejectIn(Schema):
    reasons: str


class ReferMediationIn(Schema):
    mediator_id: int


class OutcomeIn(Schema):
    outcome: str = ""


class AssignIn(Schema):
    presiding_id: int
    member_ids: list[int] = Field(
        default_factory=list, description="Empty for a sole arbitrator, two for a panel."
    )


class ScheduleIn(Schema):
    start: datetime = Field(..., description="ISO 8601 with a time zone, at least 5 days ahead.")
    language: str = "zh-hans"


class AwardIn(Schema):
    text: str


class ReasonIn(Schema):
    reason: str


class OverdueCase(CaseSummary):
    deadlines: list[DeadlineOut]

    @staticmethod
    def resolve_deadlines(obj) -> list[dict]:
        return CaseDetail.resolve_deadlines(obj)


class QueuePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseSummary]


class OverduePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OverdueCase]
