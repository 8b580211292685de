"""The new application page: several applicants, respondents and claims; nothing is saved
unless the service accepts the whole application."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from case_core.services import case_submit
from web_client.forms import (
    MAX_ROWS,
    ApplicantFormSet,
    ApplicationForm,
    ClaimFormSet,
    RespondentFormSet,
)

SECTIONS = (
    ("applicants", ApplicantFormSet),
    ("respondents", RespondentFormSet),
    ("claims", ClaimFormSet),
)
ROW_FIELD = re.compile(r"^(applicants|respondents|claims)\[(\d+)\]\.(\w+)$")


def _bind(data, user):
    form = ApplicationForm(data, user=user)
    sets = {name: cls(data, prefix=name) for name, cls in SECTIONS}
    return form, sets


def _add_row(post, section: str):
    """A copy of the POST data with one more (empty) row in `section`; no JavaScript needed."""
    data = post.copy()
    key = f"{section}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, MAX_ROWS))
    return data


def _filled(formset):
    """(index in the formset, form) for the rows the user filled in."""
    return [(i, f) for i, f in enumerate(formset.forms) if f.cleaned_data and not f.is_blank()]


def _place_error(error: DomainError, form, sets, rows) -> bool:
    field = (error.details or {}).get("field") or ""
    match = ROW_FIELD.match(field)
    if match:
        section, index, name = match.group(1), int(match.group(2)), match.group(3)
        filled = rows.get(section, [])
        if index < len(filled) and name in filled[index][1].fields:
            filled[index][1].add_error(name, error.message)
            return True
        return False
    if field in form.fields:
        form.add_error(field, error.message)
        return True
    return False


@login_required
def new_application(request):
    user = request.user
    if request.method != "POST":
        form = ApplicationForm(user=user)
        sets = {name: cls(prefix=name) for name, cls in SECTIONS}
        return render(request, "web_client/apply.html", {"form": form, "sets": sets})

    for section, _cls in SECTIONS:
        if f"add_{section}" in request.POST:
            form, sets = _bind(_add_row(request.POST, section), user)
            return render(
                request,
                "web_client/apply.html",
                {"form": form, "sets": sets, "quiet": True},
            )

    form, sets = _bind(request.POST, user)
    valid = form.is_valid() & all([s.is_valid() for s in sets.values()])
    if not valid:
        return render(request, "web_client/apply.html", {"form": form, "sets": sets}, status=400)
    rows = {name: _filled(s) for name, s in sets.items()}
    d = form.cleaned_data
    try:
        case = case_submit(
            actor=user,
            kind=d["kind"],
            procedure=d["procedure"],
            channel=d["channel"],
            title=d["title"],
            facts=d["facts"],
            applicants=[f.as_input() for _i, f in rows["applicants"]],
            respondents=[f.as_input() for _i, f in rows["respondents"]],
            claims=[f.as_input() for _i, f in rows["claims"]],
            worker_count=d["worker_count"],
        )
    except DomainError as error:
        placed = _place_error(error, form, sets, rows)
        section = ((error.details or {}).get("field") or "").split("[")[0]
        return render(
            request,
            "web_client/apply.html",
            {
                "form": form,
                "sets": sets,
                "error": error,
                "placed": placed,
                "section_error": section if section in dict(SECTIONS) else "",
            },
            status=error.status,
        )
    messages.success(
        request, _("Your application was filed. The committee decides on acceptance within 5 days.")
    )
    return redirect("web:case", case_id=case.pk)
