"""Forms on the case page: staff actions, evidence upload and cross-examination opinions.

Each staff action names the permission it needs (case_core.permissions.MATRIX), its form, the
service it calls and the statuses in which the page offers it. The service alone decides: the
statuses here only keep impossible buttons off the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.services import access_code_issue, party_invite
from case_core import services
from case_core.models import CaseRole, CaseStatus, Party, StaffRole, User
from case_core.models.cases import OPEN_STATUSES
from case_core.models.evidence import Opinion
from case_core.services.members import PARTY_MEMBER_ROLES, STAFF_MEMBER_ROLES, case_add_member

S = CaseStatus


def _staff(role: str):
    return User.objects.filter(staff_role=role, is_active=True).order_by("username")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class EmptyForm(forms.Form):
    pass


class RejectForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for rejection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReferMediationForm(forms.Form):
    mediator = StaffChoiceField(label=_("Mediator"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = _staff(StaffRole.MEDIATOR)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Mediation outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class OptionalOutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=10000,
        required=False,
    )


class AssignForm(forms.Form):
    presiding = StaffChoiceField(
        label=_("Presiding (or sole) arbitrator"), queryset=User.objects.none()
    )
    member_1 = StaffChoiceField(
        label=_("Panel member"), queryset=User.objects.none(), required=False
    )
    member_2 = StaffChoiceField(
        label=_("Panel member"), queryset=User.objects.none(), required=False
    )
    field_map = {"members": "member_1", "members[0]": "member_1", "members[1]": "member_2"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("presiding", "member_1", "member_2"):
            self.fields[name].queryset = _staff(StaffRole.ARBITRATOR)


class ScheduleForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Hearing starts"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("At least 5 days ahead."),
    )
    language = forms.ChoiceField(
        label=_("Hearing language"),
        choices=[("zh-hans", _("Simplified Chinese")), ("en", _("English"))],
    )


class AwardForm(forms.Form):
    text = forms.CharField(
        label=_("Award"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("User name of the account"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r, CaseRole(r).label) for r in (*PARTY_MEMBER_ROLES, *STAFF_MEMBER_ROLES)],
    )
    party = forms.ModelChoiceField(
        label=_("Party (for applicants, respondents and agents)"),
        queryset=Party.objects.none(),
        required=False,
    )
    field_map = {"user": "username"}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["party"].queryset = case.parties.all()

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active account with this user name."))
        return user


class AccessCodeForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    by_sms = forms.BooleanField(
        label=_("Also text it to the party's phone (an invitation to claim the case)"),
        required=False,
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["party"].queryset = case.parties.all()


def _access_code(actor, case, d):
    if d["by_sms"]:
        code = party_invite(actor=actor, case=case, party=d["party"])
    else:
        code = access_code_issue(actor=actor, case=case, party=d["party"])
    return _("Access code for %(party)s (shown once; print it on the papers served): %(code)s") % {
        "party": d["party"].name,
        "code": code,
    }


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form: type[forms.Form]
    call: Callable[..., Any]
    statuses: tuple[str, ...]
    danger: bool = False

    @property
    def permission(self) -> str:
        if self.name in ("add_member", "access_code"):
            return "case.assign"
        return f"case.{self.name}"


def _members(d):
    return [m for m in (d.get("member_1"), d.get("member_2")) if m is not None]


AFTER_ACCEPTANCE = tuple(s for s in OPEN_STATUSES if s != S.SUBMITTED)
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "accept",
            _("Accept the application"),
            EmptyForm,
            lambda actor, case, d: services.case_accept(actor=actor, case=case),
            (S.SUBMITTED,),
        ),
        Action(
            "reject",
            _("Reject the application"),
            RejectForm,
            lambda actor, case, d: services.case_reject(
                actor=actor, case=case, reasons=d["reasons"]
            ),
            (S.SUBMITTED,),
            danger=True,
        ),
        Action(
            "refer_mediation",
            _("Refer to pre-mediation"),
            ReferMediationForm,
            lambda actor, case, d: services.case_refer_mediation(
                actor=actor, case=case, mediator=d["mediator"]
            ),
            (S.ACCEPTED,),
        ),
        Action(
            "mediation_agreed",
            _("Record the mediation agreement"),
            OutcomeForm,
            lambda actor, case, d: services.case_mediation_agreed(
                actor=actor, case=case, outcome=d["outcome"]
            ),
            (S.IN_MEDIATION,),
        ),
        Action(
            "mediation_failed",
            _("Mediation failed: go on to arbitration"),
            OptionalOutcomeForm,
            lambda actor, case, d: services.case_mediation_failed(
                actor=actor, case=case, outcome=d["outcome"]
            ),
            (S.IN_MEDIATION,),
        ),
        Action(
            "assign",
            _("Assign the tribunal"),
            AssignForm,
            lambda actor, case, d: services.case_assign(
                actor=actor, case=case, presiding=d["presiding"], members=_members(d)
            ),
            (S.ACCEPTED, S.ASSIGNED),
        ),
        Action(
            "schedule",
            _("Schedule a hearing"),
            ScheduleForm,
            lambda actor, case, d: services.case_schedule(
                actor=actor, case=case, start=d["start"], language=d["language"]
            ),
            (S.ASSIGNED, S.HEARD),
        ),
        Action(
            "hearing_held",
            _("Record that the hearing was held"),
            EmptyForm,
            lambda actor, case, d: services.case_hearing_held(actor=actor, case=case),
            (S.SCHEDULED,),
        ),
        Action(
            "award",
            _("Make the award"),
            AwardForm,
            lambda actor, case, d: services.case_award(actor=actor, case=case, text=d["text"]),
            (S.HEARD,),
        ),
        Action(
            "extend",
            _("Extend the award deadline by 15 days"),
            ReasonForm,
            lambda actor, case, d: services.case_extend(actor=actor, case=case, reason=d["reason"]),
            AFTER_ACCEPTANCE,
        ),
        Action(
            "withdraw",
            _("Withdraw the application"),
            ReasonForm,
            lambda actor, case, d: services.case_withdraw(
                actor=actor, case=case, reason=d["reason"]
            ),
            OPEN_STATUSES,
            danger=True,
        ),
        Action(
            "close",
            _("Close the case"),
            EmptyForm,
            lambda actor, case, d: services.case_close(actor=actor, case=case),
            (S.AWARDED, S.MEDIATED, S.WITHDRAWN, S.REJECTED),
        ),
        Action(
            "add_member",
            _("Add a member to the case"),
            AddMemberForm,
            lambda actor, case, d: case_add_member(
                actor=actor, case=case, user=d["username"], role=d["role"], party=d["party"]
            ),
            tuple(S.values),
        ),
        Action(
            "access_code",
            _("Issue an access code"),
            AccessCodeForm,
            _access_code,
            tuple(S.values),
        ),
    )
}


def make_form(action: Action, case, data=None):
    prefix = action.name
    if action.form in (AddMemberForm, AccessCodeForm):
        return action.form(data, prefix=prefix, case=case)
    return action.form(data, prefix=prefix)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("What it proves"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    # Empty files reach the service, which refuses them with its own message.
    file = forms.FileField(label=_("File"), allow_empty_file=True)


class OpinionForm(forms.Form):
    """Nothing is chosen until the party chooses (radio buttons, no default); `change` marks a
    side changing its earlier opinion while the evidence period is open."""

    authenticity = forms.ChoiceField(
        label=_("Authenticity"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    legality = forms.ChoiceField(
        label=_("Legality"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    relevance = forms.ChoiceField(
        label=_("Relevance"), choices=Opinion.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
    change = forms.BooleanField(required=False, widget=forms.HiddenInput)


def apply_error(form: forms.Form, error) -> bool:
    """Attach a DomainError to the field it names; False if no field of the form matches."""
    field = (error.details or {}).get("field")
    field = getattr(form, "field_map", {}).get(field, field)
    if field and field in form.fields:
        form.add_error(field, error.message)
        return True
    return False
