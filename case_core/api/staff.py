"""The staff workbench lists: the acceptance queue and overdue cases (clerks and admins only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router

from case_core.api.common import paginate
from case_core.api.schemas import OverduePage, PageParams, QueuePage, with_errors
from case_core.errors import forbidden
from case_core.selectors import acceptance_queue, overdue_cases

router = Router(tags=["staff"])


def _require_clerk(request) -> None:
    if not request.auth.is_clerk:
        raise forbidden(_("Only committee clerks and administrators can see this list."))


@router.get("/queue", response=with_errors({200: QueuePage}))
def queue(request, params: Query[PageParams]):
    """Submitted applications awaiting the acceptance decision, oldest first."""
    _require_clerk(request)
    return paginate(acceptance_queue(), page=params.page, page_size=params.page_size)


@router.get("/overdue", response=with_errors({200: OverduePage}))
def overdue(request, params: Query[PageParams]):
    """Open cases that have missed a statutory deadline, oldest first."""
    _require_clerk(request)
    return paginate(overdue_cases(), page=params.page, page_size=params.page_size)
