"""The public pages' first content (guides per dispute kind, FAQ, the office), loaded by the
migration 0002_first_content and by `tribunal seed`; staff edit it in the admin afterwards."""

from __future__ import annotations

MATERIALS_ZH = "需准备：申请书（可在线填写）；本人身份证件；劳动合同、工资条、考勤记录、解除通知等能证明劳动关系和诉求的材料；被申请人名称和地址（统一社会信用代码可不填，由工作人员补全）。"
MATERIALS_EN = "Prepare: the application (you can fill it in online); your identity document; the labour contract, pay slips, attendance records, the dismissal notice or other evidence of the employment and your claims; the respondent's name and address (its unified social credit code is optional: the clerk completes it)."
WHERE_ZH = "在哪里、什么时候：可随时在线申请；也可在工作时间到仲裁院现场提交，或预约后提交，或邮寄（以邮戳日期为准）。"
WHERE_EN = "Where and when: apply online at any time; or on site during office hours, by appointment, or by mail (the postmark date counts)."
LIMIT_ZH = "时效：申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算；劳动关系存续期间拖欠劳动报酬的，不受此限，但劳动关系终止的，应当自终止之日起一年内提出。"
LIMIT_EN = "Time limit: one year from the day you knew or should have known your rights were infringed; unpaid wages during the employment are not subject to it, but must be claimed within one year after the employment ends."

GUIDES = [
    {
        "slug": "worker-v-employer",
        "dispute_kind": "worker_v_employer",
        "title_zh": "劳动者申请仲裁（欠薪、加班费、解除劳动合同等）",
        "title_en": "A worker applies (unpaid wages, overtime, dismissal, ...)",
        "summary_zh": "与用人单位发生劳动争议的劳动者可以申请仲裁。",
        "summary_en": "A worker in a dispute with their employer may apply for arbitration.",
        "body_zh": "谁可以申请：与用人单位存在劳动关系的劳动者本人，或其委托代理人。\n"
        + LIMIT_ZH
        + "\n"
        + MATERIALS_ZH
        + "\n"
        + WHERE_ZH,
        "body_en": "Who may apply: the worker employed by the employer, or their authorised agent.\n"
        + LIMIT_EN
        + "\n"
        + MATERIALS_EN
        + "\n"
        + WHERE_EN,
    },
    {
        "slug": "employer-v-worker",
        "dispute_kind": "employer_v_worker",
        "title_zh": "用人单位申请仲裁",
        "title_en": "An employer applies",
        "summary_zh": "用人单位可就培训费、违约金、保密义务等争议申请仲裁。",
        "summary_en": "An employer may apply over training costs, penalties or confidentiality.",
        "body_zh": "谁可以申请：用人单位（由法定代表人或委托代理人办理），需提供营业执照和授权委托书。\n"
        + LIMIT_ZH
        + "\n"
        + WHERE_ZH,
        "body_en": "Who may apply: the employer, through its legal representative or an authorised agent, with its business licence and a power of attorney.\n"
        + LIMIT_EN
        + "\n"
        + WHERE_EN,
    },
    {
        "slug": "work-death",
        "dispute_kind": "work_death",
        "title_zh": "因工死亡的劳动者近亲属申请仲裁",
        "title_en": "Relatives of a worker who died of a work injury",
        "summary_zh": "劳动者因工死亡的，其近亲属为申请人。",
        "summary_en": "When a worker died of a work injury, the close relatives apply.",
        "body_zh": "谁可以申请：死亡劳动者的近亲属（配偶、父母、子女等），每位申请人需写明与死者的关系。\n需准备：死亡证明、亲属关系证明、工伤认定材料。\n"
        + LIMIT_ZH
        + "\n"
        + WHERE_ZH,
        "body_en": "Who may apply: the deceased worker's close relatives (spouse, parents, children...); each states their relationship to the deceased.\nPrepare: the death certificate, proof of kinship, the work-injury decision.\n"
        + LIMIT_EN
        + "\n"
        + WHERE_EN,
    },
    {
        "slug": "non-work-death",
        "dispute_kind": "non_work_death",
        "title_zh": "非因工死亡的劳动者近亲属申请仲裁",
        "title_en": "Relatives of a worker who died of other causes",
        "summary_zh": "丧葬补助金、抚恤金等争议。",
        "summary_en": "Funeral grants, survivors' pensions and similar claims.",
        "body_zh": "谁可以申请：死亡劳动者的近亲属。\n需准备：死亡证明、亲属关系证明。\n"
        + LIMIT_ZH
        + "\n"
        + WHERE_ZH,
        "body_en": "Who may apply: the deceased worker's close relatives.\nPrepare: the death certificate and proof of kinship.\n"
        + LIMIT_EN
        + "\n"
        + WHERE_EN,
    },
    {
        "slug": "collective",
        "dispute_kind": "collective",
        "title_zh": "集体劳动争议（十人以上）",
        "title_en": "Collective disputes (ten or more workers)",
        "summary_zh": "请预约后到现场提交，推举代表参加仲裁。",
        "summary_en": "Book an appointment and apply on site; elect representatives.",
        "body_zh": "谁可以申请：有共同请求的十名以上劳动者，推举三至五名代表参加仲裁活动。\n如何提交：集体争议不在线提交，请先在线预约，按预约时间到仲裁院现场提交；紧急情况可直接到现场。\n"
        + MATERIALS_ZH,
        "body_en": "Who may apply: ten or more workers with a common claim, who elect three to five representatives.\nHow: collective disputes are not filed online: book an appointment online and come to the office at that time; in an emergency come directly.\n"
        + MATERIALS_EN,
    },
]

