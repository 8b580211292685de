"""`tribunal serve`: the ASGI server (Daphne) for HTTP and WebSockets.

It refuses to listen beyond loopback with a key generated for embedded use (unless `--deployment`
or TRIBUNAL_DEPLOYMENT=1) or with a key published in the source (hearing_server/secret_key.py).
It trusts X-Forwarded-For only with TRIBUNAL_BEHIND_PROXY=1.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hearing_server.secret_key import listen_refusal
from hearing_server.ws_transport import CommandLineInterface, daphne_limit_args


def refuse_unsafe_listen(host: str, deployment: bool) -> None:
    """Raise CommandError if the server must not listen on `host` with the configured key."""
    refusal = listen_refusal(
        host,
        key=settings.SECRET_KEY,
        generated=settings.TRIBUNAL_SECRET_KEY_GENERATED,
        deployment=deployment or settings.TRIBUNAL_DEPLOYMENT,
    )
    if refusal:
        raise CommandError(refusal)


class Command(BaseCommand):
    help = "Serve the product with Daphne (HTTP and WebSockets)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--deployment",
            action="store_true",
            help="this machine is a deployment: listen beyond loopback even with the generated "
            "SECRET_KEY (same as TRIBUNAL_DEPLOYMENT=1)",
        )

    def handle(self, *args, host, port, deployment=False, **options):
        refuse_unsafe_listen(host, deployment)
        CommandLineInterface().run(daphne_args(host, port))


def daphne_args(host: str, port: int) -> list[str]:
    """Daphne's arguments; client addresses come from X-Forwarded-For only behind a proxy
    (TRIBUNAL_BEHIND_PROXY=1), else from the socket."""
    proxy = ["--proxy-headers"] if settings.TRIBUNAL_BEHIND_PROXY else []
    return ["-b", host, "-p", str(port), *proxy, *daphne_limit_args()] + [
        "hearing_server.asgi:application"
    ]
