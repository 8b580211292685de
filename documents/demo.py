"""Demo documents for `tribunal seed` (after case_core.demo.load_demo made the personas):

* a finished case: heard, the award (裁决书, final) issued, signed by the presiding arbitrator,
  sealed, served on the worker, the employer and the worker's lawyer, who each opened it; closed;
* a mediated case: the mediation agreement (调解书) signed by the mediator, sealed and served.

Their receipts are made on demand from the service records (`/paperwork/services/<id>/receipt/`).
Idempotent: nothing is added when the finished case exists. The demo signs with a fixed
one-time code through the real signing service (the SMS step of a demo has no phone to read).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from case_core.models import Case, CaseRole, User
from case_core.services import case_submit
from case_core.services import signing_codes as codes
from case_core.services.lifecycle import (
    case_accept,
    case_assign,
    case_award,
    case_close,
    case_hearing_held,
    case_mediation_agreed,
    case_refer_mediation,
    case_schedule,
)
from case_core.services.members import case_add_member
from case_core.services.signing import signature_confirm, signature_request
from case_core.services.submission import ClaimInput, PartyInput
from documents.models import Service
from documents.services.drafts import draft_create, draft_edit, draft_issue
from documents.services.service import service_open

FINISHED_TITLE = "已结案：拖欠工资争议 (finished: unpaid wages)"
MEDIATED_TITLE = "已调解：加班费争议 (mediated: overtime pay)"
DEMO_CODE = "424242"


@contextmanager
def _fixed_code():
    original = codes.new_code
    codes.new_code = lambda: DEMO_CODE
    try:
        yield
    finally:
        codes.new_code = original


def _case(worker: User, title: str) -> Case:
    return case_submit(
        actor=worker,
        kind="worker_v_employer",
        procedure="arbitration",
        channel="online",
        title=title,
        facts="申请人自2023年3月起在被申请人处工作，被申请人拖欠工资。",
        applicants=[PartyInput(name="张三", id_type="resident_id", id_number="440304199001011233")],
        respondents=[
            PartyInput(
                name="深圳示例科技有限公司",
                id_type="business_licence",
                id_number="91440300MA5FDEMY1B",
                is_organisation=True,
            )
        ],
        claims=[ClaimInput(description="支付拖欠工资", amount="27000.00")],
    )


def _link(case: Case, users: dict) -> None:
    clerk = users["clerk"]
    case_add_member(
        actor=clerk,
        case=case,
        user=users["employer"],
        role=CaseRole.RESPONDENT,
        party=case.parties.get(side="respondent"),
    )
    case_add_member(
        actor=clerk,
        case=case,
        user=users["lawyer"],
        role=CaseRole.AGENT,
        party=case.parties.get(side="applicant"),
    )


def _issue_signed(clerk: User, case: Case, kind: str, signer: User, *, final=False):
    draft = draft_create(actor=clerk, case=case, kind=kind, language="zh-hans")
    if final:  # the award: mark it final (the template then says so)
        latest = draft.latest()
        draft_edit(actor=clerk, draft=draft, title=latest.title, body=latest.body, final=True)
    document = draft_issue(actor=clerk, draft=draft)
    with _fixed_code():
        signature_request(actor=signer, document=document)
        signature_confirm(actor=signer, document=document, code=DEMO_CODE)
    for service in Service.objects.filter(document=document).select_related("recipient"):
        service_open(service=service, opener=service.recipient, via="inbox")
    return document


def load_documents_demo(users: dict) -> list[dict]:
    if Case.objects.filter(title=FINISHED_TITLE).exists():
        return documents_demo_summary()
    clerk = users["clerk"]
    finished = _case(users["worker"], FINISHED_TITLE)
    _link(finished, users)
    case_accept(actor=clerk, case=finished)
    case_assign(actor=clerk, case=finished, presiding=users["arbitrator"])
    case_schedule(actor=clerk, case=finished, start=timezone.now() + timedelta(days=6))
    case_hearing_held(actor=clerk, case=finished)
    award_text = "被申请人于本裁决生效之日起五日内支付申请人2026年3月至5月工资27000元。"
    case_award(actor=users["arbitrator"], case=finished, text=award_text)
    _issue_signed(clerk, finished, "award", users["arbitrator"], final=True)
    case_close(actor=clerk, case=finished)

    mediated = _case(users["worker"], MEDIATED_TITLE)
    _link(mediated, users)
    case_accept(actor=clerk, case=mediated)
    case_refer_mediation(actor=clerk, case=mediated, mediator=users["mediator"])
    outcome = "被申请人于2026年12月31日前一次性支付申请人加班费8000元，双方再无其他争议。"
    case_mediation_agreed(actor=users["mediator"], case=mediated, outcome=outcome)
    _issue_signed(clerk, mediated, "mediation_agreement", users["mediator"])
    return documents_demo_summary()


def documents_demo_summary() -> list[dict]:
    rows = []
    for title in (FINISHED_TITLE, MEDIATED_TITLE):
        case = Case.objects.filter(title=title).first()
        if case is None:
            continue
        for document in case.documents.filter(status="signed"):
            rows.append(
                {
                    "case": case.pk,
                    "number": case.number,
                    "document": document.pk,
                    "kind": document.kind,
                    "served": [
                        {
                            "name": s.name,
                            "status": s.status,
                            "receipt": f"/paperwork/services/{s.pk}/receipt/",
                        }
                        for s in Service.objects.filter(document=document)
                    ],
                }
            )
    return rows
