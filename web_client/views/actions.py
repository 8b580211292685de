"""Staff actions on a case: parse the action's form, call its service, show the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from case_core.errors import DomainError, not_found
from case_core.permissions import authorize
from web_client.case_forms import ACTIONS, apply_error, make_form
from web_client.views.cases import render_case
from web_client.views.common import get_case


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    case, roles = get_case(request.user, case_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise not_found()
    authorize(request.user, case, spec.permission)  # outsiders 404, other members 403
    form = make_form(spec, case, request.POST)
    if not form.is_valid():
        return render_case(request, case, roles, bound={spec.name: form}, status=400)
    try:
        outcome = spec.call(request.user, case, form.cleaned_data)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        apply_error(form, error)
        case.refresh_from_db()
        return render_case(
            request, case, roles, bound={spec.name: form}, error=error, status=error.status
        )
    messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    if isinstance(outcome, str):  # something to show once (an access code)
        messages.info(request, outcome)
    return redirect("web:case", case_id=case.pk)
