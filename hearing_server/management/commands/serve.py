"""`tribunal serve`: the ASGI server (Daphne) for HTTP and WebSockets."""

from daphne.cli import CommandLineInterface
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the product with Daphne (HTTP and WebSockets)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        CommandLineInterface().run(
            ["-b", host, "-p", str(port), "--proxy-headers", "hearing_server.asgi:application"]
        )
