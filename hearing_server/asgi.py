"""ASGI entry point: HTTP through Django, WebSockets through the signaling routes."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearing_server.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from hearing_server.env import env_bool  # noqa: E402

# The embedded default (`tribunal demo`/`serve`) has no web server in front: serve the static
# files (CSS, the hearing page's JS) from the apps, as runserver would. A deployment with
# TRIBUNAL_EMBEDDED=0 serves the collected STATIC_ROOT from its web server instead.
if env_bool("TRIBUNAL_SERVE_STATIC", env_bool("TRIBUNAL_EMBEDDED", True)):
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_asgi_app = ASGIStaticFilesHandler(django_asgi_app)

# Body limits while the body streams in: inside Daphne, and around the application for any
# other ASGI server (hearing_server/body_limit.py).
from hearing_server import daphne_limit  # noqa: E402
from hearing_server.body_limit import BodyLimitMiddleware  # noqa: E402

daphne_limit.install()
django_asgi_app = BodyLimitMiddleware(django_asgi_app)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from signaling.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
