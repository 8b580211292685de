from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseRole(models.TextChoices):
    """A user's role on one case; what it may do is in case_core.permissions."""

    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    AGENT = "agent", _("Agent")
    MEDIATOR = "mediator", _("Mediator")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    PRESIDING = "presiding", _("Presiding arbitrator")
    CLERK = "clerk", _("Clerk")
    LEGAL_AID = "legal_aid", _("Legal-aid officer")
    OBSERVER = "observer", _("Observer (trainee)")


# The case-role sets (CaseRole values), defined here only; the hearing-role sets are beside
# InviteeRole (case_core.models.hearings).
# The parties and their agents: the members who act for a side.
CASE_PARTY_ROLES = (CaseRole.APPLICANT, CaseRole.RESPONDENT, CaseRole.AGENT)
# The arbitrators and the mediator deciding or mediating the case; unlike a hearing's tribunal
# (HEARING_TRIBUNAL_ROLES), not the clerk.
CASE_TRIBUNAL_ROLES = (CaseRole.ARBITRATOR, CaseRole.PRESIDING, CaseRole.MEDIATOR)


class Membership(models.Model):
    """A user's role on a case. Seeing or touching a case needs one (or committee clerk rights)."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=CaseRole.choices)
    party = models.ForeignKey(
        "case_core.Party", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # for applicants, respondents and agents: the party they are or act for
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "role"], name="unique_membership_role")
        ]
