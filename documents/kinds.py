"""The document kinds: what each is called, its template, who signs it and who is served.

A kind's text is a Django template per language, `documents/kinds/<name>.<language>.txt`
(languages: zh-hans and en): its first line is the title, the rest the body (blank lines separate
paragraphs). The template sees the case file (documents.context.case_context). Adding a kind is a
template pair plus one `Kind(...)` line below; the mediation agreement is one such line.

    signers   "seal": the committee seal alone (notices); "tribunal": the case's presiding
              arbitrator and arbitrators sign, then the seal (the award); "mediator": the
              mediator (else the tribunal), then the seal
    serve_on  "parties": every applicant, respondent and agent on the case; "applicant" or
              "respondent": that side only (e.g. the notice to answer goes to the respondent)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from case_core.models import Case, CaseRole, Membership, User
from case_core.models.members import CASE_PARTY_ROLES

LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # lazy translated text
    signers: str = "seal"
    serve_on: str = "parties"
    final_flag: bool = False  # the award: "final" where the law makes it so
    hearing: bool = False  # needs a hearing (date, time, place or link; personal join links)
    access_code: bool = False  # carries the respondent's access code (notice to answer)

    def template(self, language: str) -> str:
        return f"documents/kinds/{self.name}.{language}.txt"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("acceptance_notice", _("Notice of acceptance")),
        Kind("rejection_decision", _("Decision not to accept"), serve_on="applicant"),
        Kind(
            "answer_notice",
            _("Copy of the application and notice to answer"),
            serve_on="respondent",
            access_code=True,
        ),
        Kind("evidence_notice", _("Notice of evidence period")),
        Kind("hearing_notice", _("Hearing notice"), hearing=True),
        Kind("extension_notice", _("Notice of extension")),
        Kind("withdrawal_decision", _("Withdrawal decision")),
        Kind("mediation_agreement", _("Mediation agreement"), signers="mediator"),
        Kind("award", pgettext_lazy("document", "Award"), signers="tribunal", final_flag=True),
        Kind("closure_notice", _("Closure notice")),
    )
}


def kind_choices() -> list[tuple[str, str]]:
    return [(k.name, str(k.label)) for k in KINDS.values()]


def signers_for(kind: Kind, case: Case) -> list[tuple[User, str]]:
    """(user, role) who sign a document of `kind` on `case`, in order; empty: the seal alone."""
    if kind.signers == "seal":
        return []
    roles = [CaseRole.PRESIDING, CaseRole.ARBITRATOR]
    if kind.signers == "mediator":
        roles = [CaseRole.MEDIATOR, *roles]
    members = list(
        Membership.objects.filter(case=case, active=True, role__in=roles).select_related("user")
    )
    members.sort(key=lambda m: (roles.index(m.role), m.pk))
    if kind.signers == "mediator" and any(m.role == CaseRole.MEDIATOR for m in members):
        members = [m for m in members if m.role == CaseRole.MEDIATOR]
    seen, result = set(), []
    for m in members:
        if m.user_id not in seen:
            seen.add(m.user_id)
            result.append((m.user, m.role))
    return result


def recipients_for(kind_or_side: str, case: Case) -> list[tuple[User, str]]:
    """(user, side) served: every party member, or one side's ("applicant"/"respondent")."""
    members = (
        Membership.objects.filter(case=case, active=True, role__in=CASE_PARTY_ROLES)
        .select_related("user", "party")
        .order_by("pk")
    )
    seen, result = set(), []
    for m in members:
        side = m.party.side if m.party else (m.role if m.role != CaseRole.AGENT else "")
        if kind_or_side != "parties" and side != kind_or_side:
            continue
        if m.user_id not in seen:
            seen.add(m.user_id)
            result.append((m.user, side))
    return result
