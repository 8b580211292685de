"""Filing an application: the one way a case enters the case file."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from case_core.audit import audit_record
from case_core.errors import DomainError, invalid
from case_core.models import (
    Agent,
    Case,
    CaseRole,
    Channel,
    Claim,
    DisputeKind,
    Membership,
    Party,
    PartySide,
    Procedure,
    User,
)
from case_core.validators import require_text, validate_id_document

COLLECTIVE_MIN_WORKERS = 10
MAX_PARTIES = 200
MAX_CLAIMS = 50


@dataclass
class PartyInput:
    name: str
    id_type: str
    id_number: str
    is_organisation: bool = False
    phone: str = ""
    address: str = ""
    relationship: str = ""
    is_representative: bool = False
    agents: list[str] = field(default_factory=list)


@dataclass
class ClaimInput:
    description: str
    amount: Decimal | str | None = None


def _check_party(p: PartyInput, where: str, *, id_optional: bool = False) -> PartyInput:
    """A respondent may be known only by name and address (the clerk completes its identifier)."""
    p.name = require_text(p.name, field=f"{where}.name", max_length=200)
    if id_optional and not (p.id_number or "").strip():
        p.id_number = ""
        p.address = require_text(p.address, field=f"{where}.address", max_length=300)
        return p
    p.id_number = validate_id_document(p.id_type, p.id_number, field=f"{where}.id_number")
    return p


def _check_claim(c: ClaimInput, where: str) -> tuple[str, Decimal | None]:
    text = require_text(c.description, field=f"{where}.description", max_length=500)
    if c.amount in (None, ""):
        return text, None
    try:
        amount = Decimal(str(c.amount))
    except InvalidOperation:
        raise invalid(
            _("The amount must be a number."), details={"field": f"{where}.amount"}
        ) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise invalid(
            _("The amount must be zero or more and below one trillion."),
            details={"field": f"{where}.amount"},
        )
    return text, amount.quantize(Decimal("0.01"))


def _attempt(problems: list[DomainError], check, *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except DomainError as error:
        problems.append(error)
        return None


def application_problems(
    *,
    actor: User,
    kind: str,
    procedure: str,
    channel: str,
    title: str,
    facts: str,
    applicants: list[PartyInput],
    respondents: list[PartyInput],
    claims: list[ClaimInput],
    worker_count: int = 1,
) -> tuple[list[DomainError], dict]:
    """Every problem of an application at once (each a DomainError naming its field), and the
    checked values; the form shows them all in one pass, case_submit refuses on the first."""
    problems: list[DomainError] = []
    checked: dict = {}
    if kind not in DisputeKind.values:
        problems.append(invalid(_("Unknown dispute kind."), details={"field": "kind"}))
    if procedure not in Procedure.values:
        problems.append(invalid(_("Unknown procedure."), details={"field": "procedure"}))
    if channel not in Channel.values:
        problems.append(invalid(_("Unknown submission channel."), details={"field": "channel"}))
    if kind == DisputeKind.COLLECTIVE and channel == Channel.ONLINE:
        problems.append(
            invalid(
                _(
                    "Collective disputes cannot be filed online; please apply on site or by appointment."
                ),
                details={"field": "channel"},
            )
        )
    elif channel != Channel.ONLINE and not actor.is_clerk:
        problems.append(
            invalid(
                _(
                    "Only a clerk can record an application received on site, by appointment or by mail."
                ),
                details={"field": "channel"},
            )
        )
    checked["title"] = _attempt(problems, require_text, title, field="title", max_length=200)
    checked["facts"] = _attempt(problems, require_text, facts, field="facts", max_length=20000)
    if not applicants or not respondents:
        problems.append(
            invalid(_("An application needs at least one applicant and one respondent."))
        )
    if len(applicants) + len(respondents) > MAX_PARTIES or len(claims) > MAX_CLAIMS:
        problems.append(invalid(_("Too many parties or claims in one application.")))
        return problems, checked
    if not claims:
        problems.append(invalid(_("State at least one claim."), details={"field": "claims"}))
    for i, p in enumerate(applicants):
        _attempt(problems, _check_party, p, f"applicants[{i}]")
    for i, p in enumerate(respondents):
        _attempt(problems, _check_party, p, f"respondents[{i}]", id_optional=True)
    checked["claims"] = [
        _attempt(problems, _check_claim, c, f"claims[{i}]") for i, c in enumerate(claims)
    ]
    if kind in (DisputeKind.WORK_DEATH, DisputeKind.NON_WORK_DEATH):
        if any(not p.relationship.strip() for p in applicants):
            problems.append(
                invalid(
                    _(
                        "In a death case each applicant must state their relationship to the deceased."
                    ),
                    details={"field": "applicants"},
                )
            )
    if kind == DisputeKind.COLLECTIVE:
        if worker_count < COLLECTIVE_MIN_WORKERS:
            problems.append(
                invalid(
                    _("A collective dispute involves at least %(n)d workers.")
                    % {"n": COLLECTIVE_MIN_WORKERS},
                    details={"field": "worker_count"},
                )
            )
        if not any(p.is_representative for p in applicants):
            problems.append(
                invalid(
                    _("A collective dispute needs at least one elected representative."),
                    details={"field": "applicants"},
                )
            )
    return problems, checked


def case_submit(
    *,
    actor: User,
    kind: str,
    procedure: str,
    channel: str,
    title: str,
    facts: str,
    applicants: list[PartyInput],
    respondents: list[PartyInput],
    claims: list[ClaimInput],
    worker_count: int = 1,
) -> Case:
    """File an application. Online filers become the first applicant; clerks file for others.

    A respondent's identifier is optional: its name and address are enough to file."""
    problems, checked = application_problems(
        actor=actor,
        kind=kind,
        procedure=procedure,
        channel=channel,
        title=title,
        facts=facts,
        applicants=applicants,
        respondents=respondents,
        claims=claims,
        worker_count=worker_count,
    )
    if problems:
        raise problems[0]
    title, facts, checked_claims = checked["title"], checked["facts"], checked["claims"]

    with transaction.atomic():
        case = Case.objects.create(
            kind=kind,
            procedure=procedure,
            channel=channel,
            title=title,
            facts=facts,
            worker_count=max(worker_count, 1),
            submitted_by=actor,
        )
        first_applicant = None
        for side, group in ((PartySide.APPLICANT, applicants), (PartySide.RESPONDENT, respondents)):
            for p in group:
                party = Party.objects.create(
                    case=case,
                    side=side,
                    is_organisation=p.is_organisation,
                    name=p.name,
                    id_type=p.id_type,
                    id_number=p.id_number,
                    phone=p.phone.strip(),
                    address=p.address.strip(),
                    relationship=p.relationship.strip(),
                    is_representative=p.is_representative,
                )
                for agent_name in p.agents:
                    Agent.objects.create(
                        party=party, name=require_text(agent_name, field="agents", max_length=200)
                    )
                if first_applicant is None and side == PartySide.APPLICANT:
                    first_applicant = party
        for text, amount in checked_claims:
            Claim.objects.create(case=case, description=text, amount=amount)
        if channel == Channel.ONLINE:
            first_applicant.user = actor
            first_applicant.save(update_fields=["user"])
            Membership.objects.create(
                case=case, user=actor, role=CaseRole.APPLICANT, party=first_applicant
            )
        audit_record(
            actor=actor,
            case=case,
            action="case.submitted",
            data={
                "kind": kind,
                "procedure": procedure,
                "channel": channel,
                "applicants": [p.name for p in applicants],
                "respondents": [p.name for p in respondents],
                "claims": len(checked_claims),
            },
        )
    return case
