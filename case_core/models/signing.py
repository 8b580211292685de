"""Documents signed in the browser with a one-time code: minutes now, any case document later.

A SignableDocument is a stored PDF with its SHA-256 and the people who must sign it. Each
signature is a PAdES signature inside the PDF (case_core.pades), appended as an incremental
update: `file`, `size` and `sha256` always describe the stored file as it stands (the issued
document, then each signed revision; the last one sealed by the committee). The Signature row
binds the signer (user, name, role), the time, the SHA-256 of the file they signed and of the
revision their signature produced, and the PDF field that holds it; its `seal` is a hash over
those fields. If the stored file ever stops matching its hash, every signature on it shows as void
(see case_core.services.signing.document_verify).
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING = "awaiting_signatures", _("Awaiting signatures")
    SIGNED = "signed", _("Signed")
    VOID = "void", _("Void")


def document_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/documents/{instance.sha256[:2]}/{instance.sha256}"


class SignableDocument(models.Model):
    """A case document that required signers sign; attached to the case file once all have."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="documents")
    hearing = models.ForeignKey(
        "case_core.Hearing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )  # the hearing a document (such as its minutes) belongs to, if any
    kind = models.CharField(_("kind"), max_length=32)  # "minutes", "mediation_agreement", ...
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(_("language"), max_length=8, blank=True)
    file = models.FileField(upload_to=document_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=24, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=500, blank=True)
    evidence = models.OneToOneField(
        "case_core.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_document",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document for signature")
        verbose_name_plural = _("documents for signature")
        indexes = [models.Index(fields=["case", "kind", "status"])]

    def __str__(self) -> str:
        return self.title


class RequiredSigner(models.Model):
    """Someone who must sign a document, in the role they sign in."""

    document = models.ForeignKey(SignableDocument, on_delete=models.CASCADE, related_name="signers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_signer_seat_per_user")
        ]


class SigningCode(models.Model):
    """A one-time code sent to a signer's phone; only its keyed hash is stored."""

    document = models.ForeignKey(SignableDocument, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=100)  # "salt$hmac-sha256"
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField()
    used_at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["document", "user"])]


class Signature(models.Model):
    """One signer's signature: identity, time and the SHA-256 of what they saw, sealed."""

    document = models.ForeignKey(
        SignableDocument, on_delete=models.CASCADE, related_name="signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32)
    signed_at = models.DateTimeField(_("signed at"))
    document_sha256 = models.CharField(max_length=64)  # the file as it was when signed
    method = models.CharField(max_length=16, default="sms_code")
    phone = models.CharField(max_length=32, blank=True)  # where the code was sent
    seal = models.CharField(max_length=64)
    # The signature in the PDF: its field, the SHA-256 of the revision it ends, its certificate
    # (PEM, issued by the committee CA for this signature). Empty on signatures made before
    # signatures went into the PDF.
    field_name = models.CharField(max_length=255, blank=True)
    revision_sha256 = models.CharField(max_length=64, blank=True)
    certificate = models.TextField(blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_signature_per_user")
        ]

    def compute_seal(self) -> str:
        fields = {
            "document": self.document_id,
            "sha256": self.document_sha256,
            "user": self.user_id,
            "name": self.name,
            "role": self.role,
            "at": self.signed_at.isoformat(),
            "method": self.method,
            "phone": self.phone,
        }
        if self.field_name:  # signed into the PDF (earlier rows keep their seal)
            fields |= {"field": self.field_name, "revision": self.revision_sha256}
        body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()
