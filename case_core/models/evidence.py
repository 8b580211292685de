from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    RECORDING = "recording", _("Hearing recording")
    TRANSCRIPT = "transcript", _("Transcript")
    MINUTES = "minutes", _("Hearing minutes")


def evidence_path(instance, filename: str) -> str:
    return f"cases/{instance.case_id}/evidence/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    """A file in the case file, with its hash; never changed after it is stored."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices, default="document")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it proves"), blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    side = models.CharField(max_length=16, blank=True)  # applicant, respondent, or "" for staff
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["sha256"])]  # the public page looks files up by hash
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class Opinion(models.TextChoices):
    ADMIT = "admit", _("Admitted")
    DISPUTE = "dispute", _("Disputed")
    UNKNOWN = "unknown", _("Cannot confirm")


class CrossExamination(models.Model):
    """A party's opinion on the other side's evidence (质证意见)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=16)
    authenticity = models.CharField(_("authenticity"), max_length=8, choices=Opinion.choices)
    legality = models.CharField(_("legality"), max_length=8, choices=Opinion.choices)
    relevance = models.CharField(_("relevance"), max_length=8, choices=Opinion.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evidence", "side"], name="one_opinion_per_side")
        ]
