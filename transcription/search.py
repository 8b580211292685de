"""Searching every transcript of a case (case-insensitive substring; works for Chinese too)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from case_core.models import Case, User
from case_core.permissions import authorize
from transcription.transcript_models import Segment

MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    segment: Segment
    before: str  # text around the first match, for highlighting without marking up HTML
    match: str
    after: str


def _casefold_find(text: str, query: str) -> int:
    return text.casefold().find(query.casefold())


def transcript_search(*, actor: User, case: Case, query: str, limit: int = 200) -> list[Hit]:
    """Segments of the case's transcripts containing `query`, by hearing then time."""
    authorize(actor, case, "case.view")
    query = " ".join((query or "").split())[:MAX_QUERY]
    if not query:
        return []
    # SQLite's LIKE folds ASCII case only; casefold() below settles the rest of Unicode.
    candidates = (
        Segment.objects.filter(transcript__hearing__case=case)
        .filter(Q(text__icontains=query) | Q(text__icontains=query.casefold()))
        .select_related("transcript__hearing")
        .order_by("transcript__hearing__scheduled_start", "transcript_id", "order")
    )
    hits = []
    for segment in candidates:
        index = _casefold_find(segment.text, query)
        if index < 0:
            continue
        end = index + len(query)
        hits.append(
            Hit(
                segment=segment,
                before=segment.text[max(0, index - 60) : index],
                match=segment.text[index:end],
                after=segment.text[end : end + 60],
            )
        )
        if len(hits) >= limit:
            break
    return hits
