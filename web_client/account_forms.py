"""Forms of the front door: phone and code, sign-up, reset, claiming a case, identity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AgentKind
from case_core.models import IdDocumentType


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
        help_text=_("Mainland numbers without +86; others with their country code."),
    )


class CodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class SignUpForm(CodeForm):
    name = forms.CharField(label=_("Your name"), max_length=100)
    password = forms.CharField(
        label=_("Password (optional)"),
        required=False,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Without a password you sign in with a texted code."),
    )


class ResetForm(CodeForm):
    password = forms.CharField(
        label=_("New password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ClaimForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=64)
    access_code = forms.CharField(
        label=_("Access code"),
        max_length=32,
        help_text=_("Printed on the copy of the application you were served, e.g. ABCD-EFGH-JKLM."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    id_or_uscc = forms.CharField(
        label=_("ID number or unified social credit code"),
        max_length=64,
        help_text=_("The party's own identifier: a person's ID number, a company's USCC."),
    )


class IdentityForm(forms.Form):
    name = forms.CharField(label=_("Full name as on the document"), max_length=200)
    id_type = forms.ChoiceField(
        label=_("Identity document"),
        choices=[c for c in IdDocumentType.choices if c[0] != IdDocumentType.BUSINESS_LICENCE],
    )
    id_number = forms.CharField(
        label=_("Document number"),
        max_length=64,
        help_text=_("A resident ID has 18 characters; the last may be X."),
    )


class AttorneyForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=64)
    id_or_uscc = forms.CharField(
        label=_("Your client's ID number or USCC"),
        max_length=64,
        help_text=_("The identifier of the party you act for, as on the application."),
    )
    kind = forms.ChoiceField(label=_("You are"), choices=AgentKind.choices)
    file = forms.FileField(
        label=_("Signed power of attorney (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
