"""The public verification page: is this file in the record, and is it intact?

Anyone, signed in or not, drops a file (hashed in the browser: the file never leaves it) or pastes
a SHA-256, and learns whether the record holds a file with that hash, when it was filed, by which
side, and whether it is intact (`case_core.integrity.lookup.record_lookup`; no case number or
names, so nobody learns of a case they are not part of). The standalone bundle verifier is offered
for download here too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from case_core.integrity.lookup import SHA256, record_lookup


def record_check(request):
    query = (request.GET.get("sha256") or "").strip().lower()
    error = ""
    found = None
    if query:
        if not SHA256.match(query):
            error = _("A SHA-256 is 64 characters, 0-9 and a-f.")
        else:
            found = record_lookup(query)
    status = 400 if error else 200
    context = {"query": query, "error": error, "found": found}
    return render(request, "web_client/public/record_check.html", context, status=status)


def bundle_verifier(request):
    path = settings.BASE_DIR / "tools" / "verify_bundle.py"
    if not path.is_file():
        raise Http404
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename="verify_bundle.py", content_type="text/plain"
    )
