"""Putting signatures into a signable document's PDF: each signer's, then the committee seal.

Called inside signature_confirm's transaction, with the document row locked. Each call appends
one incremental PAdES signature (case_core.pades) to the stored file and stores the result as the
document's new revision (`file`, `size`, `sha256`); the previous revision's file is removed once
the transaction commits (every later revision contains it byte for byte).

Errors: document_not_signable (409) when the stored file is not a PDF pyHanko can sign;
signing_unavailable (503) when the committee's keys cannot be read (logged for the operator);
seal_password (503) when the seal's PKCS#12 password is missing or wrong; seal_expired (503) when
the seal certificate is not valid now; timestamp_unavailable (503) when a configured timestamp
authority (TRIBUNAL_TSA_URL: signatures become PAdES B-T) does not answer. In every case the
transaction rolls back: nothing is left half-signed.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from case_core import pades, pki
from case_core.errors import DomainError, conflict
from case_core.models import CaseRole, InviteeRole, SignableDocument

log = logging.getLogger(__name__)
SEAL_FIELD = "Committee seal"


@dataclass(frozen=True)
class Embedded:
    field: str
    revision_sha256: str
    certificate_pem: str


def signer_field(*, order: int, name: str, role: str, user_id: int) -> str:
    """The PDF field of a signer's signature: it names the signer, the role and the account.
    (A period separates parts of a PDF field name, so none appears in it.)"""
    label = f"Signature {order + 1}: {name} ({role}, user {user_id})"
    return label.replace(".", " ")[:255]


def embed_signature(document: SignableDocument, *, name: str, role: str, user_id: int, order: int):
    """Sign the stored PDF as `name` in `role` with a certificate issued for this signature."""
    credential = _credential(lambda: pki.issue_signer(name=name, role=role, user_id=user_id))
    field = signer_field(order=order, name=name, role=role, user_id=user_id)
    with translation.override(document.language or translation.get_language()):
        label = dict(InviteeRole.choices).get(role) or dict(CaseRole.choices).get(role, role)
        reason = _("Signed as %(role)s") % {"role": label}
    sha256 = _append(document, credential, field=field, name=name, reason=reason)
    return Embedded(field, sha256, pki.pem(credential.certificate))


def embed_seal(document: SignableDocument) -> Embedded:
    """Seal the fully signed PDF with the committee seal (an approval signature, the last one)."""
    credential = _credential(pki.committee_seal)
    with translation.override(document.language or translation.get_language()):
        reason = _("Sealed by the committee after all signatures")
    sha256 = _append(
        document, credential, field=SEAL_FIELD, name=pki.committee_name(), reason=reason
    )
    return Embedded(SEAL_FIELD, sha256, pki.pem(credential.certificate))


def _credential(make) -> pki.Credential:
    try:
        return make()
    except pki.PkiError as exc:
        log.error("cannot sign documents: %s", exc)
        if exc.code == "seal_password":
            raise DomainError(
                "seal_password",
                _(
                    "The committee seal cannot be opened: its password is missing or wrong. "
                    "Nothing was signed; tell the administrator."
                ),
                status=503,
            ) from None
        if exc.code == "seal_expired":
            raise DomainError(
                "seal_expired",
                _(
                    "The committee seal's certificate is not valid now (%(date)s). Nothing was "
                    "signed; tell the administrator."
                )
                % {"date": exc.when.strftime("%Y-%m-%d") if exc.when else ""},
                status=503,
            ) from None
        raise DomainError(
            "signing_unavailable",
            _("Signing is unavailable right now; try again later or tell the clerk."),
            status=503,
        ) from None


def _append(document: SignableDocument, credential, *, field: str, name: str, reason: str) -> str:
    with document.file.open("rb") as stream:
        content = stream.read()
    try:
        signed = pades.sign(
            content,
            credential=credential,
            field=field,
            name=name,
            reason=reason,
            timestamper=timestamper(),
        )
    except pades.TimestampUnavailable as exc:
        log.error("the timestamp authority did not answer: %s", exc)
        raise DomainError(
            "timestamp_unavailable",
            _(
                "The timestamp authority does not answer, so nothing was signed. Try again "
                "later or tell the administrator."
            ),
            status=503,
        ) from None
    except pades.PadesError as exc:
        log.warning("document %s cannot be signed: %s", document.pk, exc)
        raise conflict(
            "document_not_signable",
            _("This document is not a PDF that can be signed; ask the clerk to issue it again."),
        ) from None
    _store(document, signed)
    return document.sha256


def timestamper():
    """The configured RFC 3161 timestamp authority (TRIBUNAL_TSA_URL), or None: PAdES B-B."""
    url = getattr(settings, "TRIBUNAL_TSA_URL", "") or ""
    if not url:
        return None
    return pades.http_timestamper(url, timeout=settings.TRIBUNAL_TSA_TIMEOUT_SECONDS)


def _store(document: SignableDocument, content: bytes) -> None:
    """Make `content` the document's stored file (a new name: the path carries the SHA-256)."""
    previous, storage = document.file.name, document.file.storage
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.size = len(content)
    document.file.save(document.filename, ContentFile(content), save=False)
    document.save(update_fields=["file", "size", "sha256"])

    def remove_previous():
        try:
            storage.delete(previous)
        except OSError:
            log.warning("could not remove the earlier revision %s", previous)

    transaction.on_commit(remove_previous)
