"""What the front door keeps: texted one-time codes, case access codes, verified identities,
claim attempts and powers of attorney. Codes are stored only as salted hashes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from case_core.models import IdDocumentType


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    SIGNIN = "signin", _("Sign-in")
    RESET = "reset", _("Password reset")
    PROGRESS = "progress", _("Progress lookup")
    PHONE_CHANGE = "phone_change", _("Change of phone")


class PhoneCode(models.Model):
    """One texted code for one phone and purpose; a newer code supersedes the older ones."""

    phone = models.CharField(max_length=32, db_index=True)  # E.164
    purpose = models.CharField(max_length=16, choices=CodePurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    used_at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(default=False)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    scope = models.CharField(max_length=64, blank=True)  # e.g. the case number for progress
    sent = models.BooleanField(default=False)  # False: nothing was texted (unknown number)

    class Meta:
        indexes = [models.Index(fields=["phone", "purpose", "created_at"])]


class AccessCode(models.Model):
    """A party's code to claim its place on a case, delivered on paper with the application."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("case_core.Party", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=128)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked = models.BooleanField(default=False)


class ClaimAttempt(models.Model):
    """A failed attempt to claim a case (counted per account and per address to stop guessing)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)


class VerificationMethod(models.TextChoices):
    CLERK = "clerk", _("Checked by a clerk")
    PLATFORM = "platform", _("Identity platform")
    DECLARED = "declared", _("Declared, awaiting a check")


class Identity(models.Model):
    """The real-name identity bound to an account once it is verified."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity"
    )
    name = models.CharField(_("name"), max_length=200)
    id_type = models.CharField(
        _("identity document"), max_length=32, choices=IdDocumentType.choices
    )
    id_number = models.CharField(_("document number"), max_length=64)
    method = models.CharField(max_length=16, choices=VerificationMethod.choices)
    verifier = models.CharField(max_length=100, blank=True)  # the adapter that answered
    reference = models.CharField(max_length=200, blank=True)  # the adapter's transaction id
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["id_type", "id_number"],
                condition=models.Q(verified_at__isnull=False),
                name="one_account_per_verified_identity",
            )
        ]

    @property
    def verified(self) -> bool:
        return self.verified_at is not None


class AuthorityStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the clerk")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AgentKind(models.TextChoices):
    LAWYER = "lawyer", _("Lawyer")
    LEGAL_AID_LAWYER = "legal_aid_lawyer", _("Legal-aid lawyer")
    RELATIVE = "relative", _("Close relative")
    UNION = "union", _("Trade union officer")
    OTHER = "other", _("Other citizen")


class PowerOfAttorney(models.Model):
    """An agent's request to act for a party, with the signed power of attorney as evidence."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="+")
    party = models.ForeignKey("case_core.Party", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of agent"), max_length=32, choices=AgentKind.choices)
    file_sha256 = models.CharField(max_length=64)
    file_name = models.CharField(max_length=200)
    file = models.FileField(upload_to="attorney/%Y/")
    content_type = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=AuthorityStatus.choices, default=AuthorityStatus.PENDING
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)


class ApplicationDraft(models.Model):
    """The application form as last saved by its author (the posted fields, no files)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_draft"
    )
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
