"""Demo data for the front door (`tribunal seed`): the worker's verified identity, appointment
slots for the coming week, a case against a shop known only by name and address (accepted,
with a fresh access code for its owner to claim), and a paper application filed on site whose
applicant is invited by SMS. Idempotent, except that each run issues fresh access codes (only
their hashes are kept, so the codes are printed here and nowhere else)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import AccessCode, Identity, VerificationMethod
from accounts.services import access_code_issue, party_invite
from case_core.demo import WORKER_ID
from case_core.models import Case, StaffRole, User
from case_core.services import case_accept, case_submit
from case_core.services.submission import ClaimInput, PartyInput
from portal.models import BookingSlot, Office

SHOP = "示例面馆 (Example Noodle Shop)"
# Fixed demo access codes, so `tribunal seed` stays idempotent and the README can name them.
SHOP_CODE = "DEMA-SHPA-2345"
PAPER_CODE = "DEMA-PAPR-2345"
PAPER_ID = "11010519491231002X"
COOK_ID = "110105198506151236"


def _user(username: str, name: str, phone: str) -> User:
    from case_core.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": name, "phone": phone, "staff_role": StaffRole.NONE},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_front_door_demo(users: dict[str, User]) -> dict:
    clerk, worker = users["clerk"], users["worker"]
    cook = _user("cook", "厨师 王五 (Wang Wu, applicant against the shop)", "+8613800066666")
    shop_owner = _user("shopowner", "面馆老板 钱七 (Qian Qi, shop owner)", "+8613800077777")
    _user("stranger", "路人 (a member of the public without cases)", "+8613800088888")
    Identity.objects.get_or_create(
        user=worker,
        defaults={
            "name": "张三",
            "id_type": "resident_id",
            "id_number": WORKER_ID,
            "method": VerificationMethod.CLERK,
            "verified_at": timezone.now(),
            "verified_by": clerk,
        },
    )
    office = Office.objects.first()
    if office is not None and not BookingSlot.objects.filter(start__gt=timezone.now()).exists():
        day = timezone.localdate()
        for n in range(1, 8):
            when = day + timedelta(days=n)
            if when.weekday() >= 5:
                continue
            for hour in (9, 14):
                start = datetime.combine(when, time(hour), tzinfo=timezone.get_current_timezone())
                BookingSlot.objects.create(
                    office=office,
                    start=start,
                    end=start + timedelta(hours=2),
                    capacity=4,
                    created_by=clerk,
                )
    shop_case = Case.objects.filter(parties__name=SHOP).first()
    if shop_case is None:
        shop_case = case_submit(
            actor=cook,
            kind="worker_v_employer",
            procedure="arbitration",
            channel="online",
            title="面馆拖欠工资 (unpaid wages at a noodle shop)",
            facts="2026年3月至5月的工资未支付。Wages for March to May were not paid.",
            applicants=[
                PartyInput(name="王五 (Wang Wu)", id_type="resident_id", id_number=COOK_ID)
            ],
            respondents=[
                PartyInput(
                    name=SHOP,
                    id_type="business_licence",
                    id_number="",
                    is_organisation=True,
                    address="示例市示例区人民路 8 号 (8 Renmin Road)",
                )
            ],
            claims=[ClaimInput(description="拖欠工资 (unpaid wages)", amount="15000")],
        )
        case_accept(actor=clerk, case=shop_case)
    shop_case.refresh_from_db()
    paper_case = Case.objects.filter(parties__id_number=PAPER_ID, channel="on_site").first()
    if paper_case is None:
        paper_case = case_submit(
            actor=clerk,
            kind="worker_v_employer",
            procedure="arbitration",
            channel="on_site",
            title="现场申请：经济补偿 (filed on site: severance)",
            facts="现场递交的纸质申请。A paper application handed in at the counter.",
            applicants=[
                PartyInput(
                    name="李四 (Li Si)",
                    id_type="resident_id",
                    id_number=PAPER_ID,
                    phone="+8613800099999",
                )
            ],
            respondents=[
                PartyInput(
                    name="深圳示例科技有限公司",
                    id_type="business_licence",
                    id_number="91440300MA5FDEMY1B",
                    is_organisation=True,
                )
            ],
            claims=[ClaimInput(description="经济补偿 (severance)", amount="30000")],
        )
        case_accept(actor=clerk, case=paper_case)
    paper_case.refresh_from_db()
    shop_party = shop_case.parties.get(side="respondent")
    paper_party = paper_case.parties.get(side="applicant")
    if not AccessCode.objects.filter(party=shop_party).exists():
        access_code_issue(actor=clerk, case=shop_case, party=shop_party, code=SHOP_CODE)
    if not AccessCode.objects.filter(party=paper_party).exists():
        party_invite(actor=clerk, case=paper_case, party=paper_party, code=PAPER_CODE)
    return {
        "personas": [
            {"username": "cook", "demo_role": "applicant against a shop"},
            {"username": "shopowner", "demo_role": "respondent to claim"},
            {"username": "stranger", "demo_role": "member of the public"},
        ],
        "claims": [
            {
                "case": shop_case.number,
                "access_code": SHOP_CODE,
                "identifier": "any valid USCC (the shop was filed by name and address)",
                "for": shop_owner.username,
            },
            {
                "case": paper_case.number,
                "access_code": PAPER_CODE,
                "identifier": PAPER_ID,
                "for": "the paper applicant (sign up with +8613800099999)",
            },
        ],
    }
