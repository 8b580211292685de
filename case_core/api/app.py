"""The case file REST API (Django Ninja), mounted at /api/; schema at /api/openapi.json.

Authentication is the Django session (case_core.api.security), CSRF included; every error has
the shape described in case_core.api.errors.
"""

from ninja import NinjaAPI

from case_core.api import auth, cases, evidence, staff, transitions
from case_core.api.errors import install_error_handlers
from case_core.api.security import session_auth

api = NinjaAPI(
    title="OpenTribunal case file API",
    version="1",
    openapi_url="/openapi.json",
    auth=session_auth,
    description=(
        "Cases, evidence and staff transitions of the labour-dispute case file.\n\n"
        "**Authentication**: Django session cookie (POST /api/auth/login). Unsafe methods need "
        "the CSRF token in the `X-CSRFToken` header (GET /api/auth/csrf).\n\n"
        '**Errors** always have the shape `{"error": {"code", "message", "details"}}`; '
        "`message` follows the Accept-Language header (zh-hans or en)."
    ),
)
install_error_handlers(api)

api.add_router("/auth", auth.router)
api.add_router("/cases", cases.router)
api.add_router("/cases", evidence.router)
api.add_router("/cases", transitions.router)
api.add_router("/staff", staff.router)
