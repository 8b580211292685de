from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACCEPTANCE_DAYS = 5
ANSWER_DAYS = 10
MEDIATION_DAYS = 15
AWARD_DAYS = 45
AWARD_EXTENSION_DAYS = 15
HEARING_NOTICE_DAYS = 5


class DisputeKind(models.TextChoices):
    WORKER_V_EMPLOYER = "worker_v_employer", _("Worker against employer")
    EMPLOYER_V_WORKER = "employer_v_worker", _("Employer against worker")
    WORK_DEATH = "work_death", _("Work-related death")
    NON_WORK_DEATH = "non_work_death", _("Non-work-related death")
    COLLECTIVE = "collective", _("Collective dispute")


class Procedure(models.TextChoices):
    MEDIATION = "mediation", _("Mediation")
    ARBITRATION = "arbitration", _("Arbitration")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")
    APPOINTMENT = "appointment", _("By appointment")
    MAIL = "mail", _("By mail")


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    REJECTED = "rejected", _("Rejected")
    ACCEPTED = "accepted", _("Accepted")
    IN_MEDIATION = "in_mediation", _("In pre-mediation")
    MEDIATED = "mediated", _("Mediation agreed")
    ASSIGNED = "assigned", _("Tribunal assigned")
    SCHEDULED = "scheduled", _("Hearing scheduled")
    HEARD = "heard", _("Heard")
    AWARDED = "awarded", _("Award made")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACCEPTED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.ASSIGNED,
    CaseStatus.SCHEDULED,
    CaseStatus.HEARD,
)


class Case(models.Model):
    """One dispute in the case file, from application to closure."""

    number = models.CharField(_("case number"), max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(_("dispute kind"), max_length=32, choices=DisputeKind.choices)
    procedure = models.CharField(_("procedure"), max_length=16, choices=Procedure.choices)
    channel = models.CharField(_("submission channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    title = models.CharField(_("title"), max_length=200)
    worker_count = models.PositiveIntegerField(_("number of workers"), default=1)
    facts = models.TextField(_("facts and reasons"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reasons for rejection"), blank=True)
    mediation_started_at = models.DateTimeField(null=True, blank=True)
    mediation_outcome = models.TextField(_("mediation outcome"), blank=True)
    award_extended = models.BooleanField(_("award deadline extended"), default=False)
    award_text = models.TextField(_("award"), blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    # Statutory deadlines, derived from the dates on the case.
    @property
    def acceptance_deadline(self):
        return self.submitted_at + timedelta(days=ACCEPTANCE_DAYS)

    @property
    def answer_deadline(self):
        return self.accepted_at + timedelta(days=ANSWER_DAYS) if self.accepted_at else None

    @property
    def mediation_deadline(self):
        if self.mediation_started_at is None:
            return None
        return self.mediation_started_at + timedelta(days=MEDIATION_DAYS)

    @property
    def award_deadline(self):
        if self.accepted_at is None:
            return None
        extra = AWARD_EXTENSION_DAYS if self.award_extended else 0
        return self.accepted_at + timedelta(days=AWARD_DAYS + extra)

    def deadlines(self) -> list[tuple[str, object]]:
        """The deadlines that apply now, as (key, datetime) pairs."""
        result = []
        if self.status == CaseStatus.SUBMITTED:
            result.append(("acceptance", self.acceptance_deadline))
        if self.status == CaseStatus.IN_MEDIATION:
            result.append(("mediation", self.mediation_deadline))
        if self.accepted_at and self.status in OPEN_STATUSES:
            result.append(("answer", self.answer_deadline))
            result.append(("award", self.award_deadline))
        return result

    def overdue(self, now=None) -> list[str]:
        """Keys of the deadlines this case has missed (the answer deadline binds a party, not staff)."""
        now = now or timezone.now()
        return [key for key, when in self.deadlines() if key != "answer" and when and when < now]


class CaseCounter(models.Model):
    """The last sequence number given per year and procedure, locked while numbering a case."""

    year = models.PositiveIntegerField()
    procedure = models.CharField(max_length=16, choices=Procedure.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "procedure"], name="unique_counter_year")
        ]
