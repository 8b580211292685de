"""`tribunal worker`: the background task worker (django-tasks database backend)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker; jobs are kept in the database and survive restarts."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run queued jobs, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, batch, interval, **options):
        extra = ["--batch"] if batch else []
        call_command(
            "db_worker",
            "--queue-name",
            "*",
            "--interval",
            str(interval),
            "--no-reload",
            "--no-startup-delay",
            *extra,
            verbosity=options.get("verbosity", 1),
        )
