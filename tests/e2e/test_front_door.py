"""The front door end to end, as strangers would use it.

Phone (390x844, touch, zh-hans): a stranger opens `/`, reads a guide, signs up with a phone and
its texted code, states an identity the clerk confirms, files a wage claim against a company
known only by name and address, and sees the case; the clerk accepts it and issues the
respondent's access code; the employer signs up, claims the case and sees the same case; a
lawyer becomes the worker's agent with a power of attorney the clerk approves.

Desktop (1280x800, English): the employer persona files an employer-versus-worker application,
and a collective dispute is routed to booking an appointment, which is confirmed by SMS.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DEMO_PASSWORD, artifacts_dir
from tests.support.require import chromium_path

WORKER_ID = "110101199003077758"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=chromium_path(), headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return artifacts_dir(tmp_path_factory.mktemp("front-door-shots"))


def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    context.add_cookies(
        [{"name": "django_language", "value": "en", "domain": "127.0.0.1", "path": "/"}]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def sign_in(page, server, username: str) -> None:
    page.goto(f"{server.url}/signin/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/cases/"))


def sign_up(page, server, number: str, name: str) -> None:
    e164 = "+86" + number
    before = len(server.outbox())
    page.goto(f"{server.url}/signup/")
    page.fill("#id_phone", number)
    page.tap("button[name=send]")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", server.sms_code(e164, after=before))
    page.fill("#id_name", name)
    page.fill("#id_password", "a-long-pass-phrase-42")
    page.tap("button[name=finish]")
    page.wait_for_url(re.compile(r"/account/$"))


def case_action(page, server, case_id: int, action: str, fill=None) -> None:
    page.goto(f"{server.url}/cases/{case_id}/")
    page.click(f"#action-{action} summary")
    if fill:
        fill(page)
    with page.expect_navigation():
        page.click(f"#action-{action} button[type=submit]")


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_it_takes_a_stranger_from_the_front_page_to_a_case_the_employer_and_lawyer_reach(
    tribunal_server, browser, shots
):
    server = tribunal_server
    worker = phone(browser)
    worker.goto(server.url + "/")
    assert worker.locator("html").get_attribute("lang") == "zh-hans"
    worker.tap("a[href='/guide/worker-v-employer/']")
    assert "谁可以申请" in worker.locator("article").inner_text()
    no_sideways_scroll(worker)
    worker.screenshot(path=str(shots / "phone-guide.png"), full_page=True)

    sign_up(worker, server, "13900001234", "赵六")
    worker.fill("#id_name", "赵六")
    worker.select_option("#id_id_type", "resident_id")
    worker.fill("#id_id_number", "110101199003077754")  # a wrong check digit first
    worker.tap("form button[type=submit].btn-primary")
    assert "证件号码" in worker.locator(".errorlist").inner_text()
    worker.fill("#id_id_number", WORKER_ID)
    with worker.expect_navigation():
        worker.tap("form button[type=submit].btn-primary")
    assert worker.locator("[data-identity]").get_attribute("data-identity") == "pending"

    clerk = desktop(browser)
    sign_in(clerk, server, "clerk")
    clerk.goto(f"{server.url}/account/identities/")
    with clerk.expect_navigation():
        clerk.locator("tr", has_text=WORKER_ID).locator("button").click()

    worker.goto(f"{server.url}/cases/new/")
    worker.tap("a[data-kind='worker_v_employer']")
    worker.fill("#id_title", "拖欠三个月工资")
    worker.fill("#id_facts", "2026年3月至5月工资未发。")
    worker.tap("[data-next]")
    assert worker.input_value("input[name='applicants-0-id_number']") == WORKER_ID
    worker.tap("[data-next]")
    worker.fill("input[name='respondents-0-name']", "示例快递站")
    worker.fill("input[name='respondents-0-address']", "示例市示例区东街 3 号")
    worker.tap("[data-next]")
    worker.fill("input[name='claims-0-description']", "拖欠工资")
    worker.fill("input[name='claims-0-amount']", "18000")
    no_sideways_scroll(worker)
    worker.screenshot(path=str(shots / "phone-apply-claims.png"), full_page=True)
    worker.tap("button[name=file]")
    worker.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_id = int(re.search(r"/cases/(\d+)/", worker.url).group(1))
    assert "拖欠三个月工资" in worker.content()

    case_action(clerk, server, case_id, "accept")
    case_action(
        clerk,
        server,
        case_id,
        "access_code",
        lambda p: p.select_option("#action-access_code select", label="示例快递站"),
    )
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", clerk.content()).group(0)
    number = server.query(
        f"import json; from case_core.models import Case; print(json.dumps(Case.objects.get(pk={case_id}).number))"
    )

    employer = phone(browser)
    sign_up(employer, server, "13900005678", "快递站站长")
    employer.goto(f"{server.url}/claim/")
    employer.fill("#id_case_number", number)
    employer.fill("#id_access_code", "XXXX-XXXX-XXXX")
    employer.fill("#id_id_or_uscc", "91440300MA5EXAMPL1")
    employer.tap("#content form button[type=submit]")
    employer.wait_for_selector(".alert")  # one answer for any wrong part, and no case reached
    assert employer.url.endswith("/claim/")
    employer.fill("#id_access_code", code.lower())
    employer.tap("#content form button[type=submit]")
    employer.wait_for_url(re.compile(rf"/cases/{case_id}/$"))
    assert "拖欠三个月工资" in employer.content()
    employer.screenshot(path=str(shots / "phone-employer-case.png"), full_page=True)

    lawyer = phone(browser)
    sign_up(lawyer, server, "13900009999", "律师 郑九")
    lawyer.goto(f"{server.url}/attorney/")
    lawyer.fill("#id_case_number", number)
    lawyer.fill("#id_id_or_uscc", WORKER_ID)
    lawyer.select_option("#id_kind", "lawyer")
    lawyer.set_input_files(
        "#id_file", {"name": "委托书.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    lawyer.tap("#content form button[type=submit]")
    lawyer.wait_for_url(re.compile(r"/cases/$"))
    clerk.goto(f"{server.url}/workbench/attorney/")
    with clerk.expect_navigation():
        clerk.locator("[data-request]", has_text="郑九").locator("button[value=approve]").click()
    lawyer.goto(f"{server.url}/cases/{case_id}/")
    assert "拖欠三个月工资" in lawyer.content()


def test_it_files_an_employer_application_and_books_a_collective_dispute_at_desktop_size(
    tribunal_server, browser, shots
):
    server = tribunal_server
    page = desktop(browser)
    sign_in(page, server, "employer")
    page.goto(f"{server.url}/cases/new/?fresh=1")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("a[data-kind='employer_v_worker']")
    page.fill("#id_title", "Training costs after early resignation")
    page.fill("#id_facts", "The worker left within the service period agreed for paid training.")
    page.click("[data-next]")
    page.fill("input[name='applicants-0-name']", "Shenzhen Example Tech Co.")
    page.fill("input[name='applicants-0-id_number']", "91440300MA5FDEMY1B")
    page.click("[data-next]")
    page.fill("input[name='respondents-0-name']", "Chen Er")
    page.select_option("select[name='respondents-0-id_type']", "resident_id")
    page.fill("input[name='respondents-0-address']", "12 West Street, Example City")
    page.click("[data-next]")
    page.fill("input[name='claims-0-description']", "Repay training costs")
    page.fill("input[name='claims-0-amount']", "8000")
    page.click("button[name=file]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert "Training costs after early resignation" in page.content()

    page.goto(f"{server.url}/cases/new/?fresh=1")
    page.click("a[data-kind='collective']")
    page.wait_for_url(re.compile(r"/book/"))
    assert "Collective disputes" in page.locator(".alert").inner_text()
    page.locator("input[name=slot]:not([disabled])").first.check()
    page.fill("#id_workers", "23")
    page.fill("#id_name", "Employer HR")
    before = len(server.outbox())
    page.fill("#id_phone", "13900004321")
    page.screenshot(path=str(shots / "desktop-booking.png"), full_page=True)
    with page.expect_navigation():
        page.click("form button.btn-primary")
    assert page.locator("[data-booking]").count() == 1
    assert any("\t+8613900004321\t" in line for line in server.outbox()[before:])
