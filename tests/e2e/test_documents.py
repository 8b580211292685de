"""End to end, documents that take effect: the tribunal issues an award, both parties get an SMS
link and open it on a phone, the clerk's service table shows them served with times, the receipts
download and the award validates offline with pyHanko; the employer answers from a phone within
the deadline and the worker is served the answer; the employer's cross-examination opinion starts
with nothing chosen and shows a summary to confirm before it is submitted."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from case_core import pki
from tests.e2e.conftest import DEMO_PASSWORD, artifacts_dir
from tests.support.require import speech_clip

PHONE = (390, 844)
SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from case_core.models import User
from case_core.services.lifecycle import case_accept, case_assign, case_schedule, case_hearing_held
from documents.demo import _case, _link
u = {x.username: x for x in User.objects.all()}
c = _case(u["worker"], "E2E: award served on a phone")
_link(c, u)
case_accept(actor=u["clerk"], case=c)
case_assign(actor=u["clerk"], case=c, presiding=u["arbitrator"])
case_schedule(actor=u["clerk"], case=c, start=timezone.now() + timedelta(days=6))
case_hearing_held(actor=u["clerk"], case=c)
from django.core.files.uploadedfile import SimpleUploadedFile
from case_core.services.evidence import evidence_upload
evidence_upload(actor=u["worker"], case=c, title="Payslip", upload=SimpleUploadedFile(
    "payslip.txt", b"March wages: 0", content_type="text/plain"))
print(json.dumps({"case": c.pk, "phones": {k: v.phone for k, v in u.items()}}))
"""


