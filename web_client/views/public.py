"""Public pages, reachable without signing in: the front page, "I want to know" guides per
dispute kind, the FAQ, the committee's addresses and hours (content from portal, edited by staff
in the admin), and progress lookup by case number with a code texted to a party's phone."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.codes import normalise_phone
from accounts.models import CodePurpose
from accounts.services.phone import phone_code_check, phone_code_send
from case_core.errors import DomainError
from case_core.models import Case
from portal.models import FaqEntry, GuidePage, Office
from web_client.account_forms import PhoneForm
from web_client.views.common import deadline_rows

SENT = gettext_lazy("If this number belongs to a party of this case, a code is on its way.")


def home(request):
    if request.user.is_authenticated:
        return redirect("web:my_cases")
    guides = GuidePage.objects.filter(published=True)
    return render(request, "web_client/public/home.html", {"guides": guides})


def guide_list(request):
    guides = GuidePage.objects.filter(published=True)
    return render(request, "web_client/public/guides.html", {"guides": guides})


def guide(request, slug):
    page = get_object_or_404(GuidePage, slug=slug, published=True)
    others = GuidePage.objects.filter(published=True).exclude(pk=page.pk)
    return render(request, "web_client/public/guide.html", {"page": page, "others": others})


def faq(request):
    entries = FaqEntry.objects.filter(published=True)
    return render(request, "web_client/public/faq.html", {"entries": entries})


def offices(request):
    return render(
        request,
        "web_client/public/offices.html",
        {"offices": Office.objects.filter(published=True)},
    )


class ProgressForm(PhoneForm):
    case_number = forms.CharField(label=gettext_lazy("Case number"), max_length=64)
    code = forms.CharField(
        label=gettext_lazy("Code from the SMS"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _party_phone(case: Case | None, phone: str) -> bool:
    if case is None:
        return False
    numbers = [p.phone for p in case.parties.all()] + [
        m.user.phone for m in case.members.filter(active=True).select_related("user")
    ]
    for raw in numbers:
        try:
            if raw and normalise_phone(raw) == phone:
                return True
        except DomainError:
            continue
    return False


def progress(request):
    """Case number + a party's phone -> a texted code -> the case's status and deadlines."""
    form = ProgressForm(request.POST or None)
    ctx = {"form": form, "sent": False}
    if request.method != "POST":
        return render(request, "web_client/public/progress.html", ctx)
    if not form.is_valid():
        return render(request, "web_client/public/progress.html", ctx, status=400)
    number = form.cleaned_data["case_number"].strip()
    try:
        phone = normalise_phone(form.cleaned_data["phone"])
        if "send" in request.POST or not form.cleaned_data["code"]:
            case = Case.objects.filter(number=number).first()
            phone_code_send(
                phone=phone,
                purpose=CodePurpose.PROGRESS,
                deliver=_party_phone(case, phone),
                client_ip=get_client_ip_address(request),
                scope=number,
            )
            ctx.update(sent=True, sent_message=SENT)
            return render(request, "web_client/public/progress.html", ctx)
        phone_code_check(
            phone=phone, purpose=CodePurpose.PROGRESS, code=form.cleaned_data["code"], scope=number
        )
    except DomainError as error:
        field = (error.details or {}).get("field")
        form.add_error(field if field in form.fields else None, error.message)
        ctx["sent"] = "send" not in request.POST
        return render(request, "web_client/public/progress.html", ctx, status=error.status)
    case = Case.objects.get(number=number)  # a right code was texted only for a real case
    return render(
        request,
        "web_client/public/progress_result.html",
        {"case": case, "deadlines": deadline_rows(case), "title": _("Progress")},
    )
