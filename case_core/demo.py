"""Demo data: personas for every role and cases at several stages. Loading it twice is a no-op."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from case_core.models import Case, CaseRole, StaffRole, User
from case_core.services import (
    case_accept,
    case_assign,
    case_refer_mediation,
    case_schedule,
    case_submit,
)
from case_core.services.members import case_add_member
from case_core.services.submission import ClaimInput, PartyInput

DEMO_PASSWORD = "tribunal-demo"
PERSONAS = [
    # username, staff role, display name, case role it plays in the demo
    ("clerk", StaffRole.CLERK, "书记员 李娜 (Li Na, clerk)", "clerk"),
    ("arbitrator", StaffRole.ARBITRATOR, "首席仲裁员 王伟 (Wang Wei, presiding)", "presiding"),
    ("arbitrator2", StaffRole.ARBITRATOR, "仲裁员 陈静 (Chen Jing)", "arbitrator"),
    ("arbitrator3", StaffRole.ARBITRATOR, "仲裁员 刘洋 (Liu Yang)", "arbitrator"),
    ("mediator", StaffRole.MEDIATOR, "调解员 赵敏 (Zhao Min, mediator)", "mediator"),
    ("worker", StaffRole.NONE, "张三 (Zhang San, applicant)", "applicant"),
    ("employer", StaffRole.NONE, "深圳示例科技有限公司 HR (respondent)", "respondent"),
    ("lawyer", StaffRole.NONE, "律师 孙丽 (Sun Li, applicant's agent)", "agent"),
    ("legalaid", StaffRole.LEGAL_AID, "法律援助 周强 (Zhou Qiang)", "legal_aid"),
    ("trainee", StaffRole.OBSERVER, "见习 吴芳 (Wu Fang, trainee)", "observer"),
    ("admin", StaffRole.ADMIN, "管理员 (administrator)", "admin"),
]
WORKER_ID = "440304199001011233"
EMPLOYER_ID = "91440300MA5FDEMY1B"


def _persona(username, role, name) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "staff_role": role,
            "display_name": name,
            "phone": "+8613800" + str(sum(map(ord, username)) % 100000).zfill(5),
            "email": f"{username}@demo.opentribunal.local",
            "is_staff": role == StaffRole.ADMIN,
            "is_superuser": role == StaffRole.ADMIN,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _wage_case(worker: User, title: str) -> Case:
    return case_submit(
        actor=worker,
        kind="worker_v_employer",
        procedure="arbitration",
        channel="online",
        title=title,
        facts="申请人自2023年3月起在被申请人处任软件测试员，被申请人拖欠2026年3月至5月工资，"
        "并未依法签订书面劳动合同。",
        applicants=[
            PartyInput(
                name="张三", id_type="resident_id", id_number=WORKER_ID, phone="+8613800001111"
            )
        ],
        respondents=[
            PartyInput(
                name="深圳示例科技有限公司",
                id_type="business_licence",
                id_number=EMPLOYER_ID,
                is_organisation=True,
                address="深圳市南山区科技园示例路1号",
            )
        ],
        claims=[
            ClaimInput(description="支付拖欠工资（2026年3月至5月）", amount="27000.00"),
            ClaimInput(description="未签订书面劳动合同的二倍工资差额", amount="99000.00"),
        ],
    )


@transaction.atomic
def load_demo() -> dict:
    users = {u: _persona(u, r, n) for u, r, n, _c in PERSONAS}
    clerk, worker, employer, lawyer = (
        users["clerk"],
        users["worker"],
        users["employer"],
        users["lawyer"],
    )
    if not Case.objects.filter(submitted_by=worker).exists():
        # 1. A hearing-ready arbitration case with a panel of three and a scheduled hearing.
        heard = _wage_case(worker, "拖欠工资及二倍工资争议 (unpaid wages)")
        _link_parties(heard, clerk, employer, lawyer, users)
        case_accept(actor=clerk, case=heard)
        case_assign(
            actor=clerk,
            case=heard,
            presiding=users["arbitrator"],
            members=[users["arbitrator2"], users["arbitrator3"]],
        )
        case_schedule(actor=clerk, case=heard, start=timezone.now() + timedelta(days=6))
        # 2. A case in pre-mediation.
        mediation = _wage_case(worker, "加班费争议 (overtime pay)")
        _link_parties(mediation, clerk, employer, lawyer, users)
        case_accept(actor=clerk, case=mediation)
        case_refer_mediation(actor=clerk, case=mediation, mediator=users["mediator"])
        # 3. A fresh application waiting in the acceptance queue.
        _wage_case(worker, "经济补偿金争议 (severance pay)")
    cases = Case.objects.filter(members__user=worker).distinct().order_by("id")
    return {
        "password": DEMO_PASSWORD,
        "personas": [
            {"username": u, "staff_role": r, "name": n, "demo_role": c} for u, r, n, c in PERSONAS
        ],
        "cases": [
            {
                "id": c.pk,
                "number": c.number,
                "title": c.title,
                "status": c.status,
                "hearings": [h.pk for h in c.hearings.all()],
            }
            for c in cases
        ],
    }


def _link_parties(case, clerk, employer, lawyer, users) -> None:
    case_add_member(
        actor=clerk,
        case=case,
        user=employer,
        role=CaseRole.RESPONDENT,
        party=case.parties.get(side="respondent"),
    )
    case_add_member(
        actor=clerk,
        case=case,
        user=lawyer,
        role=CaseRole.AGENT,
        party=case.parties.get(side="applicant"),
    )
    case_add_member(actor=clerk, case=case, user=users["legalaid"], role=CaseRole.LEGAL_AID)
    case_add_member(actor=clerk, case=case, user=users["trainee"], role=CaseRole.OBSERVER)
