"""Documents and service: an accepted case with its tribunal and a hearing, distinct phones for
everyone (so each one's texted code and link can be read from the file outbox), and pyHanko's own
validation of a served PDF."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from case_core import pki
from case_core.services.lifecycle import case_accept, case_assign, case_schedule
from case_core.services.signing import signature_confirm, signature_request


@pytest.fixture
def paper_case(filed_case, clerk, arbitrator, applicant, respondent, agent, settings):
    """`filed_case` accepted, assigned to `arbitrator` (presiding) and scheduled."""
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0
    for number, user in enumerate((clerk, arbitrator, applicant, respondent, agent), start=1):
        user.phone = f"+86139000000{number:02d}"
        user.save(update_fields=["phone"])
    case_accept(actor=clerk, case=filed_case)
    case_assign(actor=clerk, case=filed_case, presiding=arbitrator)
    case = case_schedule(actor=clerk, case=filed_case, start=timezone.now() + timedelta(days=7))
    case.refresh_from_db()
    return case


def outbox_lines() -> list[tuple[str, str, str, str]]:
    path = Path(settings.TRIBUNAL_NOTIFICATION_FILE)
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        _at, channel, address, subject, body = line.split("\t", 4)
        rows.append((channel, address, subject, body))
    return rows


def texted_link(user, pattern: str = r"/paperwork/s/[A-Za-z0-9_-]+/") -> str:
    """The last service link texted to `user`'s phone (path only)."""
    for channel, address, _subject, body in reversed(outbox_lines()):
        if channel == "sms" and address == user.phone:
            match = re.search(pattern, body)
            if match:
                return match.group(0)
    raise AssertionError(f"no service link was texted to {user.phone}")


def texted_code(user) -> str:
    for channel, address, _subject, body in reversed(outbox_lines()):
        if channel == "sms" and address == user.phone:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", body)
            if match:
                return match.group(1)
    raise AssertionError(f"no code was texted to {user.phone}")


def sign_as(user, document) -> None:
    signature_request(actor=user, document=document)
    signature_confirm(actor=user, document=document, code=texted_code(user))


def pyhanko_check(content: bytes) -> list:
    """pyHanko's own validation of every signature, trusting only the committee root: returns the
    statuses; asserts each is intact, valid and trusted and the last covers the whole file."""
    root = pki.asn1_certificate(pki.trust_root())
    reader = PdfFileReader(BytesIO(content))
    statuses = [
        validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
        for sig in reader.embedded_signatures
    ]
    assert statuses, "no signature in the PDF"
    for status in statuses:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    assert statuses[-1].coverage == SignatureCoverageLevel.ENTIRE_FILE
    return statuses


def pyhanko_fails(content: bytes) -> bool:
    """True when pyHanko finds the file broken (unreadable, or some signature not intact/valid)."""
    root = pki.asn1_certificate(pki.trust_root())
    try:
        reader = PdfFileReader(BytesIO(content))
        sigs = list(reader.embedded_signatures)
        for sig in sigs:
            status = validate_pdf_signature(
                sig, ValidationContext(trust_roots=[root], allow_fetching=False)
            )
            if not (status.intact and status.valid):
                return True
    except Exception:  # noqa: BLE001 - a damaged file may not even parse
        return True
    return not sigs
