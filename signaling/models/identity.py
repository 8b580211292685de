"""Join credentials, parties' personal hearing links and identity checks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JoinCredential(models.Model):
    """A short-lived, single-use, single-hearing credential; the token signs its nonce."""

    hearing = models.ForeignKey("case_core.Hearing", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)


class HearingLink(models.Model):
    """A party's personal link to one hearing: a random token (only its SHA-256 is stored), an
    expiry, revocable. It yields join credentials only to a browser session that entered the
    one-time code texted to the party's phone (the code fields below; the code is hashed)."""

    hearing = models.ForeignKey("case_core.Hearing", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=32, blank=True)
    code_hash = models.CharField(max_length=100, blank=True)
    code_sent_at = models.DateTimeField(null=True, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    wrong_codes = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["hearing", "user"], name="hearing_link_hearing_user")]


class IdentityMethod(models.TextChoices):
    ID_DOCUMENT_ON_CAMERA = "id_document_on_camera", _("Identity document shown on camera")
    FACE_MATCH = "face_match", _("Face compared with the identity photo")
    IN_PERSON = "in_person", _("Checked in person")
    REAL_NAME_ACCOUNT = "real_name_account", _("Real-name verified account")
    OTHER = "other", _("Other (see note)")


class IdentityCheck(models.Model):
    """The clerk's check of one participant's identity for one hearing."""

    hearing = models.ForeignKey("case_core.Hearing", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField()
    method = models.CharField(max_length=32, choices=IdentityMethod.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hearing", "user"], name="one_identity_check")
        ]
