from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HearingKind(models.TextChoices):
    MEDIATION = "mediation", _("Mediation session")
    ARBITRATION = "arbitration", _("Arbitration hearing")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("Waiting room open")
    IN_SESSION = "in_session", _("In session")
    PAUSED = "paused", _("Paused")
    ADJOURNED = "adjourned", _("Adjourned")
    CLOSED = "closed", _("Closed")


class Hearing(models.Model):
    """A mediation session or arbitration hearing of a case, held online."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("kind"), max_length=16, choices=HearingKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    scheduled_start = models.DateTimeField(_("scheduled start"))
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_start", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()} {self.scheduled_start:%Y-%m-%d %H:%M}"


class InviteeRole(models.TextChoices):
    PRESIDING = "presiding", _("Presiding arbitrator")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    MEDIATOR = "mediator", _("Mediator")
    CLERK = "clerk", _("Clerk")
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    AGENT = "agent", _("Agent")
    WITNESS = "witness", _("Witness")
    INTERPRETER = "interpreter", _("Interpreter")
    OBSERVER = "observer", _("Observer")


# The hearing-role sets (InviteeRole values), defined here only; the case-role sets are beside
# CaseRole. Tuples, in the order the minutes list people.
_R = InviteeRole
# The bench and its clerk: admitted straight into the hearing, never kept waiting.
HEARING_TRIBUNAL_ROLES = (_R.PRESIDING, _R.ARBITRATOR, _R.MEDIATOR, _R.CLERK)
# Chair the hearing: start, pause, adjourn and close it, open and close rooms, give the floor.
HEARING_CHAIR_ROLES = (_R.PRESIDING, _R.MEDIATOR)
# Run the room: open it, admit, mute, remove, record, captions.
HEARING_CONTROLLER_ROLES = (_R.PRESIDING, _R.MEDIATOR, _R.CLERK)
# The parties and their agents.
HEARING_PARTY_ROLES = (_R.APPLICANT, _R.RESPONDENT, _R.AGENT)
# Whose identity the clerk checks; they cannot be admitted to an arbitration hearing unchecked.
HEARING_VERIFIABLE_ROLES = (*HEARING_PARTY_ROLES, _R.WITNESS, _R.INTERPRETER)
# Watch only: they may not speak in the chat.
HEARING_OBSERVER_ROLES = (_R.OBSERVER,)


class Invitee(models.Model):
    """A person invited to a hearing, with the role they hold in it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="invitees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=InviteeRole.choices)
    party = models.ForeignKey(
        "case_core.Party", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hearing", "user"], name="one_seat_per_user")
        ]

    @property
    def is_tribunal(self) -> bool:
        return self.role in HEARING_TRIBUNAL_ROLES