FAQ = [
    {
        "question_zh": "申请仲裁要交费吗？",
        "question_en": "Does arbitration cost anything?",
        "answer_zh": "劳动人事争议仲裁不收费，仲裁委员会的经费由财政予以保障。",
        "answer_en": "No. Labour dispute arbitration is free of charge.",
    },
    {
        "question_zh": "不知道公司的统一社会信用代码怎么办？",
        "question_en": "I do not know the company's unified social credit code.",
        "answer_zh": "填写公司名称和地址即可，工作人员受理时会补全。",
        "answer_en": "Give its name and address: the clerk completes the rest when accepting the case.",
    },
    {
        "question_zh": "我是被申请的公司，怎样在网上查看案件？",
        "question_en": "My company is the respondent. How do we see the case online?",
        "answer_zh": "注册账号后选择“认领案件”，输入案号、送达材料上的访问码和统一社会信用代码。",
        "answer_en": "Create an account, choose 'Claim a case' and enter the case number, the access code printed on the papers served on you and your unified social credit code.",
    },
    {
        "question_zh": "香港、澳门、台湾居民和外国人可以申请吗？",
        "question_en": "Can residents of Hong Kong, Macao, Taiwan and foreigners apply?",
        "answer_zh": "可以。使用港澳居民来往内地通行证/居住证、台湾居民来往大陆通行证/居住证、护照或外国人永久居留身份证实名认证。",
        "answer_en": "Yes. Verify your identity with a Hong Kong/Macao or Taiwan permit, a passport or a foreigner's permanent residence card.",
    },
    {
        "question_zh": "不登录能查询案件进度吗？",
        "question_en": "Can I check a case's progress without signing in?",
        "answer_zh": "可以。在“进度查询”输入案号和当事人手机号，凭短信验证码查看。",
        "answer_en": "Yes. Enter the case number and the party's mobile number under 'Progress' and confirm with the texted code.",
    },
]

OFFICES = [
    {
        "name_zh": "劳动人事争议仲裁院（受理窗口）",
        "name_en": "Labour Dispute Arbitration Court (reception)",
        "address_zh": "示例市示例区人民路 100 号一楼",
        "address_en": "Ground floor, 100 Renmin Road, Example District, Example City",
        "hours_zh": "周一至周五 9:00-12:00，14:00-17:30（法定节假日除外）",
        "hours_en": "Monday to Friday 9:00-12:00 and 14:00-17:30 (not on public holidays)",
        "phone": "12333",
    }
]


def load_content(GuidePage, FaqEntry, Office) -> None:
    """Create the first content where none exists (never overwrites staff's edits)."""
    for order, guide in enumerate(GUIDES):
        GuidePage.objects.get_or_create(slug=guide["slug"], defaults={**guide, "order": order})
    if not FaqEntry.objects.exists():
        for order, entry in enumerate(FAQ):
            FaqEntry.objects.create(order=order, **entry)
    if not Office.objects.exists():
        for order, office in enumerate(OFFICES):
            Office.objects.create(order=order, **office)