def sign_in(page, server, username: str, next_path: str) -> None:
    page.goto(f"{server.url}/signin/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form[action='/signin/'] button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def press(page, selector: str, attempts: int = 3) -> None:
    """Press a form's submit button and wait for the page it leads to. A click that lands while
    the embedded PDF is still being laid out can be lost in headless Chromium: press again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        try:
            with page.expect_navigation(timeout=15_000):
                page.click(selector)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def texted_link(server, phone: str, *, after: int, timeout: float = 15) -> str:
    """The service link texted to `phone`, on this test server (the text carries
    TRIBUNAL_PUBLIC_URL)."""
    deadline = time.monotonic() + timeout
    while True:
        for line in server.outbox()[after:]:
            _at, channel, address, _subject, body = line.split("\t", 4)
            found = re.search(r"https?://[^/\s]+(/paperwork/s/[A-Za-z0-9_-]+/)", body)
            if channel == "sms" and address == phone and found:
                return server.url + found.group(1)
        if time.monotonic() > deadline:
            raise AssertionError(f"no service link texted to {phone}")
        time.sleep(0.2)


def validates_offline(content: bytes, root_pem: bytes) -> None:
    """In a thread of its own: pyHanko runs an event loop, and Playwright's runs in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_validates_offline, content, root_pem).result()


def fails_offline(content: bytes, root_pem: bytes) -> bool:
    try:
        validates_offline(content, root_pem)
    except Exception:  # noqa: BLE001 - pyHanko reports a broken file in several ways
        return True
    return False


def _validates_offline(content: bytes, root_pem: bytes) -> None:
    """pyHanko alone, trusting only the downloaded committee root: every signature intact, valid
    and trusted, the last one covering the whole file."""
    [root] = pki.load_pem_certificates(root_pem)
    context = ValidationContext(trust_roots=[pki.asn1_certificate(root)], allow_fetching=False)
    signatures = PdfFileReader(BytesIO(content)).embedded_signatures
    assert signatures
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


@pytest.fixture(scope="module")
def setup(tribunal_server):
    return tribunal_server.query(SETUP)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return artifacts_dir(tmp_path_factory.mktemp("documents-shots"))


def test_it_issues_an_award_that_both_parties_open_on_a_phone_and_that_validates_offline(
    tribunal_server, chromium, setup, shots
):
    server, case_id, phones = tribunal_server, setup["case"], setup["phones"]
    clip = speech_clip("polar.wav")
    clerk = chromium("doc-clerk", clip)
    sign_in(clerk, server, "clerk", f"/cases/{case_id}/")
    clerk.click("#paperwork summary:has-text('Write a document')")
    clerk.select_option("#paperwork select[name=kind]", "award")
    clerk.click("#paperwork form[action$='/drafts/'] button[type=submit]")
    clerk.wait_for_url("**/paperwork/drafts/*/")
    clerk.check("input[name=final]")
    clerk.click("#draft-form button[type=submit]")
    clerk.screenshot(path=str(shots / "award-draft.png"), full_page=True)
    press(clerk, "#issue")
    clerk.wait_for_url("**/documents/*/")
    document_path = clerk.url.split(server.url, 1)[1]

    chair = chromium("doc-chair", clip)
    sign_in(chair, server, "arbitrator", document_path)
    before = len(server.outbox())
    press(chair, "form[action$='/code/'] button[type=submit]")
    chair.fill("#sign-code", server.sms_code(phones["arbitrator"], after=before))
    press(chair, "form[action$='/sign/'] button[type=submit]")

    links = {who: texted_link(server, phones[who], after=before) for who in ("worker", "employer")}
    for who, link in links.items():
        phone = chromium(f"doc-{who}", clip, viewport=PHONE)
        phone.goto(link)
        assert phone.locator("#served-document h1").inner_text()
        with phone.context.expect_event("response", lambda r: "/file/" in r.url) as opened:
            phone.click("#open-document")
        assert opened.value.status == 200
        phone.goto(link)
        phone.screenshot(path=str(shots / f"served-{who}-phone.png"), full_page=True)
        with phone.expect_download() as receipt:
            phone.click("#receipt")
        root_pem = phone.request.get(f"{server.url}/documents/trust/root.pem").body()
        with open(receipt.value.path(), "rb") as stream:
            validates_offline(stream.read(), root_pem)
        award = phone.request.get(link + "file/").body()
        validates_offline(award, root_pem)
        flipped = bytearray(award)
        flipped[len(award) // 3] ^= 0x01
        assert fails_offline(bytes(flipped), root_pem)

    clerk.goto(f"{server.url}/cases/{case_id}/#paperwork")
    clerk.click("#paperwork a:has-text('Service')")
    table = clerk.locator("#service-table")
    served = table.locator("tr[data-status=served]")
    assert served.count() == 2
    for row in range(2):
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", served.nth(row).inner_text())
    clerk.screenshot(path=str(shots / "service-table.png"), full_page=True)
    with clerk.expect_download() as receipt:
        served.first.locator("a.receipt").click()
    assert receipt.value.suggested_filename.startswith("receipt-")


def test_it_lets_the_employer_answer_from_a_phone_and_serves_the_answer_on_the_worker(
    tribunal_server, chromium, setup, shots
):
    server, case_id, phones = tribunal_server, setup["case"], setup["phones"]
    employer = chromium("answer-employer", speech_clip("polar.wav"), viewport=PHONE)
    sign_in(employer, server, "employer", f"/cases/{case_id}/")
    employer.click("#answer-form summary")
    employer.fill("#answer-form textarea[name=text]", "被申请人已于2026年6月支付全部工资。")
    before = len(server.outbox())
    employer.click("#answer-form button[type=submit]")
    employer.wait_for_url(f"**/cases/{case_id}/*")
    assert (
        "被申请人已于2026年6月支付全部工资。"
        in employer.locator("#paperwork .filings").inner_text()
    )
    employer.screenshot(path=str(shots / "answer-phone.png"), full_page=True)

    link = texted_link(server, phones["worker"], after=before)
    worker = chromium("answer-worker", speech_clip("polar.wav"), viewport=PHONE)
    worker.goto(link)
    with worker.context.expect_event("response", lambda r: "/file/" in r.url) as opened:
        worker.click("#open-document")
    assert opened.value.status == 200
    worker.goto(link)
    assert worker.locator("#receipt").count() == 1


def test_it_shows_the_opinion_with_nothing_chosen_and_a_summary_before_submitting(
    tribunal_server, chromium, setup, shots
):
    server, case_id = tribunal_server, setup["case"]
    employer = chromium("opinion-employer", speech_clip("polar.wav"), viewport=PHONE)
    sign_in(employer, server, "employer", f"/cases/{case_id}/")
    employer.locator("details.action:has(form[action*='/opinion/']) summary").first.click()
    form = employer.locator("form[action*='/opinion/']").first
    assert form.locator("input[type=radio]:checked").count() == 0
    for name, index in (("authenticity", 0), ("legality", 1), ("relevance", 2)):
        form.locator(f"input[type=radio][name$='-{name}']").nth(index).check()
    form.locator("button[type=submit]").click()
    summary = form.locator(".opinion-summary")
    summary.wait_for()
    assert summary.locator("li").count() == 3
    form.screenshot(path=str(shots / "opinion-summary-phone.png"))
    summary.locator(".opinion-confirm").click()
    employer.wait_for_load_state()
    assert employer.locator(".opinion").count() == 1
