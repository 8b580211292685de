"""Small helpers shared by the endpoints: loading a case the caller may see, paging, lookups."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from case_core.errors import DomainError, invalid, not_found
from case_core.models import Case, User
from case_core.permissions import authorize


def load_case(request, case_id: int, action: str = "case.view", *, detail: bool = False) -> Case:
    """The case, if the caller may do `action` on it; 404 for unknown ids and for outsiders alike."""
    queryset = Case.objects.all()
    if detail:
        queryset = queryset.prefetch_related(
            "parties__agents",
            "claims",
            "hearings",
            "evidence__submitted_by",
            "evidence__opinions__author",
        )
    case = queryset.filter(pk=case_id).first()
    if case is None:
        raise not_found()
    authorize(request.auth, case, action)
    return case


def user_by_id(user_id: int, *, field: str) -> User:
    """An active user account, or an `invalid` error naming the request field."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise invalid(_("There is no such user."), details={"field": field})
    return user


@contextmanager
def api_field_names(renames: dict[str, str]) -> Iterator[None]:
    """Rename the `details.field` of a service error to the request field that carried the value."""
    try:
        yield
    except DomainError as error:
        field = error.details.get("field")
        if isinstance(field, str):
            for service_name, api_name in renames.items():
                if field == service_name or field.startswith(service_name + "["):
                    error.details["field"] = api_name + field[len(service_name) :]
                    break
        raise


def paginate(items: QuerySet | Sequence, *, page: int, page_size: int) -> dict:
    """One page of `items`; a page past the end is empty (and costs no query)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": list(items[start : start + page_size]) if start < count else [],
    }
