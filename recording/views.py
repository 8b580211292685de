"""Playing and downloading recordings from the case file, with HTTP Range (so <video> can seek).

Authorised like any evidence download (case_core.permissions, `evidence.download`; outsiders get
404). Chain of custody: "recording.viewed" once per playback session (the first request of a
person for a file within TRIBUNAL_RECORDING_VIEW_WINDOW seconds, not every range request), and
"recording.exported" for each download (`?download=1`) that starts at the first byte.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from case_core.audit import audit_record
from case_core.errors import not_found
from case_core.models import Evidence
from case_core.models.evidence import EvidenceKind
from case_core.permissions import authorize

CHUNK = 256 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
SESSION_KEY = "recording.viewed"


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single `bytes=` range; None without one (or for multiple ranges,
    served whole); False when it cannot be satisfied."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return False
    return start, end


def _stream(handle, start: int, length: int):
    try:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def _first_view(request, evidence: Evidence) -> bool:
    views = request.session.get(SESSION_KEY, {})
    now = time.time()
    seen = views.get(str(evidence.pk))
    if seen is not None and now - seen < settings.TRIBUNAL_RECORDING_VIEW_WINDOW:
        return False
    views = {k: v for k, v in views.items() if now - v < settings.TRIBUNAL_RECORDING_VIEW_WINDOW}
    views[str(evidence.pk)] = now
    request.session[SESSION_KEY] = views
    return True


@require_GET
def recording_file(request, evidence_id: int):
    evidence = (
        Evidence.objects.select_related("case")
        .filter(pk=evidence_id, kind=EvidenceKind.RECORDING)
        .first()
    )
    if evidence is None:
        raise not_found()
    authorize(request.user, evidence.case, "evidence.download")
    download = request.GET.get("download") == "1"
    size = evidence.size
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = wanted if wanted else (0, size - 1)
    data = {"evidence": evidence.pk, "sha256": evidence.sha256}
    if download and start == 0:
        audit_record(actor=request.user, case=evidence.case, action="recording.exported", data=data)
    elif not download and _first_view(request, evidence):
        audit_record(actor=request.user, case=evidence.case, action="recording.viewed", data=data)
    length = max(0, end - start + 1)
    response = StreamingHttpResponse(
        _stream(evidence.file.open("rb"), start, length),
        status=206 if wanted else 200,
        content_type=evidence.content_type,
    )
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Disposition"] = content_disposition_header(download, evidence.original_name)
    response["Cache-Control"] = "private, no-store"
    response["ETag"] = f'"{evidence.sha256}"'
    return response
