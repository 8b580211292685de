"""Application drafts: the posted form kept per user so an application can be finished later.

Only the form's own fields are kept (no CSRF token, no buttons), at most DRAFT_MAX_FIELDS values
of at most DRAFT_MAX_CHARS characters each; a draft is the author's alone and is deleted when
the application is filed."""

from __future__ import annotations

import re

from django.http import QueryDict

from accounts.models import ApplicationDraft

DRAFT_MAX_FIELDS = 1200
DRAFT_MAX_CHARS = 20000
_KEEP = re.compile(
    r"^(kind|procedure|channel|title|facts|worker_count|(applicants|respondents|claims)-[\w-]+)$"
)


def draft_save(*, user, post: QueryDict) -> ApplicationDraft:
    data = {}
    for key in list(post.keys())[:DRAFT_MAX_FIELDS]:
        if _KEEP.match(key):
            data[key] = [str(v)[:DRAFT_MAX_CHARS] for v in post.getlist(key)[:2]]
    draft, _created = ApplicationDraft.objects.update_or_create(user=user, defaults={"data": data})
    return draft


def draft_load(*, user) -> QueryDict | None:
    draft = ApplicationDraft.objects.filter(user=user).first()
    if draft is None:
        return None
    query = QueryDict(mutable=True)
    for key, values in draft.data.items():
        if isinstance(values, list):
            query.setlist(key, [str(v) for v in values])
    return query


def draft_discard(*, user) -> None:
    ApplicationDraft.objects.filter(user=user).delete()
