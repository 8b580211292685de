"""Is this file in the record? The public verification page's question, by SHA-256.

`record_lookup(sha256)` finds the files of any case file (evidence, recordings, signed documents)
and documents for signature with that hash and says, for each, when it was filed, by which side
(not by name, and not in which case: an outsider must not learn that a case exists or who is in
it, as everywhere else), and whether it is intact: the audit entry that filed it still holds the
hash, and the stored bytes still match (hashed now when small, else the last verification run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from case_core.integrity.verify import sha256_bytes_of
from case_core.models import AuditEntry, Evidence, SignableDocument

SHA256 = re.compile(r"^[0-9a-f]{64}$")
HASH_NOW_LIMIT = 20 * 1024 * 1024  # bytes hashed on request; larger files: the last run


@dataclass
class Found:
    what: str  # translated: "Exhibit", "Hearing recording", "Signed document", ...
    filed_at: datetime
    filed_by: str  # translated side or "the committee"
    intact: bool | None  # None: not checked yet
    checked: str  # translated: how intactness was established


def _side(side: str) -> str:
    return {
        "applicant": _("the applicant's side"),
        "respondent": _("the respondent's side"),
    }.get(side, _("the committee"))


def _last_run_flags(case_id: int, subject: str) -> bool | None:
    entry = (
        AuditEntry.objects.filter(case_id=case_id, action="record.verified")
        .order_by("-seq")
        .first()
    )
    if entry is None:
        return None
    return not any(f.get("subject") == subject for f in entry.data.get("findings") or [])


def _intact(item, case_id: int, subject: str, size: int, filed: bool) -> tuple[bool | None, str]:
    if not filed:
        return False, _("Its filing is not in the audit log as it should be.")
    if size <= HASH_NOW_LIMIT:
        return sha256_bytes_of(item.file) == item.sha256, _("The stored file was hashed just now.")
    result = _last_run_flags(case_id, subject)
    if result is None:
        return None, _("Not verified yet; the record is verified nightly.")
    return result, _("As of the last verification of the record.")


def record_lookup(sha256: str) -> list[Found]:
    sha256 = sha256.strip().lower()
    if not SHA256.match(sha256):
        return []
    found = []
    for ev in Evidence.objects.filter(sha256=sha256).order_by("submitted_at", "pk"):
        filed = AuditEntry.objects.filter(
            case_id=ev.case_id,
            action__in=("evidence.uploaded", "recording.hashed", "evidence.attached"),
            data__evidence=ev.pk,
            data__sha256=sha256,
        ).exists()
        intact, how = _intact(ev, ev.case_id, f"evidence {ev.pk} ({ev.title})", ev.size, filed)
        found.append(Found(ev.get_kind_display(), ev.submitted_at, _side(ev.side), intact, how))
    for doc in SignableDocument.objects.filter(sha256=sha256, evidence__isnull=True):
        intact, how = _intact(doc, doc.case_id, f"document {doc.pk} ({doc.title})", doc.size, True)
        found.append(
            Found(_("Document for signature"), doc.created_at, _("the committee"), intact, how)
        )
    return found
