"""What documents owns in the database.

Draft / DraftVersion  a document of one kind being written for a case: every edit is a new
                      version (title, body, the final-award flag); issuing turns the latest
                      version into a SignableDocument (case_core) and links it here
Service               one issued document served on one recipient: the link texted to them
                      (only its SHA-256 kept), first opening (time and the SHA-256 of the bytes
                      opened), deemed service after N days, or postal service (tracking number
                      and date); the .ics of a hearing notice
Filing                a pleading: the answer, a counterclaim, an amendment of claims (needs
                      the tribunal's approval); its PDF is sealed and served on the other side
EvidencePeriod        the case's evidence period; evidence after its end is marked late
Reminder              one reminder sent (its key is unique: a reminder goes out once)
SchedulerLease        the periodic scheduler's lease: one runner at a time across workers
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DraftStatus(models.TextChoices):
    EDITING = "editing", _("Draft")
    ISSUED = "issued", _("Issued")
    DISCARDED = "discarded", _("Discarded")


class Draft(models.Model):
    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32)
    language = models.CharField(_("language"), max_length=8)
    hearing = models.ForeignKey(
        "case_core.Hearing", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=DraftStatus.choices, default=DraftStatus.EDITING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    document = models.OneToOneField(
        "case_core.SignableDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
    )

    class Meta:
        ordering = ["created_at", "id"]

    def latest(self) -> DraftVersion:
        return self.versions.order_by("-number").first()


class DraftVersion(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    final = models.BooleanField(_("final award"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="one_draft_version_number")
        ]


class ServiceStatus(models.TextChoices):
    PENDING = "pending", _("Not yet opened")
    SERVED = "served", _("Served (opened)")
    DEEMED = "deemed", _("Deemed served")
    POSTAL = "postal", _("Served by post")
    NO_ADDRESS = "no_address", _("No phone or e-mail: serve by post")


SERVICE_DONE = (ServiceStatus.SERVED, ServiceStatus.DEEMED, ServiceStatus.POSTAL)


class Service(models.Model):
    document = models.ForeignKey(
        "case_core.SignableDocument", on_delete=models.CASCADE, related_name="services"
    )
    # A member of the case, or a party with no account yet (served by SMS to the phone on the
    # application, with its access code): then `recipient` is empty and `party` set.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party = models.ForeignKey(
        "case_core.Party", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=64, blank=True)  # masked phone / e-mail used
    side = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        max_length=16, choices=ServiceStatus.choices, default=ServiceStatus.PENDING
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_sha256 = models.CharField(max_length=64, blank=True)
    deemed_at = models.DateTimeField(null=True, blank=True)
    postal_tracking = models.CharField(_("tracking number"), max_length=64, blank=True)
    postal_date = models.DateField(_("posted on"), null=True, blank=True)
    calendar = models.TextField(blank=True)  # the .ics of a hearing notice, for this recipient

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "recipient"], name="one_service_each"),
            models.UniqueConstraint(fields=["document", "party"], name="one_service_per_party"),
        ]

    @property
    def done(self) -> bool:
        return self.status in SERVICE_DONE

    @property
    def completed_at(self):
        if self.status == ServiceStatus.SERVED:
            return self.opened_at
        if self.status == ServiceStatus.DEEMED:
            return self.deemed_at
        return self.postal_date


class FilingKind(models.TextChoices):
    ANSWER = "answer", _("Answer")
    COUNTERCLAIM = "counterclaim", _("Counterclaim")
    AMENDMENT = "amendment", _("Amendment of claims")


class FilingStatus(models.TextChoices):
    FILED = "filed", _("Filed and served")
    PENDING = "pending", _("Awaiting the tribunal's approval")
    REFUSED = "refused", _("Refused by the tribunal")


class Filing(models.Model):
    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=FilingKind.choices)
    side = models.CharField(max_length=16)
    text = models.TextField(_("text"))
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=FilingStatus.choices)
    late = models.BooleanField(default=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    document = models.OneToOneField(
        "case_core.SignableDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filing",
    )

    class Meta:
        ordering = ["filed_at", "id"]


class EvidencePeriod(models.Model):
    case = models.OneToOneField(
        "case_core.Case", on_delete=models.CASCADE, related_name="evidence_period"
    )
    ends_at = models.DateTimeField(_("evidence period ends"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)


class Reminder(models.Model):
    key = models.CharField(max_length=200, unique=True)
    case = models.ForeignKey(
        "case_core.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)


class SchedulerLease(models.Model):
    name = models.CharField(max_length=64, primary_key=True)
    holder = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)
