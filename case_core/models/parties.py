from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class IdDocumentType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("PRC resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Hong Kong / Macao resident permit")
    TAIWAN_PERMIT = "taiwan_permit", _("Taiwan resident permit")
    FOREIGNER_PERMIT = "foreigner_permit", _("Foreigner permanent residence card")
    BUSINESS_LICENCE = "business_licence", _("Unified social credit code")


class Party(models.Model):
    """A person or organisation on one side of a case."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=16, choices=PartySide.choices)
    is_organisation = models.BooleanField(_("organisation"), default=False)
    name = models.CharField(_("name"), max_length=200)
    id_type = models.CharField(
        _("identity document"), max_length=32, choices=IdDocumentType.choices
    )
    id_number = models.CharField(_("document number"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    relationship = models.CharField(
        _("relationship to the deceased"), max_length=64, blank=True
    )  # death cases: applicants are close relatives
    is_representative = models.BooleanField(_("elected representative"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parties",
    )

    class Meta:
        ordering = ["side", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """An agent (lawyer, relative, union officer) acting for one party."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="agents")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of agent"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    def __str__(self) -> str:
        return self.name


class Claim(models.Model):
    """One claim of the application, with the amount sought if it is money."""

    case = models.ForeignKey("case_core.Case", on_delete=models.CASCADE, related_name="claims")
    description = models.CharField(_("claim"), max_length=500)
    amount = models.DecimalField(
        _("amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["id"]
