"""`tribunal scheduler`: reminders and deemed service every minute (documents.scheduler).

Run one or several (each takes the database lease in turn; only the holder works). --once runs a
single tick (e.g. from cron) and exits.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from documents.scheduler import default_holder, release, tick


class Command(BaseCommand):
    help = "Send reminders and mark deemed service, once a minute (one runner at a time)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one tick and exit")
        parser.add_argument("--interval", type=int, default=60, help="seconds between ticks")

    def handle(self, *args, once: bool = False, interval: int = 60, **options):
        holder = default_holder()
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        try:
            while True:
                result = tick(holder)
                if result is None:
                    self.stdout.write("another scheduler holds the lease; waiting")
                else:
                    self.stdout.write(f"scheduler tick: {result}")
                if once or stop.wait(max(interval, 1)):
                    break
        finally:
            release(holder)
