"""Signatures inside the PDF: each signer's PAdES signature and the committee seal, as pyHanko and a
third party see them; the committee's keys; `tribunal verify_document`."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from io import BytesIO

import pytest
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from case_core import pades, pki
from case_core.errors import DomainError
from case_core.models import DocumentStatus, Signature, SigningCode
from case_core.services.signing import (
    document_create,
    document_issue,
    document_verify,
    signature_confirm,
    signature_request,
)
from case_core.services.signing_pdf import SEAL_FIELD
from minutes.services import minutes_generate
from tests.support.require import PROJECT_ROOT
from tests.support.signing import minutes_like_pdf
from tests.support.transcripts import sent_code, transcript_hearing
from transcription.review import transcript_mark_reviewed

PDF = minutes_like_pdf()


@pytest.fixture
def hearing(filed_case, clerk, arbitrator, applicant, respondent, agent):
    """The held hearing the real minutes come from (tests/support/transcripts.py)."""
    return transcript_hearing(filed_case, clerk, arbitrator, applicant, respondent, agent)


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_SIGNING_CODE_RESEND_SECONDS = 0


def sign(user, document):
    signature_request(actor=user, document=document)
    return signature_confirm(actor=user, document=document, code=sent_code(user))


@pytest.fixture
def signers(clerk, applicant, respondent):
    for number, user in enumerate((clerk, applicant, respondent), start=1):
        user.phone = f"+861370000000{number}"
        user.save(update_fields=["phone"])
    return [(clerk, "clerk"), (applicant, "applicant"), (respondent, "respondent")]


@pytest.fixture
def document(filed_case, clerk, signers):
    doc = document_create(
        actor=clerk,
        case=filed_case,
        kind="minutes",
        title="Minutes of the hearing",
        content=PDF,
        filename="minutes.pdf",
        signers=signers,
    )
    return document_issue(actor=clerk, document=doc)


@pytest.fixture
def signed(document, signers):
    """The document signed by its three signers and sealed: the final PDF bytes."""
    for user, _role in signers:
        sign(user, document)
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    return document.evidence.file.read()


def validate_all(content: bytes, root) -> list:
    """Every embedded signature as pyHanko itself validates it, trusting only `root`."""
    reader = PdfFileReader(BytesIO(content))
    return [
        (embedded, validate_pdf_signature(embedded, ValidationContext(trust_roots=[root])))
        for embedded in reader.embedded_signatures
    ]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def pki_files(directory) -> pki.PkiFiles:
    return pki.PkiFiles(
        ca_cert=directory / "root.pem",
        ca_key=directory / "root.key",
        seal_cert=directory / "seal.pem",
        seal_key=directory / "seal.key",
        generate_ca=True,
        generate_seal=True,
    )


def flip_byte(content: bytes, at: int) -> bytes:
    changed = bytearray(content)
    changed[at] ^= 0x01
    return bytes(changed)


def rogue_credential(settings, tmp_path, **who) -> pki.Credential:
    """A certificate from a CA that is not the committee's (another PKI directory)."""
    committee = settings.TRIBUNAL_PKI_DIR
    settings.TRIBUNAL_PKI_DIR = tmp_path / "rogue-pki"
    try:
        return pki.issue_signer(**who) if who else pki.committee_seal()
    finally:
        settings.TRIBUNAL_PKI_DIR = committee


def test_it_puts_each_signature_and_then_the_committee_seal_into_the_pdf(document, signed, signers):
    root = pki.asn1_certificate(pki.trust_root())
    results = validate_all(signed, root)
    assert len(results) == len(signers) + 1
    for (embedded, status), (user, role) in zip(results, signers, strict=False):
        assert status.intact and status.valid and status.trusted and status.bottom_line
        assert status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
        assert user.name in embedded.field_name and role in embedded.field_name
        subject = status.signing_cert.subject.native
        assert subject["common_name"] == user.name and subject["title"] == role
        assert embedded.sig_object["/Name"] == user.name
        assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    seal, status = results[-1]
    assert seal.field_name == SEAL_FIELD
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"].endswith(" seal")
    assert signed.startswith(PDF)  # each signature an incremental update of the issued file

    report = document_verify(document=document)
    assert report.intact and report.in_pdf and not report.problems
    assert [c.valid for c in report.signatures] == [True, True, True]
    assert [c.embedded.field for c in report.signatures] == [
        s.field_name for s in Signature.objects.filter(document=document)
    ]
    assert report.seal is not None and report.seal.ok


def test_it_signs_the_real_minutes_pdf_incrementally(
    held, transcript, clerk, arbitrator, applicant, respondent
):
    transcript_mark_reviewed(actor=clerk, transcript=transcript)
    document = minutes_generate(actor=clerk, hearing=held)
    issued = document.file.read()
    assert pades.signable(issued) is None
    for user in (arbitrator, clerk, applicant, respondent):
        sign(user, document)
    document.refresh_from_db()
    content = document.evidence.file.read()
    assert content.startswith(issued)
    report = pades.verify(content, trust_roots=[pki.trust_root()])
    assert report.ok and len(report.signatures) == 5
    assert [s.role for s in report.signatures[:4]] == [
        "presiding",
        "clerk",
        "applicant",
        "respondent",
    ]
    assert report.signatures[0].name == arbitrator.name


