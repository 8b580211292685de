from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    """A user's role in the committee, independent of any one case."""

    NONE = "none", _("Member of the public")
    CLERK = "clerk", _("Clerk")
    MEDIATOR = "mediator", _("Mediator")
    ARBITRATOR = "arbitrator", _("Arbitrator")
    LEGAL_AID = "legal_aid", _("Legal-aid officer")
    OBSERVER = "observer", _("Observer (trainee)")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A person who signs in: a party, an agent or a member of the committee's staff."""

    staff_role = models.CharField(
        _("staff role"), max_length=16, choices=StaffRole.choices, default=StaffRole.NONE
    )
    phone = models.CharField(_("mobile phone"), max_length=32, blank=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_clerk(self) -> bool:
        return self.staff_role in (StaffRole.CLERK, StaffRole.ADMIN)

    @property
    def is_committee_staff(self) -> bool:
        return self.staff_role not in (StaffRole.NONE,)
