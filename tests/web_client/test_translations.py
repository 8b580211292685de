"""The zh-hans catalogue is complete (no empty or fuzzy entry) and pages render in Chinese."""

from __future__ import annotations

import gettext
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.support.require import PROJECT_ROOT

PO = PROJECT_ROOT / "hearing_server" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def entries(path):
    """Yield (flags, fields) per entry of a .po file; a tiny parser, enough for our catalogue."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, current = set(), {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#~"):
                current = None  # obsolete entries are ignored by gettext
                fields = {}
                break
            elif match := FIELD.match(line):
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields:
            yield flags, fields


def test_it_has_a_complete_chinese_catalogue_without_fuzzy_entries():
    assert PO.exists() and MO.exists()
    problems = []
    count = 0
    for flags, fields in entries(PO):
        if fields["msgid"] == "":
            assert "fuzzy" not in flags, "the catalogue header is marked fuzzy"
            continue
        count += 1
        strings = [v for k, v in fields.items() if k.startswith("msgstr")]
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {fields['msgid']}")
        if not strings or any(not s for s in strings):
            problems.append(f"untranslated: {fields['msgid']}")
    assert count > 100
    assert not problems, "\n".join(problems)


def test_it_keeps_the_compiled_catalogue_in_step_with_the_po_file():
    with MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for _flags, fields in entries(PO):
        msgid = unescape(fields["msgid"])
        if not msgid or "msgctxt" in fields:
            continue
        if "msgid_plural" in fields:  # Chinese has one plural form: msgstr[0] for every n
            plural = unescape(fields["msgid_plural"])
            compiled = catalogue.ngettext(msgid, plural, 2)
            expected = unescape(fields.get("msgstr[0]", ""))
        else:
            compiled, expected = catalogue.gettext(msgid), unescape(fields.get("msgstr", ""))
        if compiled != expected:
            stale.append(msgid)
    assert not stale, "run manage.py compilemessages; stale: " + "; ".join(stale[:5])


def unescape(text: str) -> str:
    codes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: codes.get(m.group(1), m.group(0)), text)


@pytest.mark.django_db
def test_it_renders_pages_in_chinese(filed_case, applicant):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(applicant)
    page = client.get(reverse("web:case", args=[filed_case.pk]))
    body = page.content.decode()
    assert page.headers["Content-Language"] == "zh-hans"
    for text in (
        "申请人",
        "被申请人",
        "仲裁请求",
        "受理决定",
        "劳动者诉用人单位",
        "已提交仲裁申请",
        "撤回申请",
    ):
        assert text in body, text
    assert "Applicants" not in body


@pytest.mark.django_db
def test_it_shows_domain_errors_in_chinese(applicant):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(applicant)
    missing = client.get(reverse("web:case", args=[999999]))
    assert missing.status_code == 404 and "未找到" in missing.content.decode()
    data = {
        "kind": "collective",
        "procedure": "arbitration",
        "channel": "online",
        "title": "集体欠薪",
        "facts": "公司拖欠三十名工人工资。",
        "worker_count": "30",
        "applicants-TOTAL_FORMS": "1",
        "applicants-INITIAL_FORMS": "0",
        "applicants-0-name": "张三",
        "applicants-0-id_type": "resident_id",
        "applicants-0-id_number": "440304199001011233",
        "applicants-0-is_representative": "on",
        "respondents-TOTAL_FORMS": "1",
        "respondents-INITIAL_FORMS": "0",
        "respondents-0-name": "深圳某公司",
        "respondents-0-id_type": "business_licence",
        "respondents-0-id_number": "91440300MA5EXAMPL1",
        "claims-TOTAL_FORMS": "1",
        "claims-INITIAL_FORMS": "0",
        "claims-0-description": "支付拖欠工资",
    }
    refused = client.post(reverse("web:apply"), data)
    assert refused.status_code == 400
    assert "集体劳动争议不能网上申请" in refused.content.decode()