def test_it_fails_verification_when_one_byte_of_the_signed_pdf_changes(document, signed):
    root = pki.trust_root()
    assert pades.verify(signed, trust_roots=[root]).ok
    tampered = flip_byte(signed, len(PDF) // 2)  # inside the issued page content
    report = pades.verify(tampered, trust_roots=[root])
    assert not report.ok
    assert {s.problem for s in report.signatures} == {"altered"}
    # Even someone who also rewrites the recorded SHA-256 cannot make the signatures hold.
    document.refresh_from_db()
    with open(document.file.path, "wb") as stream:
        stream.write(tampered)
    type(document).objects.filter(pk=document.pk).update(sha256=sha256_of(tampered))
    document.refresh_from_db()
    verification = document_verify(document=document)
    assert verification.intact  # the row now matches the file ...
    assert not any(c.valid for c in verification.signatures)  # ... but no signature holds
    assert not verification.in_pdf and verification.problems


def test_it_finds_text_added_to_a_page_after_the_seal(document, signed):
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT 100 100 Td (Paid) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page.raw_get("/Contents"), forged])
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    report = pades.verify(out.getvalue(), trust_roots=[pki.trust_root()])
    assert [s.intact and s.valid and s.trusted for s in report.signatures] == [True] * 4
    assert {s.problem for s in report.signatures} == {"modified_after"}
    assert not report.intact and not report.ok


def test_it_does_not_trust_a_certificate_the_committee_did_not_issue(
    document, signed, settings, tmp_path
):
    root = pki.trust_root()
    rogue = rogue_credential(settings, tmp_path, name="Zhang San", role="applicant", user_id=2)
    forged = pades.sign(
        signed, credential=rogue, field="Signature 4", name="Zhang San", reason="Signed as x"
    )
    report = pades.verify(forged, trust_roots=[root])
    assert [s.problem for s in report.signatures] == ["", "", "", "", "untrusted"]
    assert not report.ok
    alone = pades.sign(PDF, credential=rogue, field="Signature 1", name="Zhang San", reason="x")
    ((embedded, status),) = validate_all(alone, pki.asn1_certificate(root))
    assert status.intact and status.valid and not status.trusted
    assert pades.verify(alone, trust_roots=[root]).signatures[0].problem == "untrusted"


def test_it_verifies_a_downloaded_pdf_from_the_command_line(document, signed, tmp_path):
    good, bad, root = tmp_path / "good.pdf", tmp_path / "bad.pdf", tmp_path / "root.pem"
    good.write_bytes(signed)
    bad.write_bytes(flip_byte(signed, len(PDF) // 2))
    root.write_bytes(pki.trust_root_pem())
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["TRIBUNAL_DATA_DIR"] = str(tmp_path / "third-party")  # no PKI, no database there

    def verify_document(*args):
        return subprocess.run(
            [sys.executable, "-m", "hearing_server.cli", "verify_document", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = verify_document(str(good), "--trust", str(root))
    assert ok.returncode == 0, ok.stderr
    assert "VERIFIED: 4 signatures" in ok.stdout and SEAL_FIELD in ok.stdout
    for user in document.signers.all():
        assert user.user.name in ok.stdout
    tampered = verify_document(str(bad), "--trust", str(root))
    assert tampered.returncode == 1 and "NOT VERIFIED" in tampered.stderr
    assert "Traceback" not in tampered.stderr
    other_root = tmp_path / "other.pem"
    other_root.write_bytes(pki.trust_root_pem(pki_files(tmp_path / "other")))
    untrusted = verify_document(str(good), "--trust", str(other_root))
    assert untrusted.returncode == 1 and "trusted: NO" in untrusted.stdout
    assert verify_document(str(good)).returncode == 2  # no root here and none given


def test_it_generates_the_committee_keys_once_and_keeps_them_private(settings):
    seal = pki.committee_seal()
    directory = settings.TRIBUNAL_PKI_DIR
    for name in ("root.key", "seal.key"):
        assert stat.S_IMODE((directory / name).stat().st_mode) == 0o600
    assert pki.committee_seal().certificate == seal.certificate  # reused, not regenerated
    root = pki.trust_root()
    assert root.issuer == root.subject and seal.certificate.issuer == root.subject
    assert seal.chain == (root,)
    signer = pki.issue_signer(name="Li Si", role="presiding", user_id=7)
    assert signer.certificate.subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "user:7"
    assert signer.certificate.issuer == root.subject
    os.chmod(directory / "seal.key", 0o644)
    with pytest.raises(pki.PkiError):
        pki.committee_seal()


def test_it_refuses_to_sign_when_the_configured_ca_is_missing_and_changes_nothing(
    document, applicant, settings, tmp_path
):
    settings.TRIBUNAL_PKI_CA_CERT = str(tmp_path / "absent" / "ca.pem")
    settings.TRIBUNAL_PKI_CA_KEY = str(tmp_path / "absent" / "ca.key")
    signature_request(actor=applicant, document=document)
    with pytest.raises(DomainError) as err:
        signature_confirm(actor=applicant, document=document, code=sent_code(applicant))
    assert err.value.code == "signing_unavailable" and err.value.status == 503
    assert not (tmp_path / "absent").exists()  # configured files are never generated
    assert not Signature.objects.exists()
    assert SigningCode.objects.get().used_at is None  # the code still works once fixed
    document.refresh_from_db()
    assert document.file.read() == PDF


def test_it_removes_each_earlier_revision_once_the_signature_is_committed(
    document, clerk, django_capture_on_commit_callbacks
):
    before = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        sign(clerk, document)
    document.refresh_from_db()
    assert document.file.name != before and document.file.storage.exists(document.file.name)
    assert not document.file.storage.exists(before)


def test_it_offers_the_root_certificate_and_shows_the_seal_on_the_document_page(
    client, document, signed, clerk
):
    response = client.get("/documents/trust/root.pem")  # no sign-in: it is for third parties
    assert response.status_code == 200 and response.content == pki.trust_root_pem()
    assert response["Content-Type"] == "application/x-pem-file"
    client.force_login(clerk)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert 'id="document-seal"' in page and 'href="/documents/trust/root.pem"' in page
