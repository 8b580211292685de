"""Refusing request input that no view can store, before any view runs.

* NUL characters: PostgreSQL refuses them in text, so a NUL in any query parameter, form field,
  uploaded file name or JSON string (or key) is answered 400 `invalid` naming the field
  (`applicants[0].name` for JSON, as the API's schema errors do), and nothing changes.
* A form body Django cannot parse (a multipart part whose headers pass Django's 1 KiB limit,
  such as a file name of a thousand characters; too many fields or files) is answered 400
  `malformed_form` instead of an error escaping from the view; a form over
  DATA_UPLOAD_MAX_MEMORY_SIZE is 413 `too_large`.

The refusal is a DomainError rendered by case_core.errors.DomainErrorMiddleware: JSON under
/api/, an error page for people. The middleware sits before CsrfViewMiddleware, which would
otherwise be the first to parse a form.
"""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from case_core.errors import DomainError, DomainErrorMiddleware, invalid

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_NUL = b"\\u0000"


def _nul_in_json(value, path: str = "") -> str | None:
    """The path of the first string (or key) holding a NUL in parsed JSON, else None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_in_json(item, f"{path}[{index}]")
            if found is not None:
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                return where
            found = _nul_in_json(item, where)
            if found is not None:
                return found
    return None


def _nul_in_query(data) -> str | None:
    for key, values in data.lists():
        if "\x00" in key or any(isinstance(v, str) and "\x00" in v for v in values):
            return key.replace("\x00", "")
    return None


def nul_field(request) -> str | None:
    """The name of the first input field carrying a NUL character, or None."""
    found = _nul_in_query(request.GET)
    if found is not None:
        return found
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in FORM_TYPES:
        found = _nul_in_query(request.POST)
        if found is not None:
            return found
        for key, files in request.FILES.lists():
            if "\x00" in key or any("\x00" in (f.name or "") for f in files):
                return key.replace("\x00", "")
    elif content_type == "application/json" and JSON_NUL in request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # the view answers malformed_json
        return _nul_in_json(data)
    return None


def check_request(request) -> DomainError | None:
    """The refusal this request gets before any view runs, or None."""
    try:
        field = nul_field(request)
    except RequestDataTooBig:
        return DomainError("too_large", _("The request body is too large."), status=413)
    except (MultiPartParserError, SuspiciousOperation):
        return DomainError(
            "malformed_form",
            _("The form could not be read. If a file is attached, shorten its name and try again."),
            status=400,
        )
    if field is None:
        return None
    return invalid(_("This field may not contain NUL characters."), details={"field": field})


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.renderer = DomainErrorMiddleware(get_response)

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        error = check_request(request)
        if error is None:
            return None
        return self.renderer.process_exception(request, error)
