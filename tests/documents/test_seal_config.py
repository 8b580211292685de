"""The committee seal from a PKCS#12 file named in settings (wrong password, expired certificate),
and timestamps: none configured -> PAdES B-B; a timestamp authority that does not answer -> a
clear refusal and nothing issued; a timestamp from an RFC 3161 authority -> B-T (pyHanko's own
in-process authority stands in for one: no timestamp authority is reachable here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import translation
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from case_core import pades, pki
from case_core.errors import DomainError
from case_core.models import SignableDocument
from documents.models import DraftStatus
from documents.services.drafts import draft_create, draft_issue
from tests.support.paperwork import pyhanko_check
from tests.support.signing import dummy_timestamp_authority, minutes_like_pdf

SEAL_USAGE = x509.KeyUsage(
    digital_signature=True,
    content_commitment=True,
    key_encipherment=False,
    data_encipherment=False,
    key_agreement=False,
    key_cert_sign=False,
    crl_sign=False,
    encipher_only=False,
    decipher_only=False,
)


def seal_p12(tmp_path, password: str, *, expired: bool = False):
    """A seal issued by the committee CA, exported as PKCS#12 (optionally already expired)."""
    ca = pki.committee_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    start, end = (
        (now - timedelta(days=30), now - timedelta(days=1))
        if expired
        else (
            now - timedelta(minutes=5),
            now + timedelta(days=365),
        )
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Committee e-seal")]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(SEAL_USAGE, critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    path = tmp_path / ("expired.p12" if expired else "seal.p12")
    pki.export_p12(pki.Credential(certificate, key, (ca.certificate,)), path, password)
    return path


def test_it_seals_with_the_pkcs12_seal_named_in_settings(paper_case, clerk, settings, tmp_path):
    settings.TRIBUNAL_PKI_SEAL_P12 = str(seal_p12(tmp_path, "s3cret"))
    settings.TRIBUNAL_PKI_SEAL_P12_PASSWORD = "s3cret"
    draft = draft_create(actor=clerk, case=paper_case, kind="acceptance_notice")
    document = draft_issue(actor=clerk, draft=draft)
    statuses = pyhanko_check(document.evidence.file.read())
    assert "Committee e-seal" in statuses[-1].signing_cert.subject.human_friendly


@pytest.mark.parametrize(
    ("password", "expired", "code"),
    [
        ("wrong", False, "seal_password"),
        ("", False, "seal_password"),
        ("s3cret", True, "seal_expired"),
    ],
)
def test_it_tells_the_clerk_why_the_seal_cannot_be_used_and_issues_nothing(
    paper_case, clerk, settings, tmp_path, password, expired, code
):
    settings.TRIBUNAL_PKI_SEAL_P12 = str(seal_p12(tmp_path, "s3cret", expired=expired))
    settings.TRIBUNAL_PKI_SEAL_P12_PASSWORD = password
    draft = draft_create(actor=clerk, case=paper_case, kind="acceptance_notice", language="en")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        draft_issue(actor=clerk, draft=draft)
    assert refused.value.code == code and refused.value.status == 503
    assert "administrator" in str(refused.value.message)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.EDITING
    assert not SignableDocument.objects.filter(case=paper_case).exists()


def test_it_signs_pades_b_b_without_a_timestamp_when_no_authority_is_configured(
    paper_case, clerk, settings
):
    settings.TRIBUNAL_TSA_URL = ""
    document = draft_issue(
        actor=clerk, draft=draft_create(actor=clerk, case=paper_case, kind="closure_notice")
    )
    [status] = pyhanko_check(document.evidence.file.read())
    assert status.timestamp_validity is None


def test_it_issues_nothing_when_the_timestamp_authority_does_not_answer(
    paper_case, clerk, settings
):
    settings.TRIBUNAL_TSA_URL = "http://127.0.0.1:9/tsa"  # nothing listens on the discard port
    settings.TRIBUNAL_TSA_TIMEOUT_SECONDS = 2
    draft = draft_create(actor=clerk, case=paper_case, kind="closure_notice")
    with pytest.raises(DomainError) as refused:
        draft_issue(actor=clerk, draft=draft)
    assert refused.value.code == "timestamp_unavailable" and refused.value.status == 503
    assert not SignableDocument.objects.filter(case=paper_case).exists()


def test_it_adds_a_signature_timestamp_from_an_rfc3161_authority(settings):
    stamper = dummy_timestamp_authority()
    signed = pades.sign(
        minutes_like_pdf(),
        credential=pki.committee_seal(),
        field="Committee seal",
        name="Committee",
        reason="test",
        timestamper=stamper,
    )
    root = pki.asn1_certificate(pki.trust_root())
    [embedded] = PdfFileReader(BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=[root], allow_fetching=False)
    )
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None and status.timestamp_validity.intact
