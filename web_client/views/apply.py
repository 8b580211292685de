"""The new application, phone first: choose the dispute kind, then one step at a time (the
dispute, applicants, respondents, claims), each row showing only what its kind needs.

* Collective disputes are routed to booking an appointment before the form starts (clerks may
  still record one received on site).
* One pass: every problem the service finds (case_core.services.submission.
  application_problems) is shown next to its field at once.
* Drafts: "Save the draft" (and every added row) keeps the form for its author
  (accounts.drafts); the draft comes back on the next visit and is deleted on filing.
* Adding a row without JavaScript posts back to the same section (#section-...), so the page
  keeps its place; with JavaScript the row is added in the page.
* Filing as oneself: an account with a verified identity must be the first applicant.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.drafts import draft_discard, draft_load, draft_save
from accounts.models import Identity
from accounts.services.identity import identity_matches
from case_core.errors import DomainError, invalid
from case_core.models import DisputeKind
from case_core.services import case_submit
from case_core.services.submission import application_problems
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
KIND_INFO = (
    (DisputeKind.WORKER_V_EMPLOYER, _("Unpaid wages, overtime, dismissal, social insurance.")),
    (DisputeKind.EMPLOYER_V_WORKER, _("Training costs, breach of confidentiality or contract.")),
    (DisputeKind.WORK_DEATH, _("Close relatives of a worker who died of a work injury.")),
    (DisputeKind.NON_WORK_DEATH, _("Close relatives of a worker who died of other causes.")),
    (DisputeKind.COLLECTIVE, _("Ten or more workers with a common claim: by appointment.")),
)


def _kind(request) -> str:
    kind = request.POST.get("kind") or request.GET.get("kind") or ""
    return kind if kind in DisputeKind.values else ""


def _sets(data, kind: str):
    def kwargs(name):
        if name == "claims":
            return {}
        return {"kind": kind, "side": "respondent" if name == "respondents" else "applicant"}

    return {name: cls(data, prefix=name, form_kwargs=kwargs(name)) for name, cls in SECTIONS}


def _bind(data, user, kind):
    return ApplicationForm(data, user=user), _sets(data, kind)


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
            row = filled[index][1]
            if name not in row.errors:
                row.add_error(name, error.message)
            return True
        return False
    if field in form.fields:
        if field not in form.errors:
            form.add_error(field, error.message)
        return True
    return False


def _initial_from_identity(user, kind):
    identity = Identity.objects.filter(user=user, verified_at__isnull=False).first()
    if identity is None or user.is_clerk or kind == DisputeKind.EMPLOYER_V_WORKER:
        return None
    return {
        "name": identity.name,
        "id_type": identity.id_type,
        "id_number": identity.id_number,
        "phone": user.phone,
    }


def _page(request, form, sets, kind, status=200, **extra):
    return render(
        request,
        "web_client/apply.html",
        {"form": form, "sets": sets, "kind": kind, "kind_label": DisputeKind(kind).label, **extra},
        status=status,
    )


def _start(request):
    return render(request, "web_client/apply_start.html", {"kinds": KIND_INFO})


@login_required
def new_application(request):
    user = request.user
    kind = _kind(request)
    if request.method != "POST":
        draft = draft_load(user=user) if "fresh" not in request.GET else None
        if draft is not None and (not kind or draft.get("kind") == kind):
            kind = draft.get("kind", kind) if draft.get("kind") in DisputeKind.values else kind
            if kind:
                form, sets = _bind(draft, user, kind)
                return _page(request, form, sets, kind, quiet=True, draft=True)
        if not kind:
            return _start(request)
        if kind == DisputeKind.COLLECTIVE and not user.is_clerk:
            return redirect("web:booking_new")
        form = ApplicationForm(initial={"kind": kind}, user=user)
        sets = _sets(None, kind)
        initial = _initial_from_identity(user, kind)
        if initial:
            sets["applicants"] = ApplicantFormSet(
                prefix="applicants",
                initial=[initial],
                form_kwargs={"kind": kind, "side": "applicant"},
            )
            sets["applicants"].extra = 0
        return _page(request, form, sets, kind)

    if not kind:
        return _start(request)
    if "discard_draft" in request.POST:
        draft_discard(user=user)
        return redirect(f"{request.path}?fresh=1")
    for section, _cls in SECTIONS:
        if f"add_{section}" in request.POST:
            data = _add_row(request.POST, section)
            draft_save(user=user, post=data)
            form, sets = _bind(data, user, kind)
            return _page(request, form, sets, kind, quiet=True, focus=section)
    if "save_draft" in request.POST:
        draft_save(user=user, post=request.POST)
        form, sets = _bind(request.POST, user, kind)
        messages.success(request, _("Draft saved. You can finish it later from New application."))
        return _page(request, form, sets, kind, quiet=True, draft=True)

    form, sets = _bind(request.POST, user, kind)
    valid = form.is_valid() & all([s.is_valid() for s in sets.values()])
    rows = {name: _filled(s) for name, s in sets.items()}
    d = form.cleaned_data
    args = dict(
        actor=user,
        kind=d.get("kind", kind),
        procedure=d.get("procedure", ""),
        channel=d.get("channel", ""),
        title=d.get("title", ""),
        facts=d.get("facts", ""),
        applicants=[f.as_input() for _i, f in rows["applicants"]],
        respondents=[f.as_input() for _i, f in rows["respondents"]],
        claims=[f.as_input() for _i, f in rows["claims"]],
        worker_count=d.get("worker_count") or 1,
    )
    # One pass: the service's checks run even when the form found problems, so every problem
    # is shown at once (a field the form already marked keeps only the form's message).
    problems, _checked = application_problems(**args)
    first = args["applicants"][0] if args["applicants"] and args["channel"] == "online" else None
    if first is not None and not identity_matches(
        user, name=first.name, id_type=first.id_type, id_number=first.id_number
    ):
        problems.append(
            invalid(
                _(
                    "You file as yourself: the first applicant must be you, as your verified identity says."
                ),
                details={"field": "applicants[0].id_number"},
            )
        )
    if not valid and not problems:
        return _page(request, form, sets, kind, status=400)
    if problems:
        hidden = set() if user.is_clerk else {"channel"}  # public users do not see the channel
        unplaced = [
            p
            for p in problems
            if (p.details or {}).get("field") in hidden or not _place_error(p, form, sets, rows)
        ]
        general = []
        for problem in unplaced:
            section = ((problem.details or {}).get("field") or "").split("[")[0]
            if section in sets:
                sets[section].problems = [*getattr(sets[section], "problems", []), problem]
            else:
                general.append(problem)
        return _page(
            request,
            form,
            sets,
            kind,
            status=problems[0].status,
            error=problems[0],
            problems=general,
        )
    try:
        case = case_submit(**args)
    except DomainError as error:  # a race or a rule application_problems does not know
        placed = _place_error(error, form, sets, rows)
        return _page(
            request,
            form,
            sets,
            kind,
            status=error.status,
            error=error,
            problems=[] if placed else [error],
        )
    draft_discard(user=user)
    messages.success(
        request, _("Your application was filed. The committee decides on acceptance within 5 days.")
    )
    return redirect("web:case", case_id=case.pk)
