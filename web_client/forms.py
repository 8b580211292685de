"""Forms for the application (申请) page: they only parse input; the service decides.

The party rows show only the fields their dispute kind needs: the relationship to the deceased
in death cases, the elected representative in collective disputes (applicants only). A
respondent's document number is optional (name and address are enough)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_core.models import Channel, DisputeKind, IdDocumentType, Procedure
from case_core.services.submission import ClaimInput, PartyInput

APPLICANT_ROWS = 1
RESPONDENT_ROWS = 1
CLAIM_ROWS = 2
DEATH_KINDS = (DisputeKind.WORK_DEATH, DisputeKind.NON_WORK_DEATH)
ID_HINT = _(
    "Resident ID: 18 characters, the last may be X. USCC: 18 characters. "
    "Hong Kong/Macao permit: H or M and 8-10 digits."
)
MAX_ROWS = 50


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Dispute kind"), choices=DisputeKind.choices)
    procedure = forms.ChoiceField(
        label=_("Procedure"), choices=Procedure.choices, initial=Procedure.ARBITRATION
    )
    channel = forms.ChoiceField(label=_("Submission channel"), choices=Channel.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    facts = forms.CharField(
        label=_("Facts and reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    worker_count = forms.IntegerField(
        label=_("Number of workers involved"), min_value=1, max_value=1000000, initial=1
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is None or not user.is_clerk:
            # Members of the public apply online; clerks also record paper applications.
            self.fields["channel"].choices = [(Channel.ONLINE, Channel.ONLINE.label)]
            self.fields["channel"].initial = Channel.ONLINE


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    is_organisation = forms.BooleanField(label=_("Organisation"), required=False)
    id_type = forms.ChoiceField(
        label=_("Identity document"), choices=IdDocumentType.choices, required=False
    )
    id_number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    relationship = forms.CharField(
        label=_("Relationship to the deceased"),
        max_length=64,
        required=False,
        help_text=_("Death cases only."),
    )
    is_representative = forms.BooleanField(label=_("Elected representative"), required=False)
    agents = forms.CharField(
        label=_("Agents"),
        max_length=600,
        required=False,
        help_text=_("Names of agents, separated by semicolons."),
    )

    def __init__(self, *args, kind: str = "", side: str = "applicant", **kwargs):
        super().__init__(*args, **kwargs)
        if not (side == "applicant" and kind in DEATH_KINDS):
            del self.fields["relationship"]
        if not (side == "applicant" and kind == DisputeKind.COLLECTIVE):
            del self.fields["is_representative"]
        self.fields["id_number"].help_text = ID_HINT
        self.fields["id_number"].widget.attrs.update(
            autocapitalize="characters", spellcheck="false"
        )
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="tel")
        organisation_side = "respondent" if kind != DisputeKind.EMPLOYER_V_WORKER else "applicant"
        if side == organisation_side and kind in (
            DisputeKind.WORKER_V_EMPLOYER,
            DisputeKind.EMPLOYER_V_WORKER,
            DisputeKind.WORK_DEATH,
            DisputeKind.COLLECTIVE,
        ):
            self.fields["is_organisation"].initial = True
            self.fields["id_type"].initial = IdDocumentType.BUSINESS_LICENCE
        if side == "respondent":
            self.fields["id_number"].label = _("Document number (optional)")
            self.fields["id_number"].help_text = _(
                "If you do not know it, give the name and address: the clerk completes it."
            )
            self.fields["address"].label = _("Address (needed without a document number)")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            (data.get(name) or "").strip() for name in ("name", "id_number", "address", "phone")
        )

    def as_input(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            name=d.get("name", ""),
            id_type=d.get("id_type", ""),
            id_number=d.get("id_number", ""),
            is_organisation=d.get("is_organisation", False),
            phone=d.get("phone", ""),
            address=d.get("address", ""),
            relationship=d.get("relationship", ""),
            is_representative=d.get("is_representative", False),
            agents=[
                a.strip() for a in d.get("agents", "").replace("；", ";").split(";") if a.strip()
            ],
        )


class ClaimForm(forms.Form):
    description = forms.CharField(label=_("Claim"), max_length=500, required=False)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("description") or "").strip() and (
            self.cleaned_data.get("amount") is None
        )

    def as_input(self) -> ClaimInput:
        return ClaimInput(
            description=self.cleaned_data.get("description", ""),
            amount=self.cleaned_data.get("amount"),
        )


ApplicantFormSet = forms.formset_factory(
    PartyForm, extra=APPLICANT_ROWS, max_num=MAX_ROWS, validate_max=True
)
RespondentFormSet = forms.formset_factory(
    PartyForm, extra=RESPONDENT_ROWS, max_num=MAX_ROWS, validate_max=True
)
ClaimFormSet = forms.formset_factory(
    ClaimForm, extra=CLAIM_ROWS, max_num=MAX_ROWS, validate_max=True
)
