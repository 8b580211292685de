"""Signatures inside the PDF (PAdES), made and checked with pyHanko.

    signable(pdf)          -> None, or why pyHanko cannot add a signature to these bytes
    sign(pdf, credential=, field=, name=, reason=)  -> the PDF with one more signature, appended
                              as an incremental update (earlier revisions stay byte for byte)
    verify(pdf, trust_roots=)  -> PdfReport: each embedded signature and the document as a whole

Signatures are PAdES baseline B-B (subfilter ETSI.CAdES.detached, SHA-256, the signing
certificate as a signed attribute); the signing time is the one the signer's software states, and
certificates are checked at the time of verification. Given a `timestamper` (an RFC 3161
timestamp authority, `http_timestamper(url)`), each signature also carries a signature timestamp
(PAdES B-T); a timestamp authority that does not answer raises TimestampUnavailable and nothing
is signed. Nothing here knows
about cases or users; case_core.services.signing* and `tribunal verify_document` call it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from case_core.pki import Credential, asn1_certificate, asn1_key, subject_fields

ALLOWED_LATER_CHANGES = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,  # adding the next signature is filling in a form field
)
# Why an embedded signature does not hold (EmbeddedSignature.problem), checked in this order.
PROBLEMS = {
    "unreadable": "the signature cannot be read",
    "altered": "the signed bytes were changed after signing",
    "bad_signature": "the cryptographic signature is not valid",
    "untrusted": "the certificate is not issued by a trusted committee root",
    "partial": "the signature does not cover the whole document up to its revision",
    "modified_after": "the document was changed after this signature beyond adding signatures",
}


class PadesError(Exception):
    """pyHanko could not sign these bytes."""


class TimestampUnavailable(PadesError):
    """The timestamp authority did not answer (or answered with an error)."""


def http_timestamper(url: str, *, timeout: int = 10):
    """An RFC 3161 timestamp authority at `url` (pyHanko's HTTPTimeStamper)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=timeout)


@dataclass
class EmbeddedSignature:
    """One signature found in the PDF, as pyHanko validated it."""

    field: str
    name: str = ""  # the signer named in the signature (/Name), else the certificate's CN
    role: str = ""  # the certificate's title
    user: str = ""  # the certificate's user id
    issuer: str = ""
    signed_at: datetime | None = None  # as the signer's software states it (no timestamp)
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_revision: bool = False
    covers_file: bool = False
    later_changes: str = ""  # pyHanko's modification level of later revisions
    revision_sha256: str = ""  # SHA-256 of the file up to the end of this signature's revision
    problem: str = ""  # a key of PROBLEMS, empty when the signature holds

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass
class PdfReport:
    readable: bool
    signatures: list[EmbeddedSignature] = field(default_factory=list)
    error: str = ""

    @property
    def intact(self) -> bool:
        """The last signature covers the whole file: nothing was appended or changed after it."""
        return self.readable and bool(self.signatures) and self.signatures[-1].covers_file

    @property
    def ok(self) -> bool:
        """Every signature holds and the document is intact."""
        return self.intact and all(s.ok for s in self.signatures)


def signable(pdf: bytes) -> str | None:
    """None if a signature can be appended to `pdf`, else why not (in English)."""
    if not pdf.startswith(b"%PDF-"):
        return "not a PDF"
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        if writer.prev.encrypted:
            return "the PDF is encrypted"
        writer.root  # noqa: B018 - reads the catalogue, which signing needs
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        return f"pyHanko cannot read it: {exc}"
    return None


def sign(
    pdf: bytes,
    *,
    credential: Credential,
    field: str,
    name: str,
    reason: str,
    location: str = "",
    timestamper=None,
) -> bytes:
    """`pdf` with a PAdES B-B signature (B-T with a `timestamper`) by `credential` in a new
    invisible field `field`."""
    signer = signers.SimpleSigner(
        signing_cert=asn1_certificate(credential.certificate),
        signing_key=asn1_key(credential.key),
        cert_registry=SimpleCertificateStore.from_certs(
            [asn1_certificate(c) for c in credential.chain]
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        name=name or None,
        reason=reason or None,
        location=location or None,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    from pyhanko.sign.timestamps import TimestampRequestError

    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        out = signers.PdfSigner(meta, signer, timestamper=timestamper).sign_pdf(writer)
    except (TimestampRequestError, OSError) as exc:
        raise TimestampUnavailable(str(exc)) from exc
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise PadesError(str(exc)) from exc
    return out.getvalue()


def verify(pdf: bytes, *, trust_roots: list[x509.Certificate]) -> PdfReport:
    """Validate every embedded signature against `trust_roots` (no network fetching)."""
    try:
        reader = PdfFileReader(BytesIO(pdf))
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - any parse failure of untrusted bytes
        return PdfReport(readable=False, error=f"not a readable PDF: {exc}")
    roots = [asn1_certificate(c) for c in trust_roots]
    report = PdfReport(readable=True)
    for signature in embedded:
        report.signatures.append(_check(pdf, signature, roots))
    return report


def _check(pdf: bytes, signature, roots) -> EmbeddedSignature:
    check = EmbeddedSignature(field=signature.field_name or "")
    try:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        status = validate_pdf_signature(signature, context)
        _start, _length, start, length = (int(n) for n in signature.byte_range)
    except Exception:  # noqa: BLE001 - a damaged signature must read as invalid, not crash
        check.problem = "unreadable"
        return check
    subject = subject_fields(status.signing_cert)
    stated = signature.sig_object.get("/Name")
    check.name = str(stated) if stated else subject["name"]
    check.role, check.user = subject["role"], subject["user"]
    check.issuer = status.signing_cert.issuer.human_friendly
    check.signed_at = status.signer_reported_dt
    check.intact, check.valid, check.trusted = status.intact, status.valid, status.trusted
    check.covers_revision = status.coverage >= SignatureCoverageLevel.ENTIRE_REVISION
    check.covers_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    level = status.modification_level
    check.later_changes = level.name.lower() if level is not None else "unknown"
    check.revision_sha256 = hashlib.sha256(pdf[: start + length]).hexdigest()
    allowed = level in ALLOWED_LATER_CHANGES and status.docmdp_ok is not False
    for problem, failed in (
        ("altered", not check.intact),
        ("bad_signature", not check.valid),
        ("untrusted", not check.trusted),
        ("partial", not check.covers_revision),
        ("modified_after", not allowed),
    ):
        if failed:
            check.problem = problem
            break
    return check
