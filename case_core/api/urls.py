"""URLs of the API: Ninja's operations, with 405s and unknown paths answered in the error shape."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path
from django.utils.translation import gettext as _

from case_core.api.app import api
from case_core.api.errors import api_not_found
from case_core.errors import DomainError, render_error_json


def _json_405(view):
    @wraps(view)  # keeps Ninja's csrf_exempt marker; CSRF is checked by the session auth
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            error = DomainError(
                "method_not_allowed", _("This method is not allowed here."), status=405
            )
            json_response = render_error_json(error)
            json_response["Allow"] = response["Allow"]
            return json_response
        return response

    return wrapped


# (Module-level names must not be `app_name`: include() would read it as this module's namespace.)
_patterns, _app_name, _namespace = api.urls
_patterns = [
    URLPattern(p.pattern, _json_405(p.callback), p.default_args, p.name)
    if isinstance(p, URLPattern)
    else p
    for p in _patterns
]

urlpatterns = [path("", (_patterns, _app_name, _namespace)), re_path(r"^", api_not_found)]
